package dev.maze.placement;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The KV cache a context length needs: layer capacity, requests a stage holds at once, routing and the simulation. */
class PlaceKvCacheTest {

    /** 20 layers of 1 GB; 100 KB of KV a layer a token, so 0.1 GB a layer for a request of 1,000 tokens. */
    private static final LayerModel MODEL = new LayerModel("m", 20, 1, 1.0, 0, 0, false, 100, 0);

    @Test
    void withoutAKvShareEachLayerCostsItsWeightsPlusOneRequestsKvAndTheRestHoldsMoreRequests() {
        Node node = Node.of("a", 1, 100, 10);
        assertThat(node.layerCapacity(MODEL, false, false, 0)).isEqualTo(10);
        assertThat(node.layerCapacity(MODEL, false, false, 1000)).isEqualTo(9); // 10 / 1.1
        // 5 layers leave 5 GB; a request needs 5 × 0.1 GB.
        assertThat(node.requestLimit(MODEL, 5, false, false, 1000)).isEqualTo(10);
        assertThat(node.requestLimit(MODEL, 9, false, false, 1000)).isEqualTo(1); // 1 GB left, 0.9 a request
        assertThat(node.requestLimit(MODEL, 5, false, false, 0)).isZero(); // the KV cache left out: no limit
    }

    @Test
    void aKvShareBoundsTheLayersByOneRequestAndTheRequestsByItsSize() {
        Node node = new Node("b", 1, 100, 10, 0, Map.of(), 0.8, 0.2, 0, 0, 0); // 8 GB of weights, 2 GB of KV
        assertThat(node.layerCapacity(MODEL, false, false, 1000)).isEqualTo(8);
        assertThat(node.layerCapacity(MODEL, false, false, 4000)).isEqualTo(5); // 0.4 GB a layer: 2 / 0.4
        assertThat(node.requestLimit(MODEL, 8, false, false, 1000)).isEqualTo(2); // 2 GB / 0.8
        Node capped = new Node("c", 1, 100, 10, 0, Map.of(), 0.8, 0.2, 0, 0, 1);
        assertThat(capped.requestLimit(MODEL, 8, false, false, 1000)).isEqualTo(1); // its maxRequests is lower
    }

    @Test
    void pipelinesReportTheLeastStageLimitAndTheInfeasibilityNamesTheKvCache() {
        // 13 GB nodes hold 11 layers (13 / 1.1); what a stage's weights leave is its KV cache.
        Cluster cluster = Cluster.of(List.of(Node.of("a", 1, 100, 13), Node.of("b", 1, 100, 13)), 1);
        Problem problem = new Problem(MODEL, cluster, new Serving(1, Double.POSITIVE_INFINITY, 1000));
        Pipeline even = problem.pipeline(new int[] {0, 1}, new int[] {10, 10});
        assertThat(even.stages()).extracting(Stage::maxRequests).containsExactly(3, 3); // 3 GB left, 1 GB a request
        Pipeline uneven = problem.pipeline(new int[] {0, 1}, new int[] {9, 11});
        assertThat(uneven.stages()).extracting(Stage::maxRequests).containsExactly(4, 1); // 4 / 0.9 and 2 / 1.1
        assertThat(uneven.maxConcurrentRequests()).isEqualTo(1);
        assertThat(new Allocation("x", Objective.REPLICAS, List.of(even, uneven), null).maxConcurrentRequests())
                .isEqualTo(4);
        Cluster one = Cluster.of(List.of(Node.of("a", 1, 100, 21)), 1);
        assertThat(new Problem(MODEL, one, new Serving(1, Double.POSITIVE_INFINITY, 1000)).infeasibility())
                .contains("KV cache for one request of 1000 tokens");
        assertThat(Problem.of(MODEL, one).infeasibility()).isNull();
    }

    @Test
    void routersAvoidAStageWhoseKvCacheIsFull() {
        Cluster cluster = Cluster.of(List.of(Node.of("fast", 1, 10, 30), Node.of("slow", 1, 2.5, 30)), 1);
        Problem problem = new Problem(MODEL, cluster, new Serving(1, Double.POSITIVE_INFINITY, 1000));
        Allocation both = Allocators.named("dp").allocate(problem, Objective.REPLICAS);
        assertThat(both.pipelines()).hasSize(2);
        int limit = both.stageOf("fast").maxRequests();
        assertThat(limit).isEqualTo(5); // 30 - 20 GB left, 2 GB a request
        RoutingView full = view(problem, both, Map.of("fast", limit));
        for (String router : Routers.names()) {
            assertThat(Routers.create(router).route(full).orElseThrow().nodes()).as(router).containsExactly("slow");
        }
        RoutingView none = view(problem, both, Map.of("fast", limit, "slow", limit));
        for (String router : Routers.names()) {
            assertThat(Routers.create(router).route(none)).as(router).isEmpty();
        }
    }

    @Test
    void inTheSimulationAFullKvCacheSendsRequestsToTheOtherReplica() {
        // fast: 22 GB, 20 layers leave 2 GB, one request of 1,000 tokens at a time; slow: room for ten.
        Cluster cluster = Cluster.of(List.of(Node.of("fast", 1, 10, 22), Node.of("slow", 1, 2.5, 40)), 1);
        Workload workload = new Workload(Workload.generated(200, 20, 50, 3, new HashSet<>()), List.of());
        long unlimited = onSlow(simulate(cluster, workload, 0));
        PlacementSimulation.Result limited = simulate(cluster, workload, 1000);
        assertThat(limited.served()).isEqualTo(200);
        assertThat(onSlow(limited)).isGreaterThan(unlimited + 10);
    }

    private static PlacementSimulation.Result simulate(Cluster cluster, Workload workload, int contextTokens) {
        return PlacementSimulation.run(MODEL, cluster, workload, Allocators.named("dp"), Objective.REPLICAS,
                new Serving(1, Double.POSITIVE_INFINITY, contextTokens), NodeLifecycle.Settings.DEFAULT, "dp", 0);
    }

    private static long onSlow(PlacementSimulation.Result result) {
        return result.requests().stream().filter(s -> s.route().get(0).node().equals("slow")).count();
    }

    private static RoutingView view(Problem problem, Allocation allocation, Map<String, Integer> inFlight) {
        PlaceRouterTest.TestView view = new PlaceRouterTest.TestView(problem, allocation);
        view.inFlight.putAll(inFlight);
        return view;
    }
}
