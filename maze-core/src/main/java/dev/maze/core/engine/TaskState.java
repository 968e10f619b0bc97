package dev.maze.core.engine;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A task's life: {@code PENDING -> READY -> RUNNING -> FINISHED | FAILED | CANCELLED}. A failed attempt
 * with retries left goes back to PENDING while it waits out its backoff, then to READY.
 */
public enum TaskState {
    /** Waiting for predecessors (or for a retry's backoff). */
    PENDING,
    /** All predecessors finished; in the ready queue. */
    READY,
    /** Placed on a node and executing. */
    RUNNING,
    FINISHED,
    FAILED,
    CANCELLED;

    private static final Map<TaskState, Set<TaskState>> ALLOWED = new EnumMap<>(TaskState.class);

    static {
        ALLOWED.put(PENDING, EnumSet.of(READY, CANCELLED));
        ALLOWED.put(READY, EnumSet.of(RUNNING, CANCELLED));
        ALLOWED.put(RUNNING, EnumSet.of(FINISHED, FAILED, PENDING, CANCELLED));
        ALLOWED.put(FINISHED, EnumSet.noneOf(TaskState.class));
        ALLOWED.put(FAILED, EnumSet.noneOf(TaskState.class));
        ALLOWED.put(CANCELLED, EnumSet.noneOf(TaskState.class));
    }

    /** Whether the task can no longer change. */
    public boolean isTerminal() {
        return this == FINISHED || this == FAILED || this == CANCELLED;
    }

    /** Whether the transition table allows going from this state to {@code next}. */
    public boolean canMoveTo(TaskState next) {
        return ALLOWED.get(this).contains(next);
    }
}
