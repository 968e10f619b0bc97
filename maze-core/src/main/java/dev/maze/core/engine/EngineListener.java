package dev.maze.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Receives state changes, after the journal stored them (so a listener never sees a workflow that was then refused).
 * Called on the engine loop at the end of each loop turn: implementations must be fast and must not block or throw
 * (a throwing listener is logged and otherwise ignored). Two views of the same changes: {@link TaskEvent} and
 * {@link WorkflowEvent} say which state a task or workflow is in now (what a progress display or dashboard draws);
 * {@link #onStateEvents} gives the typed journal records (what a metrics exporter or a replica consumes). Both carry
 * what a consumer needs, so nobody has to query the loop per event.
 */
public interface EngineListener {

    /** A task changed state. */
    default void onTaskEvent(TaskEvent event) {}

    /** A workflow was accepted or reached a terminal state. */
    default void onWorkflowEvent(WorkflowEvent event) {}

    /** One loop turn's journal records, in sequence order, after the journal stored them. */
    default void onStateEvents(List<StateEvent> batch) {}

    /**
     * One task state change.
     *
     * @param attempt attempts counted so far (a lost attempt is not counted)
     * @param node node of the latest attempt, or null
     * @param timeSeconds engine clock
     * @param message failure, retry or cancel reason, or null
     * @param attemptId id of the latest attempt, or 0 before the first
     * @param gpus the node's GPUs given to the latest attempt (empty for none)
     * @param output the output, when the task FINISHED; else null
     */
    record TaskEvent(String workflowId, String taskId, TaskState state, int attempt, String node, double timeSeconds,
            String message, long attemptId, List<Integer> gpus, JsonNode output) {

        public TaskEvent {
            gpus = List.copyOf(gpus);
        }
    }

    /** One workflow state change; {@code message} is the root cause of a failure or cancellation, or null. */
    record WorkflowEvent(String workflowId, String name, WorkflowState state, double timeSeconds, String message) {}
}
