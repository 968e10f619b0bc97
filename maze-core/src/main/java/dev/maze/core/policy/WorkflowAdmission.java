package dev.maze.core.policy;

import java.util.List;

/**
 * Decides when an accepted workflow may start, and on which node, for schedulers whose unit is the workflow
 * (agent pools). A workflow that must wait keeps its tasks PENDING; its latency still counts from submission.
 * Called on the engine loop.
 */
public interface WorkflowAdmission {

    /**
     * What to do with a workflow just accepted.
     *
     * @param startNow whether its tasks may start now
     * @param node index of the node all its tasks must run on, or -1 for no constraint
     */
    record Decision(boolean startNow, int node) {}

    /** A workflow was accepted. */
    Decision onSubmit(String workflowId, String workflowName);

    /** A workflow ended; returns the ids of waiting workflows that may start now. */
    List<String> onFinish(String workflowId);
}
