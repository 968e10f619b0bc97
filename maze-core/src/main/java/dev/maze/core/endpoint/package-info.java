/**
 * The model registry: model servers (endpoints) as scheduled resources. {@link dev.maze.core.endpoint.ModelRegistry}
 * reads the {@code --models} file and turns each endpoint into a node of the engine.
 */
package dev.maze.core.endpoint;
