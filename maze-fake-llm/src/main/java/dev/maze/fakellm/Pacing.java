package dev.maze.fakellm;

import java.util.concurrent.TimeUnit;

/** Interruptible waits on the wall clock: an interrupt is how a request learns its client went away. */
final class Pacing {

    /** Waits shorter than this are skipped (and caught up with by the next wait, which aims at a deadline). */
    static final long MIN_SLEEP_NANOS = 200_000;

    private Pacing() {}

    /** Sleeps until {@code System.nanoTime()} reaches {@code deadline} (returns at once when it has). */
    static void sleepUntil(long deadline) throws InterruptedException {
        long left = deadline - System.nanoTime();
        if (left >= MIN_SLEEP_NANOS) {
            TimeUnit.NANOSECONDS.sleep(left);
        } else if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }
}
