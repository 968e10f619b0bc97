package dev.maze.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The routers: true-cost minimum, load and health, round-robin's turns, max-flow's throughput and shares. */
class PlaceRouterTest {

    /** A view whose loads and health a test sets. */
    static final class TestView implements RoutingView {
        final Problem problem;
        final Allocation allocation;
        final Map<String, Integer> inFlight = new HashMap<>();
        final Set<String> down = new HashSet<>();

        TestView(Problem problem, Allocation allocation) {
            this.problem = problem;
            this.allocation = allocation;
        }

        @Override
        public Problem problem() {
            return problem;
        }

        @Override
        public Allocation allocation() {
            return allocation;
        }

        @Override
        public boolean healthy(String node) {
            return problem.indexOf(node) >= 0 && !down.contains(node);
        }

        @Override
        public int inFlight(String node) {
            return inFlight.getOrDefault(node, 0);
        }
    }

    /** Nodes with measured per-layer latencies, 100 GB each (room for any split of 20 layers of 1 GB). */
    static Problem problem(Map<String, Double> layerMs, double rttMs, int maxRequests) {
        LayerModel model = new LayerModel("m", 20, 1, 1, 0, 0, false, 0, 16);
        List<Node> nodes = new ArrayList<>();
        layerMs.forEach((id, ms) -> nodes.add(new Node(id, 1, 100, 100, 0, Map.of(), 1, 0, ms, 0, maxRequests)));
        return Problem.of(model, Cluster.of(nodes, rttMs));
    }

    static Allocation allocation(Problem problem, int[][]... chains) {
        List<Pipeline> pipelines = new ArrayList<>();
        for (int[][] chain : chains) {
            pipelines.add(problem.pipeline(chain[0], chain[1]));
        }
        return new Allocation("test", Objective.REPLICAS, pipelines, null);
    }

    @Test
    void dpCountsEveryLayerOfAStageNotItsPerLayerLatencyOnce() {
        // solo runs 20 layers at 0.3 ms: 6 ms. The pair runs 10 + 10 at 0.2 ms with 1 ms between: 5 ms. Counting a
        // stage's per-layer latency once would pick solo (0.3 against 0.2 + 0.2 + 1).
        Map<String, Double> ms = new java.util.LinkedHashMap<>();
        ms.put("solo", 0.3);
        ms.put("p1", 0.2);
        ms.put("p2", 0.2);
        Problem problem = problem(ms, 1, 0);
        TestView view = new TestView(problem, allocation(problem, new int[][] {{0}, {20}},
                new int[][] {{1, 2}, {10, 10}}));
        Route route = Routers.create("dp").route(view).orElseThrow();
        assertThat(route.nodes()).containsExactly("p1", "p2");
        assertThat(route.estimatedMs()).isCloseTo(5, within(1e-9));
    }

    @Test
    void dpAvoidsOverloadedAndUnhealthyNodesAndWeighsLoad() {
        Map<String, Double> ms = new java.util.LinkedHashMap<>();
        ms.put("a", 0.1);
        ms.put("b", 0.2);
        Problem problem = problem(ms, 1, 3);
        TestView view = new TestView(problem, allocation(problem, new int[][] {{0}, {20}}, new int[][] {{1}, {20}}));
        RequestRouter dp = Routers.create("dp");
        assertThat(dp.route(view).orElseThrow().nodes()).containsExactly("a");
        view.inFlight.put("a", 2); // a: 2 ms x (1 + 2) = 6 ms against b's 4 ms idle
        assertThat(dp.route(view).orElseThrow().nodes()).containsExactly("b");
        view.inFlight.put("a", 0);
        view.down.add("a");
        assertThat(dp.route(view).orElseThrow().nodes()).containsExactly("b");
        view.down.clear();
        view.inFlight.put("a", 3); // at maxRequests: overloaded
        view.inFlight.put("b", 3);
        assertThat(dp.route(view)).isEmpty();
        assertThat(Routers.create("round-robin").route(view)).isEmpty();
        assertThat(Routers.create("max-flow").route(view)).isEmpty();
    }

