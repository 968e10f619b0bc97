package dev.maze.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.List;

/**
 * One change the engine loop made to its state: what a {@link StateJournal} stores, what
 * {@link Engine.Builder#restore} replays and what {@link EngineListener#onStateEvents} receives. The events of one
 * engine's state form one ordered stream; {@link #sequence()} numbers it from 1 and never repeats, also across a
 * restore (the restored engine continues after the last event it replayed). Times are seconds on the engine clock.
 * Events are immutable values; {@code JsonNode} fields must not be modified by consumers.
 */
public sealed interface StateEvent {

    /** Position in the engine's event stream (1, 2, ...). */
    long sequence();

    /** When the change happened, in engine-clock seconds. */
    double atSeconds();

    /** Events about one workflow (every event except node membership). */
    sealed interface OfWorkflow extends StateEvent {
        String workflowId();
    }

    /** Events about one task of one workflow. */
    sealed interface OfTask extends OfWorkflow {
        String taskId();
    }

    /** A workflow was accepted with its full spec; its submission time is {@link #atSeconds()}. */
    record WorkflowAccepted(long sequence, double atSeconds, String workflowId, WorkflowSpec spec) implements OfWorkflow {}

    /** A task entered the ready queue (its predecessors finished, its retry backoff ended, or its attempt was lost). */
    record TaskReady(long sequence, double atSeconds, String workflowId, String taskId, double predictedSeconds)
            implements OfTask {}

    /**
     * An attempt started.
     *
     * @param attemptId unique over the engine's life, also across restores (fences late reports of lost attempts)
     * @param attempt 1 for the first attempt counted against the retry budget, 2 for the first retry, ...
     * @param gpus indices of the node's GPUs given to the attempt
     * @param inputs the task's inputs with every template resolved
     * @param modelLoadSeconds time the attempt first spends loading its model (0 when resident)
     */
    record TaskStarted(long sequence, double atSeconds, String workflowId, String taskId, long attemptId, int attempt,
            String nodeId, List<Integer> gpus, JsonNode inputs, double modelLoadSeconds) implements OfTask {}

    /**
     * An attempt succeeded and the task is FINISHED.
     *
     * @param output what successors' templates see as {@code tasks.<id>.output}
     * @param successorFeatures the features it stated for its successors ({@code succ_task_feat}), or null
     */
    record TaskFinished(long sequence, double atSeconds, String workflowId, String taskId, long attemptId,
            JsonNode output, JsonNode successorFeatures) implements OfTask {}

    /**
     * An attempt failed (its executor reported a failure, or it timed out).
     *
     * @param retry whether the task will run again; when false it is FAILED
     * @param retryAtSeconds when it becomes READY again (NaN when it does not retry)
     */
    record AttemptFailed(long sequence, double atSeconds, String workflowId, String taskId, long attemptId,
            String message, boolean retry, double retryAtSeconds) implements OfTask {}

    /**
     * An attempt ended without a result (its node was lost, or the engine restarted while it ran): the task is
     * READY again and the attempt does not count against its retries.
     */
    record AttemptLost(long sequence, double atSeconds, String workflowId, String taskId, long attemptId,
            String reason) implements OfTask {}

    /** A task will not run: its workflow was cancelled or failed, or an upstream task failed. */
    record TaskCancelled(long sequence, double atSeconds, String workflowId, String taskId, String reason)
            implements OfTask {}

    /**
     * Tasks were added to a running workflow (a dynamic workflow: an agent deciding its next step), after its own, in
     * the order given.
     */
    record TasksAdded(long sequence, double atSeconds, String workflowId, List<TaskSpec> tasks) implements OfWorkflow {}

    /** An open workflow was closed: it ends once its tasks have ended. */
    record WorkflowClosed(long sequence, double atSeconds, String workflowId) implements OfWorkflow {}

    /** A workflow reached a terminal state ({@code FINISHED}, {@code FAILED} or {@code CANCELLED}). */
    record WorkflowEnded(long sequence, double atSeconds, String workflowId, WorkflowState state, String error)
            implements OfWorkflow {}

    /** Events about cluster membership. */
    sealed interface OfNode extends StateEvent {
        String nodeId();
    }

    /** A node joined after the engine started (the nodes it was built with are configuration, not events). */
    record NodeAdded(long sequence, double atSeconds, NodeSpec node) implements OfNode {
        @Override
        public String nodeId() {
            return node.id();
        }
    }

    /** A node takes no new tasks; its running attempts finish. */
    record NodeDrained(long sequence, double atSeconds, String nodeId) implements OfNode {}

    /** A node left after its attempts ended. */
    record NodeRemoved(long sequence, double atSeconds, String nodeId) implements OfNode {}

    /** A node was lost (crashed, unreachable): its running attempts were lost and re-queued. */
    record NodeLost(long sequence, double atSeconds, String nodeId, String reason) implements OfNode {}
}
