package dev.maze.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * dp's replicas up to 12 nodes against exhaustive search: every valid pipeline enumerated, the best per node set
 * kept, and every combination of disjoint sets tried. Half the instances carry a latency limit drawn from the
 * pipelines' own latencies, so the limit binds.
 */
class PlaceReplicasExactTest {

    private static final int SEEDS = 300;

    @Test
    void replicasEqualTheBestCombinationOfDisjointPipelinesThatExhaustiveSearchFinds() {
        int several = 0;
        int limited = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Problem plain = RandomInstances.problem(seed, 5);
            List<Pipeline> all = RandomInstances.allPipelines(plain);
            Problem problem = plain;
            if (seed % 2 == 0 && !all.isEmpty()) {
                double[] latencies = all.stream().mapToDouble(Pipeline::latencyMs).sorted().toArray();
                double limit = latencies[new Random(seed).nextInt(latencies.length)];
                problem = new Problem(plain.model(), plain.cluster(), Serving.DEFAULT.withMaxLatencyMs(limit));
                limited++;
            }
            double limit = problem.maxLatencyMs();
            List<Pipeline> within = all.stream().filter(p -> p.latencyMs() <= limit).toList();
            double[] best = bestDisjoint(problem, within);
            Allocation replicas = Allocators.named("dp").allocate(problem, Objective.REPLICAS);
            String at = "seed " + seed;
            assertThat(replicas.feasible()).as(at).isEqualTo(!within.isEmpty());
            if (within.isEmpty()) {
                continue;
            }
            Set<String> used = new HashSet<>();
            double weighted = 0;
            for (Pipeline pipeline : replicas.pipelines()) {
                assertThat(pipeline.latencyMs()).as(at).isLessThanOrEqualTo(limit);
                pipeline.nodes().forEach(node -> assertThat(used.add(node)).as(at + ": " + node + " twice").isTrue());
                weighted += pipeline.tokensPerSec() * pipeline.latencyMs();
            }
            assertThat(replicas.throughputTokensPerSec()).as(at).isCloseTo(best[0], within(1e-9 * best[0]));
            assertThat(weighted).as(at + ": the weighted latency of equal throughput").isCloseTo(best[1],
                    within(1e-9 * best[1]));
            if (replicas.pipelines().size() > 1) {
                several++;
            }
        }
        assertThat(several).as("instances served by several replicas").isGreaterThan(20);
        assertThat(limited).isGreaterThan(SEEDS / 3);
    }

    @Test
    void theExactSearchIsNeverBelowTheHeuristicUpToTwelveNodes() {
        int better = 0;
        for (long seed = 1; seed <= 60; seed++) {
            Problem problem = RandomInstances.problem(seed, 12);
            double exact = PlacementBenchmark.tokensPerSec(problem, ReplicaSearch.exact(problem));
            double heuristic = PlacementBenchmark.tokensPerSec(problem, ReplicaSearch.heuristic(problem));
            assertThat(exact).as("seed " + seed).isGreaterThanOrEqualTo(heuristic * (1 - 1e-9));
            if (exact > heuristic * (1 + 1e-9)) {
                better++;
            }
        }
        assertThat(better).as("instances where the heuristic falls short").isGreaterThan(0);
    }

    @Test
    void aLimitNoPipelineMeetsIsReportedWithTheLeastLatency() {
        Problem plain = RandomInstances.problem(3, 5);
        Problem problem = new Problem(plain.model(), plain.cluster(), Serving.DEFAULT.withMaxLatencyMs(1e-6));
        Allocation replicas = Allocators.named("dp").allocate(problem, Objective.REPLICAS);
        assertThat(replicas.feasible()).isFalse();
        assertThat(replicas.infeasible()).contains("latency limit");
    }

    /** {tokens/s, Σ tokens/s × latency} of the best combination: most throughput, then least weighted latency. */
    private static double[] bestDisjoint(Problem problem, List<Pipeline> pipelines) {
        int n = problem.size();
        Pipeline[] bySet = new Pipeline[1 << n];
        for (Pipeline p : pipelines) {
            int set = 0;
            for (String node : p.nodes()) {
                set |= 1 << problem.indexOf(node);
            }
            Pipeline old = bySet[set];
            if (old == null || p.tokensPerSec() > old.tokensPerSec() * (1 + 1e-12)
                    || (p.tokensPerSec() >= old.tokensPerSec() * (1 - 1e-12) && p.latencyMs() < old.latencyMs())) {
                bySet[set] = p;
            }
        }
        return combine(bySet, 0, 1);
    }

    /** The best over every way to add sets not touching {@code used}, each set tried once (from {@code next} up). */
    private static double[] combine(Pipeline[] bySet, int used, int next) {
        double[] best = {0, 0};
        for (int set = next; set < bySet.length; set++) {
            if (bySet[set] == null || (set & used) != 0) {
                continue;
            }
            double[] rest = combine(bySet, used | set, set + 1);
            double rate = rest[0] + bySet[set].tokensPerSec();
            double weighted = rest[1] + bySet[set].tokensPerSec() * bySet[set].latencyMs();
            if (rate > best[0] * (1 + 1e-12) || (rate >= best[0] * (1 - 1e-12) && weighted < best[1])) {
                best = new double[] {rate, weighted};
            }
        }
        return best;
    }
}
