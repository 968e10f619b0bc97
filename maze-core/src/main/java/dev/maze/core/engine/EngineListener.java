package dev.maze.core.engine;

/**
 * Receives state changes. Called on the engine loop: implementations must be fast and must not block or
 * throw (a throwing listener is logged and otherwise ignored).
 */
public interface EngineListener {

    /** A task changed state. */
    default void onTaskEvent(TaskEvent event) {}

    /** A workflow was accepted or reached a terminal state. */
    default void onWorkflowEvent(WorkflowEvent event) {}

    /**
     * One task state change.
     *
     * @param timeSeconds engine clock
     * @param node node of the attempt, or null
     * @param message failure or cancel reason, or null
     */
    record TaskEvent(String workflowId, String taskId, TaskState state, int attempt, String node, double timeSeconds,
            String message) {}

    /** One workflow state change. */
    record WorkflowEvent(String workflowId, String name, WorkflowState state, double timeSeconds, String message) {}
}
