/**
 * Calls over HTTP as task kinds: {@code http} (a generic tool call) and the model calls. Each attempt is one request on a
 * virtual thread that the engine can abort; the engine owns retries ({@link dev.maze.core.exec.TaskResult.Failure}
 * says whether another attempt could succeed and how long the server asked to wait).
 */
package dev.maze.core.call;
