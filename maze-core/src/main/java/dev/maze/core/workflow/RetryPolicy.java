package dev.maze.core.workflow;

/**
 * How often a failed task is tried again, and how long to wait in between.
 *
 * @param count retries after the first attempt (0 = fail at once)
 * @param backoffSeconds wait before the first retry
 * @param multiplier growth of the wait per retry (exponential backoff)
 * @param maxBackoffSeconds cap on the wait
 * @param jitter how much of each wait is random, 0 to 1: the wait is {@code w × (1 − jitter × u)} for a u in [0, 1)
 *     fixed by the engine seed, the task and the attempt, so that calls failing together (a model server's 429s) do
 *     not all come back at the same moment, and a run still repeats for its seed
 */
public record RetryPolicy(int count, double backoffSeconds, double multiplier, double maxBackoffSeconds, double jitter) {

    /** No jitter. */
    public RetryPolicy(int count, double backoffSeconds, double multiplier, double maxBackoffSeconds) {
        this(count, backoffSeconds, multiplier, maxBackoffSeconds, 0);
    }

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

    /** Wait before retry number {@code retry} (1-based), in seconds, without jitter. */
    public double backoffBeforeRetry(int retry) {
        return Math.min(maxBackoffSeconds, backoffSeconds * Math.pow(multiplier, retry - 1));
    }

    /** Wait before retry number {@code retry} (1-based), in seconds, with jitter drawn as {@code unit} (0 to 1). */
    public double backoffBeforeRetry(int retry, double unit) {
        return backoffBeforeRetry(retry) * (1 - jitter * unit);
    }
}
