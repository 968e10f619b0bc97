package dev.maze.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.exec.TaskExecutors;
import dev.maze.core.testing.Choices;
import dev.maze.core.testing.SeededProperty;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/** Properties of the validator's graph checks over random DAGs. */
class WorkflowGraphProperties {

    private final WorkflowValidator validator = new WorkflowValidator(TaskExecutors.defaults(), List.of());

    /** Task {@code k} depends on a subset of tasks {@code 0..k-1}: always acyclic. */
    static List<Set<Integer>> dags(Choices choices) {
        int size = choices.between(1, 24);
        List<Set<Integer>> dag = new ArrayList<>();
        for (int k = 0; k < size; k++) {
            dag.add(k == 0 ? Set.of() : choices.subsetOf(IntStream.range(0, k).boxed().toList(), 0, Math.min(k, 3)));
        }
        return List.copyOf(dag);
    }

    @SeededProperty(tries = 300, seed = 20261122)
    void acyclicWorkflowsAreAcceptedInAnyTaskOrder(long seed) {
        Choices choices = Choices.of(seed);
        List<Set<Integer>> dag = dags(choices);
        boolean reversed = choices.anyBoolean();
        List<TaskSpec> tasks = tasks(dag, null);
        if (reversed) {
            tasks = tasks.reversed();
        }

        assertThat(validator.validate(workflow(tasks))).isEmpty();
    }

    @SeededProperty(tries = 300, seed = 20261123)
    void aTemplateIsAcceptedExactlyWhenItReferencesAnAncestor(long seed) {
        Choices choices = Choices.of(seed);
        List<Set<Integer>> dag = dags(choices);
        long targetSeed = choices.anyLong();
        int size = dag.size();
        // Each task references one task of the workflow (possibly itself, an ancestor, or an unrelated task).
        int[] target = IntStream.range(0, size).map(k -> Math.floorMod(targetSeed * 31 + k * 7919L, size)).toArray();

        List<ValidationError> errors = validator.validate(workflow(tasks(dag, target)));

        List<String> expected = new ArrayList<>();
        for (int k = 0; k < size; k++) {
            if (!ancestors(dag, k).contains(target[k])) {
                expected.add("t" + k + " -> t" + target[k]);
            }
        }
        assertThat(errors).allSatisfy(error -> {
            assertThat(error.field()).isEqualTo("inputs.prompt");
            assertThat(error.message()).contains("which is not an ancestor");
        });
        assertThat(errors).extracting(error -> error.task() + " -> " + error.message().replaceAll(".*task '([^']+)'.*", "$1"))
                .containsExactlyElementsOf(expected);
    }

    @SeededProperty(tries = 300, seed = 20261124)
    void aBackEdgeIsReportedAsACycleThatReallyExists(long seed) {
        Choices choices = Choices.of(seed);
        List<Set<Integer>> dag = dags(choices);
        int a = choices.between(0, 1000);
        int b = choices.between(0, 1000);
        int size = dag.size();
        if (size < 2) {
            return;
        }
        int low = Math.min(a % size, b % size);
        int high = Math.max(a % size, b % size);
        if (low == high) {
            if (high < size - 1) {
                high++;
            } else {
                low--;
            }
        }
        // high depends on low (still a DAG), then low on high closes a cycle through both.
        List<Set<Integer>> cyclic = new ArrayList<>(dag);
        Set<Integer> highDeps = new HashSet<>(cyclic.get(high));
        highDeps.add(low);
        cyclic.set(high, highDeps);
        Set<Integer> lowDeps = new HashSet<>(cyclic.get(low));
        lowDeps.add(high);
        cyclic.set(low, lowDeps);
        List<TaskSpec> tasks = tasks(cyclic, null);

        List<ValidationError> errors = validator.validate(workflow(tasks));

        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("dependsOn");
            assertThat(error.message()).startsWith("dependency cycle: ");
            String chain = error.message().substring("dependency cycle: ".length(), error.message().indexOf(" (each"));
            List<String> ids = List.of(chain.split(" -> "));
            assertThat(ids.get(0)).isEqualTo(ids.get(ids.size() - 1)).isEqualTo(error.task());
            assertThat(new LinkedHashSet<>(ids.subList(0, ids.size() - 1))).as("no task repeats inside the cycle")
                    .hasSize(ids.size() - 1);
            for (int i = 0; i + 1 < ids.size(); i++) {
                int from = Integer.parseInt(ids.get(i).substring(1));
                assertThat(cyclic.get(from)).as(ids.get(i) + " depends on " + ids.get(i + 1))
                        .contains(Integer.parseInt(ids.get(i + 1).substring(1)));
            }
        });
    }

    private static List<TaskSpec> tasks(List<Set<Integer>> dag, int[] templateTarget) {
        List<TaskSpec> tasks = new ArrayList<>();
        for (int k = 0; k < dag.size(); k++) {
            int id = k;
            int target = templateTarget == null ? -1 : templateTarget[k];
            List<String> deps = dag.get(k).stream().sorted().map(d -> "t" + d).toList();
            tasks.add(WorkflowBuilder.workflow("x").task("t" + id, t -> {
                t.dependsOn(deps.toArray(String[]::new)).input("seconds", 1);
                if (target >= 0) {
                    t.input("prompt", "{{tasks.t" + target + ".output.text}}");
                }
            }).build().tasks().get(0));
        }
        return tasks;
    }

    private static WorkflowSpec workflow(List<TaskSpec> tasks) {
        return new WorkflowSpec(null, "random", PriorityClass.NORMAL, null, tasks, null);
    }

    /** Every task {@code k} transitively depends on, computed independently of the validator. */
    private static Set<Integer> ancestors(List<Set<Integer>> dag, int k) {
        Set<Integer> seen = new HashSet<>();
        List<Integer> todo = new ArrayList<>(dag.get(k));
        while (!todo.isEmpty()) {
            int next = todo.remove(todo.size() - 1);
            if (seen.add(next)) {
                todo.addAll(dag.get(next));
            }
        }
        return seen;
    }
}
