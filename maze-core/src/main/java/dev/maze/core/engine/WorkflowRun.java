package dev.maze.core.engine;

import dev.maze.core.workflow.WorkflowSpec;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A workflow inside the engine. Mutable; touched only on the engine loop. */
final class WorkflowRun {

    final String id;
    /** The workflow as it stands: its tasks grow when tasks are added ({@link #extend}). */
    WorkflowSpec spec;
    final CompletableFuture<WorkflowSnapshot> result;
    /** Completes when the journal has stored the workflow's acceptance. */
    final CompletableFuture<Void> accepted = new CompletableFuture<>();
    /** Tasks in topological order (stable: among ready tasks, the order given in the spec). */
    TaskRun[] tasks;
    WorkflowShape shape;
    int inferences;
    /** An open workflow does not end when its tasks have, until it is closed. */
    boolean open;
    /** Closed: it was open and {@code close} was asked; nothing may be added any more. */
    boolean closed;

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
        this.open = spec.open();
    }

    /**
     * The workflow with tasks added: {@code extended} is the spec with them after its own, {@code newShape} its shape.
     * Existing tasks keep their state (and their place in the ready queue); the added ones start PENDING, waiting for
     * their predecessors that have not finished. Returns the added tasks.
     */
    List<TaskRun> extend(WorkflowSpec extended, WorkflowShape newShape) {
        Map<String, TaskRun> existing = new HashMap<>();
        for (TaskRun task : tasks) {
            existing.put(task.spec.id(), task);
        }
        TaskRun[] grown = new TaskRun[newShape.order.size()];
        List<TaskRun> added = new ArrayList<>();
        for (int i = 0; i < grown.length; i++) {
            TaskRun task = existing.get(newShape.order.get(i).id());
            if (task == null) {
                task = new TaskRun(this, newShape.order.get(i), i);
                added.add(task);
            }
            task.topologicalIndex = i;
            task.successors = newShape.successors[i];
            task.ancestorCount = newShape.ancestors[i];
            task.descendantCount = newShape.descendants[i];
            grown[i] = task;
        }
        for (TaskRun task : added) {
            int waiting = 0;
            for (int predecessor : newShape.predecessors[task.topologicalIndex]) {
                waiting += grown[predecessor].state == TaskState.FINISHED ? 0 : 1;
            }
            task.predecessorsLeft = waiting;
            unfinished++;
            if (task.spec.resources().isInference()) {
                remainingInferences++;
            }
        }
        spec = extended;
        shape = newShape;
        tasks = grown;
        inferences = newShape.inferences;
        return added;
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
