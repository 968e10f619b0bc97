package dev.maze.core.clock;

/**
 * The engine's time source, in nanoseconds from an arbitrary origin. The engine reads time only through
 * its clock and sets timers only on its own timer queue, so the same loop runs real work on
 * {@link WallClock} and a discrete-event simulation on {@link VirtualClock}.
 */
public interface Clock {

    /**
     * The longest duration Maze accepts anywhere a duration is given (timeouts, deadlines, retry backoffs, simulated
     * durations, predictions): 100,000,000 s, a little over 3 years. Validation refuses more, naming the field. The
     * bound keeps every due time far inside the clock's nanosecond range (about 9.2e9 s, even counted from the Unix
     * epoch), so no sum of durations can wrap around into the past.
     */
    double MAX_DURATION_SECONDS = 100_000_000;

    /** Current time in nanoseconds; never decreases. */
    long nanos();

    /** Current time in seconds. */
    default double seconds() {
        return nanos() / 1e9;
    }
}
