package dev.maze.core.policy;

import dev.maze.core.workflow.TaskSpec;

/** What an ordering policy may know about a task that became READY. Times are engine-clock seconds. */
public interface ReadyTask {

    TaskSpec spec();

    String workflowName();

    /** When the task's workflow was submitted. */
    double workflowSubmittedAt();

    /** When the task became READY. */
    double readyAt();

    /** Model calls in the workflow. */
    int workflowInferences();

    /** Model calls in the workflow not yet finished (this task included, if it is one). */
    int remainingInferences();

    /** Predicted run time of this task, in seconds. */
    double predictedSeconds();

    /** Sum of predicted times along the workflow's longest path, in seconds. */
    double criticalPathSeconds();

    /**
     * Sum of predicted times along the longest path from this task (included) to the end of its workflow: the
     * least time the workflow still needs once this task starts.
     */
    double remainingPathSeconds();

    /** Position of the task in its workflow's topological order (0-based, stable). */
    int topologicalIndex();

    /** Tasks this one transitively depends on. */
    int ancestors();

    /** Tasks that transitively depend on this one. */
    int descendants();

    /** Tasks of the workflow not yet finished (this one included). */
    int remainingTasks();
}
