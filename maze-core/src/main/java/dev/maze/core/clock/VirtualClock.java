package dev.maze.core.clock;

/**
 * Simulated time, starting at 0. Only the engine loop that owns it moves it forward: when nothing can
 * happen before the next timer, the loop jumps straight to that timer's time.
 */
public final class VirtualClock implements Clock {

    private volatile long now;

    @Override
    public long nanos() {
        return now;
    }

    /**
     * Moves time forward to {@code nanos}; a time in the past is ignored (time never goes back). Called by the engine
     * loop that owns the clock (and by a restore, to catch up with a journal); nobody else should move it.
     */
    public void advanceTo(long nanos) {
        if (nanos > now) {
            now = nanos;
        }
    }
}
