package dev.maze.core.engine;

import java.util.List;

/**
 * A workflow's state at one instant, safe to hand to any thread. Times are seconds on the engine's clock.
 *
 * @param finishedAt when it reached a terminal state, or null
 * @param error root cause of a failure or cancellation, or null
 */
public record WorkflowSnapshot(
        String id, String name, WorkflowState state, double submittedAt, Double finishedAt, String error,
        List<TaskSnapshot> tasks) {

    /** Seconds from submission to the end of its last task; null while running. */
    public Double latencySeconds() {
        return finishedAt == null ? null : finishedAt - submittedAt;
    }

    /** The task with this id, or null. */
    public TaskSnapshot task(String taskId) {
        return tasks.stream().filter(t -> t.id().equals(taskId)).findFirst().orElse(null);
    }
}
