package dev.maze.core.engine;

import dev.maze.core.workflow.WorkflowSpec;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;

/** A workflow inside the engine. Mutable; touched only on the engine loop. */
final class WorkflowRun {

    final String id;
    final WorkflowSpec spec;
    final CompletableFuture<WorkflowSnapshot> result;
    /** Completes when the journal has stored the workflow's acceptance. */
    final CompletableFuture<Void> accepted = new CompletableFuture<>();
    /** Tasks in topological order (stable: among ready tasks, the order given in the spec). */
    final TaskRun[] tasks;
    final WorkflowShape shape;
    final int inferences;

    WorkflowState state = WorkflowState.RUNNING;
    double submittedAt;
    double finishedAt = Double.NaN;
    String error;
    int unfinished;
    int remainingInferences;
    int runningTasks;
    double criticalPathSeconds;
    /** Node of the workflow's latest placed task (affinity), or -1. */
    int preferredNode = -1;
    /**
     * For policies that pin a workflow: its node once chosen (-1 before), and the nodes its tasks may use — those
     * able to run all of its tasks until it is pinned, then the pinned node alone.
     */
    int pinnedNode = -1;
    BitSet allowedNodes;
    Runnable deadlineTimer;

    WorkflowRun(String id, WorkflowSpec spec, CompletableFuture<WorkflowSnapshot> result, WorkflowShape shape) {
        this.id = id;
        this.spec = spec;
        this.result = result;
        this.shape = shape;
        this.tasks = new TaskRun[shape.order.size()];
        for (int i = 0; i < tasks.length; i++) {
            TaskRun task = new TaskRun(this, shape.order.get(i), i);
            task.predecessorsLeft = shape.predecessors[i].length;
            task.successors = shape.successors[i];
            task.ancestorCount = shape.ancestors[i];
            task.descendantCount = shape.descendants[i];
            tasks[i] = task;
        }
        this.inferences = shape.inferences;
        this.remainingInferences = inferences;
        this.unfinished = tasks.length;
    }

    /** Binds the workflow to {@code node}: all its tasks run there from now on. */
    void pin(int node) {
        pinnedNode = node;
        allowedNodes = new BitSet(node + 1);
        allowedNodes.set(node);
    }

    /**
     * Sets each task's {@link TaskRun#pathAfterSeconds} (the longest sum of predicted times on a path from a successor
     * to the end) and returns the workflow's critical path: the longest sum of predicted times on any path.
     */
    double computePaths() {
        double longest = 0;
        for (int i = tasks.length - 1; i >= 0; i--) { // reverse topological order: successors come first
            double after = 0;
            for (int successor : shape.successors[i]) {
                after = Math.max(after, tasks[successor].pathAfterSeconds + tasks[successor].predictedSeconds);
            }
            tasks[i].pathAfterSeconds = after;
            longest = Math.max(longest, after + tasks[i].predictedSeconds);
        }
        return longest;
    }

}
