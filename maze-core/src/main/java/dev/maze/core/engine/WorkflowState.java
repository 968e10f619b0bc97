package dev.maze.core.engine;

/** A workflow's state: RUNNING from acceptance until all tasks finished (FINISHED) or it stopped early. */
public enum WorkflowState {
    RUNNING,
    FINISHED,
    /** A task failed after its last retry, a deadline passed, or inputs could not be resolved. */
    FAILED,
    /** Cancelled on request. */
    CANCELLED;

    public boolean isTerminal() {
        return this != RUNNING;
    }
}
