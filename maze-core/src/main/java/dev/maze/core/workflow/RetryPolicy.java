package dev.maze.core.workflow;

/**
 * How often a failed task is tried again, and how long to wait in between.
 *
 * @param count retries after the first attempt (0 = fail at once)
 * @param backoffSeconds wait before the first retry
 * @param multiplier growth of the wait per retry (exponential backoff)
 * @param maxBackoffSeconds cap on the wait
 */
public record RetryPolicy(int count, double backoffSeconds, double multiplier, double maxBackoffSeconds) {

    /**
     * The most retries a task may have: a task that keeps failing is retried at most this often, so a typo such as
     * {@code retries: 1000000000} cannot keep a workflow going for ever.
     */
    public static final int MAX_COUNT = 1000;

    /** No retries. */
    public static final RetryPolicy NONE = new RetryPolicy(0, 1, 2, 60);

    /** {@code count} retries with the default backoff (1 s, doubling, at most 60 s). */
    public static RetryPolicy of(int count) {
        return new RetryPolicy(count, NONE.backoffSeconds, NONE.multiplier, NONE.maxBackoffSeconds);
    }

    /** Wait before retry number {@code retry} (1-based), in seconds. */
    public double backoffBeforeRetry(int retry) {
        return Math.min(maxBackoffSeconds, backoffSeconds * Math.pow(multiplier, retry - 1));
    }
}
