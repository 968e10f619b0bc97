package dev.maze.core.exec;

import com.fasterxml.jackson.databind.JsonNode;

/** How an attempt ended. */
public sealed interface TaskResult {

    /** The attempt succeeded; {@code output} is what successors' templates see as {@code tasks.<id>.output}. */
    record Success(JsonNode output) implements TaskResult {}

    /** The attempt failed; {@code message} says why (for processes: exit code and the end of stderr). */
    record Failure(String message) implements TaskResult {}
}