    @Test
    void roundRobinTakesCompletePipelinesInTurnSkippingUnusableOnes() {
        Map<String, Double> ms = new java.util.LinkedHashMap<>();
        ms.put("a", 0.1);
        ms.put("b", 0.2);
        ms.put("c", 0.2);
        Problem problem = problem(ms, 1, 0);
        TestView view = new TestView(problem, allocation(problem, new int[][] {{0}, {20}}, new int[][] {{1}, {20}},
                new int[][] {{2}, {20}}));
        RequestRouter router = Routers.create("round-robin");
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            order.add(router.route(view).orElseThrow().nodes().get(0));
        }
        assertThat(order).containsExactly("a", "b", "c", "a");
        view.down.add("b");
        assertThat(router.route(view).orElseThrow().nodes()).containsExactly("c");
        assertThat(router.route(view).orElseThrow().nodes()).containsExactly("a");
    }

    @Test
    void dpIsTheLeastCostChainOverRandomReplicasAndLoadsAndMidRangeIsNeverWorse() {
        int checked = 0;
        for (long seed = 1; seed <= 300; seed++) {
            Problem problem = RandomInstances.problem(seed, 8);
            Allocation allocation = Allocators.named("dp").allocate(problem, Objective.REPLICAS);
            if (!allocation.feasible()) {
                continue;
            }
            TestView view = new TestView(problem, allocation);
            Random random = new Random(seed);
            for (int i = 0; i < problem.size(); i++) {
                view.inFlight.put(problem.node(i).id(), random.nextInt(3));
            }
            double least = leastChain(view);
            Optional<Route> route = Routers.create("dp").route(view);
            assertThat(route).as("seed " + seed).isPresent();
            assertThat(route.get().estimatedMs()).as("seed " + seed).isCloseTo(least, within(1e-9));
            assertThat(Routers.create("dp-mid").route(view).orElseThrow().estimatedMs()).as("seed " + seed)
                    .isLessThanOrEqualTo(least + 1e-9);
            checked++;
        }
        assertThat(checked).isGreaterThan(100);
    }

    /** Exhaustive: every chain of whole stages from layer 0 to the last, costed as the view says. */
    private static double leastChain(TestView view) {
        List<Stage> stages = new ArrayList<>();
        view.allocation().pipelines().forEach(p -> stages.addAll(p.stages()));
        return extend(view, stages, null, 0, 0);
    }

    private static double extend(TestView view, List<Stage> stages, Stage at, int layer, double cost) {
        if (layer == view.problem().layers()) {
            return cost;
        }
        double best = Double.POSITIVE_INFINITY;
        for (Stage next : stages) {
            if (next.startLayer() == layer) {
                double rtt = at == null ? 0 : view.problem().rttMs(view.problem().indexOf(at.node()),
                        view.problem().indexOf(next.node()));
                best = Math.min(best, extend(view, stages, next, next.endLayer(),
                        cost + rtt + view.costMs(next.node(), next.layers())));
            }
        }
        return best;
    }

    @Test
    void dpMidRangeLeavesASlowStageEarlyForAFasterOneHoldingTheSameLayers() {
        Map<String, Double> ms = new java.util.LinkedHashMap<>();
        ms.put("slow", 1.0);  // [0, 20)
        ms.put("fast1", 0.1); // [0, 5)
        ms.put("fast2", 0.1); // [5, 20)
        Problem problem = problem(ms, 0.5, 0);
        // The whole-stage chains: slow alone (20 ms) or fast1 + fast2 (2 + 0.5 = 2.5 ms); down fast1, whole stages
        // leave only slow, while mid-range runs slow for layers 0-4 and enters fast2 at 5: 5 + 0.5 + 1.5 = 7 ms.
        TestView view = new TestView(problem, allocation(problem, new int[][] {{0}, {20}},
                new int[][] {{1, 2}, {5, 15}}));
        view.down.add("fast1");
        assertThat(Routers.create("dp").route(view).orElseThrow().estimatedMs()).isCloseTo(20, within(1e-9));
        Route mid = Routers.create("dp-mid").route(view).orElseThrow();
        assertThat(mid.nodes()).containsExactly("slow", "fast2");
        assertThat(mid.hops().get(0).endLayer()).isEqualTo(5);
        assertThat(mid.estimatedMs()).isCloseTo(7, within(1e-9));
    }

    @Test
    void maxFlowIsTheSumOfTheStagesRatesLimitedByLinksAndSpreadsRequestsByFlow() {
        Map<String, Double> ms = new java.util.LinkedHashMap<>();
        ms.put("a", 0.1);   // [0, 20): 2 ms, 500 tokens/s
        ms.put("b1", 0.05); // [0, 10): 0.5 ms, 2000 tokens/s
        ms.put("b2", 0.1);  // [10, 20): 1 ms, 1000 tokens/s
        Problem problem = problem(ms, 1, 0);
        TestView view = new TestView(problem, allocation(problem, new int[][] {{0}, {20}},
                new int[][] {{1, 2}, {10, 10}}));
        MaxFlowRouter.Flow flow = MaxFlowRouter.flow(view);
        assertThat(flow.tokensPerSec()).isCloseTo(1500, within(1e-6));
        RequestRouter router = Routers.create("max-flow");
        int onA = 0;
        for (int i = 0; i < 300; i++) {
            if (router.route(view).orElseThrow().nodes().equals(List.of("a"))) {
                onA++;
            }
        }
        assertThat(onA).isEqualTo(100); // 500 of 1500 tokens/s
        view.down.add("b2");
        assertThat(MaxFlowRouter.flow(view).tokensPerSec()).isCloseTo(500, within(1e-6));

        // A 1 GB/s link carries 1e9 / 16,000 bytes = 62,500 tokens/s; 0.001 GB/s only 62.5.
        List<Node> slowLink = new ArrayList<>();
        for (Node node : problem.cluster().nodes()) {
            slowLink.add(new Node(node.id(), 1, 100, 100, 0, Map.of(), 1, 0, node.layerLatencyMs(), 0.001, 0));
        }
        Problem limited = Problem.of(problem.model(), Cluster.of(slowLink, 1));
        TestView linked = new TestView(limited, allocation(limited, new int[][] {{0}, {20}},
                new int[][] {{1, 2}, {10, 10}}));
        assertThat(MaxFlowRouter.flow(linked).tokensPerSec()).isCloseTo(500 + 62.5, within(1e-6));
    }
}
