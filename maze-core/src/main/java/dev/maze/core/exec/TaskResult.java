package dev.maze.core.exec;

import com.fasterxml.jackson.databind.JsonNode;

/** How an attempt ended. */
public sealed interface TaskResult {

    /** The attempt succeeded; {@code output} is what successors' templates see as {@code tasks.<id>.output}. */
    record Success(JsonNode output) implements TaskResult {}

    /**
     * The attempt failed; {@code message} says why (for processes: exit code and the end of stderr).
     *
     * @param retryable false when another attempt would fail the same way (a malformed request, a missing file): the
     *     task then fails at once instead of using its retries
     * @param retryAfterSeconds the least wait before another attempt that the failing side asked for (an HTTP
     *     {@code Retry-After}), 0 for none; the engine waits the longer of it and the task's backoff
     */
    record Failure(String message, boolean retryable, double retryAfterSeconds) implements TaskResult {
        /** A failure worth a retry. */
        public Failure(String message) {
            this(message, true, 0);
        }

        /** A failure with no wait asked for. */
        public Failure(String message, boolean retryable) {
            this(message, retryable, 0);
        }
    }

    /**
     * The attempt ended without a result through no fault of the task (its worker or node went away): the task runs
     * again and the attempt does not count against its retries.
     */
    record Lost(String reason) implements TaskResult {}
}
