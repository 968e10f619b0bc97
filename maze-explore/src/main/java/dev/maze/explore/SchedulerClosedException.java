package dev.maze.explore;

/**
 * Thrown by {@link TraceScheduler#next()} once the scheduler is closed (the exploration's budget is spent or it is
 * stopping), including to a loop that was waiting: the loop should stop.
 */
public final class SchedulerClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    SchedulerClosedException(String scheduler) {
        super("scheduler " + scheduler + " is closed: no more experiments are handed out");
    }
}
