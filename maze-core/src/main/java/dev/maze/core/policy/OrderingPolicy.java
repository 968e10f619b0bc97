package dev.maze.core.policy;

import java.util.Set;

/**
 * Decides which ready task goes first. The engine asks for a task's {@link QueueKey} once, when the task
 * becomes READY, and keeps its ready queue sorted by (workflow priority class, key, arrival sequence);
 * a smaller key runs first. All methods run on the engine loop.
 */
public interface OrderingPolicy {

    /** The name the policy is chosen by. */
    String name();

    /** Execution constraints the engine must apply for this policy (none for task-level policies). */
    default Set<Trait> traits() {
        return Set.of();
    }

    /** The key of a task that has just become READY. */
    QueueKey key(ReadyTask task);

    /** A workflow was accepted: {@code inferences} of its tasks are model calls. */
    default void onWorkflowSubmitted(String workflowName, int inferences) {}

    /** A workflow finished successfully after {@code executionSeconds} (submission to last task end). */
    default void onWorkflowFinished(String workflowName, double executionSeconds) {}

    /** Constraints a policy can ask the engine for. */
    enum Trait {
        /** At most one task of a workflow runs at a time. */
        SERIAL_WORKFLOW,
        /** A workflow is bound to the node of its first task, one that can run all of its tasks. */
        PIN_WORKFLOW_TO_NODE
    }
}
