package dev.maze.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The allocators against exhaustive search on 400 seeded random instances (up to 5 nodes, 2-9 layers, random
 * reservations, RTTs, bandwidths and measured latencies): dp is exactly optimal for the bottleneck and for latency
 * with RTT, feasibility agrees with the search, and the baselines never beat dp on dp's own objective.
 */
class PlaceAllocatorPropertyTest {

    private static final int SEEDS = 400;

    @Test
    void dpFindsTheLeastBottleneckAndTheLeastLatencyThatExhaustiveSearchFinds() {
        int feasible = 0;
        int leftOut = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Problem problem = RandomInstances.problem(seed, 5);
            List<Pipeline> all = RandomInstances.allPipelines(problem);
            Allocation throughput = Allocators.named("dp").allocate(problem, Objective.THROUGHPUT);
            Allocation latency = Allocators.named("dp").allocate(problem, Objective.LATENCY);
            String at = "seed " + seed;
            assertThat(throughput.feasible()).as(at).isEqualTo(!all.isEmpty());
            assertThat(latency.feasible()).as(at).isEqualTo(!all.isEmpty());
            if (all.isEmpty()) {
                assertThat(throughput.infeasible()).as(at).contains("missing");
                continue;
            }
            feasible++;
            double bottleneck = all.stream().mapToDouble(Pipeline::bottleneckMs).min().orElseThrow();
            double least = all.stream().mapToDouble(Pipeline::latencyMs).min().orElseThrow();
            assertThat(throughput.pipelines()).as(at).hasSize(1);
            assertThat(throughput.bottleneckMs()).as(at).isCloseTo(bottleneck, within(1e-9));
            assertThat(latency.latencyMs()).as(at).isCloseTo(least, within(1e-9));
            if (throughput.pipelines().get(0).stages().size() < problem.size()) {
                leftOut++;
            }
        }
        assertThat(feasible).as("instances that fit").isGreaterThan(SEEDS / 3);
        assertThat(leftOut).as("optima that leave a node out").isGreaterThan(10);
    }

    @Test
    void theBaselinesAreValidAndNeverBeatDpOnItsObjective() {
        int missed = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Problem problem = RandomInstances.problem(seed, 5);
            Allocation dp = Allocators.named("dp").allocate(problem, Objective.THROUGHPUT);
            Allocation dpLatency = Allocators.named("dp").allocate(problem, Objective.LATENCY);
            for (String name : List.of("greedy", "waterfill")) {
                Allocation other = Allocators.named(name).allocate(problem, Objective.THROUGHPUT);
                if (!dp.feasible()) {
                    assertThat(other.feasible()).as("seed " + seed + " " + name).isFalse();
                } else if (!other.feasible()) {
                    // Filling in a fixed order can strand the LM head where a pipeline exists: it says so.
                    assertThat(other.infeasible()).as("seed " + seed + " " + name).contains("--allocator dp");
                    missed++;
                } else {
                    assertThat(other.bottleneckMs()).as("seed " + seed + " " + name)
                            .isGreaterThanOrEqualTo(dp.bottleneckMs() - 1e-9);
                    assertThat(other.latencyMs()).isGreaterThanOrEqualTo(dpLatency.latencyMs() - 1e-9);
                }
            }
        }
        assertThat(missed).as("instances a baseline cannot place although dp can").isLessThan(SEEDS / 4);
    }

    @Test
    void replicasAreDisjointValidPipelinesServingAtLeastOnePipelineAndGreedysReplicas() {
        int several = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Problem problem = RandomInstances.problem(seed, 8);
            Allocation replicas = Allocators.named("dp").allocate(problem, Objective.REPLICAS);
            Allocation single = Allocators.named("dp").allocate(problem, Objective.THROUGHPUT);
            Allocation greedy = Allocators.named("greedy").allocate(problem, Objective.REPLICAS);
            assertThat(replicas.feasible()).isEqualTo(single.feasible());
            if (!replicas.feasible()) {
                continue;
            }
            Set<String> used = new HashSet<>();
            for (Pipeline pipeline : replicas.pipelines()) {
                for (String node : pipeline.nodes()) {
                    assertThat(used.add(node)).as("seed " + seed + ": node " + node + " in two pipelines").isTrue();
                }
            }
            assertThat(replicas.throughputTokensPerSec()).as("seed " + seed)
                    .isGreaterThanOrEqualTo(single.throughputTokensPerSec() * (1 - 1e-9))
                    .isGreaterThanOrEqualTo(greedy.throughputTokensPerSec() * (1 - 1e-9));
            if (replicas.pipelines().size() > 1) {
                several++;
            }
        }
        assertThat(several).as("instances served by several replicas").isGreaterThan(20);
    }
}
