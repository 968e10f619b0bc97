package dev.maze.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.clock.VirtualClock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Join, leave, heartbeat expiry, repair and rebalance, all on a virtual clock. */
class PlaceLifecycleTest {

    private final VirtualClock clock = new VirtualClock();

    private static LayerModel model() {
        return new LayerModel("m", 10, 1, 1, 0, 0, false, 0, 0);
    }

    private static Cluster cluster(double memoryGb, String... ids) {
        return Cluster.of(java.util.Arrays.stream(ids).map(id -> Node.of(id, 1, 100, memoryGb)).toList(), 1);
    }

    private NodeLifecycle lifecycle(Cluster cluster, List<String> initial, Objective objective) {
        return new NodeLifecycle(clock, model(), cluster, initial, Allocators.named("dp"), objective,
                Serving.DEFAULT, NodeLifecycle.Settings.DEFAULT);
    }

    private void at(double seconds) {
        clock.advanceTo((long) (seconds * 1e9));
    }

    private static List<String> kinds(NodeLifecycle lifecycle) {
        return lifecycle.events().stream().map(LifecycleEvent::kind).toList();
    }

    @Test
    void aNodeSilentPastTheTimeoutIsRemovedAndItsPipelineDroppedWhileTheOthersServe() {
        NodeLifecycle lifecycle = lifecycle(cluster(12, "a", "b", "c"), List.of("a", "b", "c"), Objective.REPLICAS);
        assertThat(lifecycle.allocation().pipelines()).hasSize(3); // each node holds the whole model
        for (int t = 10; t <= 60; t += 10) {
            at(t);
            lifecycle.heartbeat("a");
            lifecycle.heartbeat("b");
            lifecycle.tick();
        }
        assertThat(lifecycle.nodes()).containsExactly("a", "b", "c"); // 60 s of silence is not yet past 60 s
        at(70);
        lifecycle.heartbeat("a");
        lifecycle.heartbeat("b");
        lifecycle.tick();
        assertThat(lifecycle.nodes()).containsExactly("a", "b");
        assertThat(lifecycle.allocation().pipelines()).hasSize(2);
        assertThat(lifecycle.healthy("c")).isFalse();
        assertThat(kinds(lifecycle)).containsExactly("reallocated", "expired", "dropped");
        assertThat(lifecycle.events().get(1).atSeconds()).isEqualTo(70);
        assertThat(Routers.create("round-robin").route(lifecycle).orElseThrow().nodes()).doesNotContain("c");
    }

    @Test
    void whenNoCompletePipelineIsLeftTheRemainingNodesAreReallocated() {
        NodeLifecycle lifecycle = lifecycle(cluster(6, "a", "b", "c", "d"), List.of("a", "b", "c", "d"),
                Objective.REPLICAS);
        assertThat(lifecycle.allocation().pipelines()).hasSize(2); // two nodes hold one model
        List<String> first = lifecycle.allocation().pipelines().get(0).nodes();
        List<String> second = lifecycle.allocation().pipelines().get(1).nodes();
        at(30);
        lifecycle.leave(first.get(0));
        assertThat(lifecycle.allocation().pipelines()).hasSize(1);
        lifecycle.leave(second.get(0));
        assertThat(lifecycle.allocation().feasible()).isTrue();
        assertThat(lifecycle.allocation().pipelines().get(0).nodes())
                .containsExactlyInAnyOrder(first.get(1), second.get(1));
        assertThat(kinds(lifecycle)).containsExactly("reallocated", "left", "dropped", "left", "dropped",
                "reallocated");
    }

    @Test
    void loadImbalanceAboveTheThresholdRebalancesWithTheMeasuredLatency() {
        NodeLifecycle lifecycle = lifecycle(cluster(8, "a", "b"), List.of("a", "b"), Objective.THROUGHPUT);
        assertThat(layersOn(lifecycle, "a")).isEqualTo(5);
        lifecycle.measured("a", 0.03); // three times its estimate of 0.01 ms
        lifecycle.load("a", 4);
        lifecycle.load("b", 4);
        at(10);
        lifecycle.tick();
        assertThat(layersOn(lifecycle, "a")).as("balanced load: no rebalance").isEqualTo(5);
        lifecycle.load("a", 9);
        lifecycle.load("b", 1); // CV 0.8
        at(20);
        lifecycle.tick();
        assertThat(layersOn(lifecycle, "a")).isEqualTo(2); // 2 x 0.03 against 8 x 0.01: the least bottleneck
        assertThat(lifecycle.events().get(lifecycle.events().size() - 1).detail()).contains("load imbalance");
        at(30);
        lifecycle.tick(); // still imbalanced, but the allocation would come out the same: kept
        assertThat(kinds(lifecycle).stream().filter("reallocated"::equals)).hasSize(2);
    }

    @Test
    void aJoinReallocatesOnlyWhenItGainsMoreThanTheThreshold() {
        Cluster cluster = Cluster.of(List.of(Node.of("a", 1, 100, 12), Node.of("fast", 1, 1000, 12),
                Node.of("tiny", 1, 1, 1)), 1);
        NodeLifecycle lifecycle = lifecycle(cluster, List.of("a"), Objective.THROUGHPUT);
        lifecycle.join("tiny"); // one layer at 1 ms: slower than a's whole 0.1 ms model
        assertThat(lifecycle.allocation().pipelines().get(0).nodes()).containsExactly("a");
        lifecycle.join("fast");
        assertThat(lifecycle.allocation().pipelines().get(0).nodes()).contains("fast");
        assertThat(kinds(lifecycle)).containsExactly("reallocated", "joined", "joined", "reallocated");
        assertThatThrownBy(() -> lifecycle.join("nobody")).hasMessageContaining("not one of the described nodes");
    }

    @Test
    void anInfeasibleStartWaitsForTheNodeThatMakesItFit() {
        NodeLifecycle lifecycle = lifecycle(cluster(6, "a", "b"), List.of("a"), Objective.THROUGHPUT);
        assertThat(lifecycle.allocation().feasible()).isFalse();
        assertThat(Routers.create("dp").route(lifecycle)).isEmpty();
        at(5);
        lifecycle.join("b");
        assertThat(lifecycle.allocation().feasible()).isTrue();
    }

    private static int layersOn(NodeLifecycle lifecycle, String node) {
        return lifecycle.allocation().pipelines().stream().flatMap(p -> p.stages().stream())
                .filter(s -> s.node().equals(node)).mapToInt(Stage::layers).sum();
    }
}
