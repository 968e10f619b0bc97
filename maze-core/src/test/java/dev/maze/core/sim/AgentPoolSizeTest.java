package dev.maze.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.sim.SimulationResult.TaskRecord;
import dev.maze.core.sim.SimulationResult.WorkflowRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pool size of profile {@code agent} on the paper's workload. In the Maze artifact's agent-level runs (AutoGen and
 * AgentScope, at 4, 8 and 16 nodes) no two workflows of one type ever overlap: one agent per type, whatever the node
 * count, which is the profile's default. {@code agents=per-node} (one agent per node per type) lets them overlap.
 */
class AgentPoolSizeTest {

    private static Workload dynamic;

    @BeforeAll
    static void load() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("workloads/maze-dynamic.yaml"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("workloads/maze-dynamic.yaml above the working directory").isNotNull();
        dynamic = WorkloadParser.parseFile(dir.resolve("workloads/maze-dynamic.yaml"), Map.of());
    }

    @ParameterizedTest
    @ValueSource(longs = {42, 43, 44, 45, 46})
    void withOneAgentPerTypeNoTwoWorkflowsOfATypeEverOverlap(long seed) {
        SimulationResult agent = Simulation.run(dynamic, "agent", seed);
        assertThat(agent.workflows()).allMatch(w -> !Double.isNaN(w.finishedAt()));
        assertThat(overlaps(agent)).as("seed %d: a workflow that started before the last one of its type ended", seed)
                .isEmpty();
        // ... and each type's workflows all run on one node, that of its one agent.
        Map<String, String> nodeOfType = new HashMap<>();
        Map<String, String> typeOf = new HashMap<>();
        agent.workflows().forEach(w -> typeOf.put(w.id(), w.type()));
        for (TaskRecord task : agent.tasks()) {
            String node = nodeOfType.computeIfAbsent(typeOf.get(task.workflowId()), type -> task.node());
            assertThat(task.node()).as("%s/%s", task.workflowId(), task.taskId()).isEqualTo(node);
        }
    }

    @Test
    void withOneAgentPerNodeWorkflowsOfATypeDoOverlap() {
        long overlapping = LongStream.rangeClosed(42, 46)
                .map(seed -> overlaps(Simulation.run(dynamic, "agent:agents=per-node", seed)).size())
                .sum();
        assertThat(overlapping).as("workflows that started while another of their type ran, seeds 42-46").isPositive();
        assertThat(overlaps(Simulation.run(dynamic, "agent:agents=1", 42))).as("agents=1 is the default").isEmpty();
    }

    /** Workflows that started (first task) before the previous workflow of their type, by start, had ended. */
    private static List<String> overlaps(SimulationResult result) {
        Map<String, Double> firstStart = new HashMap<>();
        for (TaskRecord task : result.tasks()) {
            firstStart.merge(task.workflowId(), task.startedAt(), Math::min);
        }
        Map<String, List<WorkflowRecord>> byType = new HashMap<>();
        for (WorkflowRecord workflow : result.workflows()) {
            byType.computeIfAbsent(workflow.type(), type -> new ArrayList<>()).add(workflow);
        }
        List<String> overlapping = new ArrayList<>();
        for (List<WorkflowRecord> ofType : byType.values()) {
            ofType.sort(Comparator.comparingDouble(w -> firstStart.get(w.id())));
            for (int i = 1; i < ofType.size(); i++) {
                if (firstStart.get(ofType.get(i).id()) < ofType.get(i - 1).finishedAt()) {
                    overlapping.add(ofType.get(i).id());
                }
            }
        }
        return overlapping;
    }
}
