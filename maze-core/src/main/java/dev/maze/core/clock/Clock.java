package dev.maze.core.clock;

/**
 * The engine's time source, in nanoseconds from an arbitrary origin. The engine reads time only through
 * its clock and sets timers only on its own timer queue, so the same loop runs real work on
 * {@link WallClock} and a discrete-event simulation on {@link VirtualClock}.
 */
public interface Clock {

    /** Current time in nanoseconds; never decreases. */
    long nanos();

    /** Current time in seconds. */
    default double seconds() {
        return nanos() / 1e9;
    }
}
