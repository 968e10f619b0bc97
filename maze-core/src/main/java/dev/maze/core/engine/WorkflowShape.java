package dev.maze.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.workflow.IdentityCache;
import dev.maze.core.workflow.InputTemplates;
import dev.maze.core.workflow.TaskGraph;
import dev.maze.core.workflow.TaskSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

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
    /**
     * Per task: the tasks whose outputs its templates read (topological indices), or null when its inputs hold no
     * template. Found once per task list, so rendering an attempt's inputs costs what it reads, not the workflow's size.
     */
    final int[][] templateSources;

    private WorkflowShape(List<TaskSpec> specs) {
        TaskGraph graph = TaskGraph.of(specs);
        if (!graph.unordered().isEmpty()) {
            throw new IllegalArgumentException("workflow has a dependency cycle; validate it before submitting");
        }
        order = graph.order();
        int count = order.size();
        predecessors = new int[count][];
        successors = new int[count][];
        int inferenceCount = 0;
        for (int i = 0; i < count; i++) {
            predecessors[i] = graph.predecessors(i);
            successors[i] = graph.successors(i);
            inferenceCount += order.get(i).resources().isInference() ? 1 : 0;
        }
        inferences = inferenceCount;
        templateSources = new int[count][];
        for (int i = 0; i < count; i++) {
            templateSources[i] = templateSources(graph, i);
        }
        ancestors = graph.ancestorCounts();
        descendants = graph.descendantCounts();
    }

    private static int[] templateSources(TaskGraph graph, int index) {
        JsonNode inputs = graph.order().get(index).inputs();
        if (!containsTemplate(inputs)) {
            return null;
        }
        try {
            Set<String> ids = new LinkedHashSet<>();
            for (InputTemplates.Reference reference : InputTemplates.references(inputs)) {
                if (reference.variable().equals("tasks")) { // a section over every task's entry
                    return IntStream.range(0, graph.order().size()).toArray();
                }
                if (reference.taskId() != null) {
                    ids.add(reference.taskId());
                }
            }
            return ids.stream().mapToInt(graph::indexOf).filter(i -> i >= 0).toArray();
        } catch (IllegalArgumentException malformed) { // rendering reports it when the task starts
            return new int[0];
        }
    }

    private static boolean containsTemplate(JsonNode node) {
        if (node == null) {
            return false;
        }
        if (node.isTextual()) {
            return node.asText().contains("{{");
        }
        for (JsonNode child : node) { // the values of an object or an array
            if (containsTemplate(child)) {
                return true;
            }
        }
        return false;
    }

    /** The shape of {@code tasks}, computed once per list instance held in {@code cache}. Assumes a validated DAG. */
    static WorkflowShape of(List<TaskSpec> tasks, IdentityCache<List<TaskSpec>, WorkflowShape> cache) {
        return cache.computeIfAbsent(tasks, WorkflowShape::new);
    }
}
