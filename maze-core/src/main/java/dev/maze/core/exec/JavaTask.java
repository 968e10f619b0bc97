package dev.maze.core.exec;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Java function that tasks of kind {@code java} call by name ({@code inputs.function}). Register
 * implementations through {@link java.util.ServiceLoader}: list them in
 * {@code META-INF/services/dev.maze.core.exec.JavaTask} on the classpath. Runs on a virtual thread; may block;
 * should stop when interrupted (cancel and timeout interrupt it).
 */
public interface JavaTask {

    /** The name tasks use in {@code inputs.function}. */
    String name();

    /**
     * Runs the function on the task's resolved inputs and returns its output (what successors see as
     * {@code tasks.<id>.output}). Throwing fails the attempt with the exception's message.
     */
    JsonNode run(JsonNode inputs) throws Exception;
}
