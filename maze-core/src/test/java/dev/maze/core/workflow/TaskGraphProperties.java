package dev.maze.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.testing.Choices;
import dev.maze.core.testing.SeededProperty;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The graph's counts and reachability answers against a plain closure, on DAGs large enough to need several blocks of
 * sources (the propagation carries 256 per pass), given in shuffled order.
 */
class TaskGraphProperties {

    /** Task k depends on up to 3 earlier tasks, mostly near it (long chains) and sometimes anywhere. */
    private static List<List<Integer>> dag(Choices choices) {
        int size = choices.oneOf(1, 2, choices.between(3, 40), choices.between(250, 700));
        List<List<Integer>> dag = new ArrayList<>();
        for (int k = 0; k < size; k++) {
            List<Integer> deps = new ArrayList<>();
            int count = k == 0 ? 0 : choices.between(0, Math.min(k, 3));
            for (int d = 0; d < count; d++) {
                int dep = choices.anyBoolean() ? k - 1 - choices.between(0, Math.min(k - 1, 4)) : choices.between(0, k - 1);
                if (!deps.contains(dep)) {
                    deps.add(dep);
                }
            }
            dag.add(deps);
        }
        return dag;
    }

    private static List<TaskSpec> tasks(List<List<Integer>> dag, Choices choices) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int k = 0; k < dag.size(); k++) {
            String[] deps = dag.get(k).stream().map(d -> "t" + d).toArray(String[]::new);
            tasks.add(WorkflowBuilder.workflow("x").task("t" + k, t -> t.dependsOn(deps)).build().tasks().get(0));
        }
        for (int i = tasks.size() - 1; i > 0; i--) { // the file's order is not the topological one
            int j = choices.between(0, i);
            TaskSpec swap = tasks.get(i);
            tasks.set(i, tasks.get(j));
            tasks.set(j, swap);
        }
        return tasks;
    }

    /** closure.get(k): every task k depends on, directly or not. */
    private static List<BitSet> closure(List<List<Integer>> dag) {
        List<BitSet> closure = new ArrayList<>();
        for (List<Integer> deps : dag) { // task k's dependencies come before it
            BitSet mine = new BitSet();
            for (int dep : deps) {
                mine.set(dep);
                mine.or(closure.get(dep));
            }
            closure.add(mine);
        }
        return closure;
    }

    private static int number(TaskSpec task) {
        return Integer.parseInt(task.id().substring(1));
    }

    @SeededProperty(tries = 60, seed = 20261201)
    void countsAreTheSizesOfTheClosures(long seed) {
        Choices choices = Choices.of(seed);
        List<List<Integer>> dag = dag(choices);
        List<BitSet> closure = closure(dag);
        TaskGraph graph = TaskGraph.of(tasks(dag, choices));

        int[] ancestors = graph.ancestorCounts();
        int[] descendants = graph.descendantCounts();
        assertThat(graph.unordered()).isEmpty();
        for (int i = 0; i < graph.order().size(); i++) {
            int k = number(graph.order().get(i));
            assertThat(ancestors[i]).as("ancestors of t" + k).isEqualTo(closure.get(k).cardinality());
            long expectedDescendants = closure.stream().filter(c -> c.get(k)).count();
            assertThat(descendants[i]).as("descendants of t" + k).isEqualTo((int) expectedDescendants);
        }
    }

    @SeededProperty(tries = 60, seed = 20261202)
    void everyTaskComesAfterItsDependencies(long seed) {
        Choices choices = Choices.of(seed);
        List<List<Integer>> dag = dag(choices);
        TaskGraph graph = TaskGraph.of(tasks(dag, choices));

        for (int i = 0; i < graph.order().size(); i++) {
            for (int predecessor : graph.predecessors(i)) {
                assertThat(predecessor).isLessThan(i);
                assertThat(graph.successors(predecessor)).contains(i);
            }
            assertThat(graph.indexOf(graph.order().get(i).id())).isEqualTo(i);
        }
    }

    @SeededProperty(tries = 60, seed = 20261203)
    void isAncestorAnswersEveryQuestionAsTheClosureDoes(long seed) {
        Choices choices = Choices.of(seed);
        List<List<Integer>> dag = dag(choices);
        List<BitSet> closure = closure(dag);
        TaskGraph graph = TaskGraph.of(tasks(dag, choices));
        int size = dag.size();
        int questions = choices.between(0, 3 * size);
        int[] ancestors = new int[questions];
        int[] tasks = new int[questions];
        for (int q = 0; q < questions; q++) {
            ancestors[q] = graph.indexOf("t" + choices.between(0, size - 1));
            tasks[q] = graph.indexOf("t" + choices.between(0, size - 1));
        }

        boolean[] answers = graph.isAncestor(ancestors, tasks);

        for (int q = 0; q < questions; q++) {
            int ancestor = number(graph.order().get(ancestors[q]));
            int task = number(graph.order().get(tasks[q]));
            assertThat(answers[q]).as("t" + ancestor + " is an ancestor of t" + task)
                    .isEqualTo(closure.get(task).get(ancestor));
        }
    }

    @Test
    void tasksOnOrBehindACycleAreUnordered() {
        List<TaskSpec> tasks = WorkflowBuilder.workflow("x")
                .task("a", t -> {})
                .task("b", t -> t.dependsOn("a", "c"))
                .task("c", t -> t.dependsOn("b"))
                .task("d", t -> t.dependsOn("c"))
                .task("e", t -> t.dependsOn("a", "unknown"))
                .build().tasks();

        TaskGraph graph = TaskGraph.of(tasks);

        assertThat(graph.order()).extracting(TaskSpec::id).containsExactly("a", "e");
        assertThat(graph.unordered()).extracting(TaskSpec::id).containsExactly("b", "c", "d");
        assertThat(graph.indexOf("c")).isEqualTo(-1);
        assertThat(graph.ancestorCounts()).containsExactly(0, 1);
        assertThat(graph.descendantCounts()).containsExactly(1, 0);
    }
}
