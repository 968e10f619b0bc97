package dev.maze.core.engine;

import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToDoubleFunction;

/** A workflow inside the engine. Mutable; touched only on the engine loop. */
final class WorkflowRun {

    final String id;
    final WorkflowSpec spec;
    final CompletableFuture<WorkflowSnapshot> result;
    /** Tasks in topological order (stable: among ready tasks, the order given in the spec). */
    final TaskRun[] tasks;
    final Map<String, TaskRun> byId = new HashMap<>();
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
    /** For policies that pin a workflow: its node once chosen, or -1; and the nodes able to run all its tasks. */
    int pinnedNode = -1;
    BitSet capableNodes;
    Runnable deadlineTimer;

    WorkflowRun(String id, WorkflowSpec spec, CompletableFuture<WorkflowSnapshot> result) {
        this.id = id;
        this.spec = spec;
        this.result = result;
        List<TaskSpec> order = topologicalOrder(spec.tasks());
        this.tasks = new TaskRun[order.size()];
        int inferenceCount = 0;
        for (int i = 0; i < tasks.length; i++) {
            tasks[i] = new TaskRun(this, order.get(i), i);
            byId.put(order.get(i).id(), tasks[i]);
            inferenceCount += order.get(i).resources().isInference() ? 1 : 0;
        }
        Map<String, List<Integer>> successors = new HashMap<>();
        for (TaskRun task : tasks) {
            task.predecessorsLeft = task.spec.dependsOn().size();
            for (String dependency : task.spec.dependsOn()) {
                successors.computeIfAbsent(dependency, d -> new ArrayList<>()).add(task.topologicalIndex);
            }
        }
        for (TaskRun task : tasks) {
            task.successors = successors.getOrDefault(task.spec.id(), List.of()).stream().mapToInt(Integer::intValue).toArray();
        }
        countRelatives();
        this.inferences = inferenceCount;
        this.remainingInferences = inferenceCount;
        this.unfinished = tasks.length;
    }

    /** Ancestor and descendant counts of every task (for policies such as HACS), from transitive closures. */
    private void countRelatives() {
        BitSet[] ancestors = new BitSet[tasks.length];
        for (TaskRun task : tasks) { // topological order: a predecessor's closure is complete before its successors'
            BitSet mine = new BitSet(tasks.length);
            for (String dependency : task.spec.dependsOn()) {
                int index = byId.get(dependency).topologicalIndex;
                mine.set(index);
                mine.or(ancestors[index]);
            }
            ancestors[task.topologicalIndex] = mine;
            task.ancestorCount = mine.cardinality();
            for (int ancestor = mine.nextSetBit(0); ancestor >= 0; ancestor = mine.nextSetBit(ancestor + 1)) {
                tasks[ancestor].descendantCount++;
            }
        }
    }

    /** Longest path through the DAG, weighting each task by {@code seconds}. */
    double longestPath(ToDoubleFunction<TaskRun> seconds) {
        double[] finish = new double[tasks.length];
        double longest = 0;
        for (TaskRun task : tasks) { // topological order: predecessors come first
            double start = 0;
            for (String dependency : task.spec.dependsOn()) {
                start = Math.max(start, finish[byId.get(dependency).topologicalIndex]);
            }
            finish[task.topologicalIndex] = start + seconds.applyAsDouble(task);
            longest = Math.max(longest, finish[task.topologicalIndex]);
        }
        return longest;
    }

    /** Kahn's algorithm, taking tasks in the order given whenever several are free. Assumes a validated DAG. */
    private static List<TaskSpec> topologicalOrder(List<TaskSpec> specs) {
        Map<String, Integer> waiting = new HashMap<>();
        Map<String, List<TaskSpec>> dependents = new HashMap<>();
        for (TaskSpec spec : specs) {
            waiting.put(spec.id(), spec.dependsOn().size());
            for (String dependency : spec.dependsOn()) {
                dependents.computeIfAbsent(dependency, d -> new ArrayList<>()).add(spec);
            }
        }
        Deque<TaskSpec> free = new ArrayDeque<>();
        for (TaskSpec spec : specs) {
            if (spec.dependsOn().isEmpty()) {
                free.add(spec);
            }
        }
        List<TaskSpec> order = new ArrayList<>(specs.size());
        while (!free.isEmpty()) {
            TaskSpec next = free.poll();
            order.add(next);
            for (TaskSpec dependent : dependents.getOrDefault(next.id(), List.of())) {
                if (waiting.merge(dependent.id(), -1, Integer::sum) == 0) {
                    free.add(dependent);
                }
            }
        }
        if (order.size() != specs.size()) {
            throw new IllegalArgumentException("workflow '" + specs + "' has a cycle; validate it before submitting");
        }
        return order;
    }
}
