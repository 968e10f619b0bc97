package dev.maze.core.engine;

import dev.maze.core.workflow.WorkflowSpec;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToDoubleFunction;

/** A workflow inside the engine. Mutable; touched only on the engine loop. */
final class WorkflowRun {

    final String id;
    final WorkflowSpec spec;
    final CompletableFuture<WorkflowSnapshot> result;
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

    WorkflowRun(String id, WorkflowSpec spec, CompletableFuture<WorkflowSnapshot> result) {
        this.id = id;
        this.spec = spec;
        this.result = result;
        this.shape = WorkflowShape.of(spec.tasks());
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

    /** Longest path through the DAG, weighting each task by {@code seconds}. */
    double longestPath(ToDoubleFunction<TaskRun> seconds) {
        double[] finish = new double[tasks.length];
        double longest = 0;
        for (TaskRun task : tasks) { // topological order: predecessors come first
            double start = 0;
            for (int predecessor : shape.predecessors[task.topologicalIndex]) {
                start = Math.max(start, finish[predecessor]);
            }
            finish[task.topologicalIndex] = start + seconds.applyAsDouble(task);
            longest = Math.max(longest, finish[task.topologicalIndex]);
        }
        return longest;
    }

}
