package dev.maze.core.engine;

import dev.maze.core.workflow.IdentityCache;
import dev.maze.core.workflow.TaskSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The immutable structure of a workflow's DAG: topological order, edges by index, ancestor and descendant counts.
 * Computed once per task list and shared by every workflow built from the same (immutable) list — all arrivals of
 * one simulated workflow type, say — through the engine's bounded {@link IdentityCache}.
 */
final class WorkflowShape {

    /** Task lists whose shape an engine keeps. */
    static final int CACHED_PER_ENGINE = 4096;

    /** Tasks in topological order (Kahn's algorithm; among free tasks, the order given). */
    final List<TaskSpec> order;
    /** Per task (by topological index): indices of its predecessors and of its successors. */
    final int[][] predecessors;
    final int[][] successors;
    final int[] ancestors;
    final int[] descendants;
    final int inferences;

    private WorkflowShape(List<TaskSpec> specs) {
        order = topologicalOrder(specs);
        Map<String, Integer> indexById = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            indexById.put(order.get(i).id(), i);
        }
        int count = order.size();
        predecessors = new int[count][];
        List<List<Integer>> successorLists = new ArrayList<>(count);
        int inferenceCount = 0;
        for (int i = 0; i < count; i++) {
            successorLists.add(new ArrayList<>());
            inferenceCount += order.get(i).resources().isInference() ? 1 : 0;
        }
        for (int i = 0; i < count; i++) {
            List<String> dependsOn = order.get(i).dependsOn();
            predecessors[i] = new int[dependsOn.size()];
            for (int d = 0; d < dependsOn.size(); d++) {
                int predecessor = indexById.get(dependsOn.get(d));
                predecessors[i][d] = predecessor;
                successorLists.get(predecessor).add(i);
            }
        }
        successors = new int[count][];
        for (int i = 0; i < count; i++) {
            successors[i] = successorLists.get(i).stream().mapToInt(Integer::intValue).toArray();
        }
        inferences = inferenceCount;
        ancestors = new int[count];
        descendants = new int[count];
        BitSet[] closure = new BitSet[count];
        for (int i = 0; i < count; i++) { // topological order: a predecessor's closure is complete before its successors'
            BitSet mine = new BitSet(count);
            for (int predecessor : predecessors[i]) {
                mine.set(predecessor);
                mine.or(closure[predecessor]);
            }
            closure[i] = mine;
            ancestors[i] = mine.cardinality();
            for (int ancestor = mine.nextSetBit(0); ancestor >= 0; ancestor = mine.nextSetBit(ancestor + 1)) {
                descendants[ancestor]++;
            }
        }
    }

    /** The shape of {@code tasks}, computed once per list instance held in {@code cache}. Assumes a validated DAG. */
    static WorkflowShape of(List<TaskSpec> tasks, IdentityCache<List<TaskSpec>, WorkflowShape> cache) {
        return cache.computeIfAbsent(tasks, WorkflowShape::new);
    }

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
            throw new IllegalArgumentException("workflow has a dependency cycle; validate it before submitting");
        }
        return List.copyOf(order);
    }
}
