package dev.maze.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.node.ModelEndpoint;
import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Model endpoints as nodes: their own concurrency, their residency, and what they refuse. */
class EndpointNodesTest {

    private static final Resources CALL = new Resources(0, 0, 1, 0, "m");

    private static NodeSpec endpoint(String id, int concurrency, boolean always, double memoryGb, double loadSeconds) {
        ModelSpec m = new ModelSpec("m", memoryGb / 2, loadSeconds, concurrency, 0);
        ModelSpec n = new ModelSpec("n", memoryGb / 2, loadSeconds, concurrency, 0);
        return NodeSpec.forEndpoint(new ModelEndpoint(id, "http://h/v1", null, concurrency, always,
                Map.of("m", m, "n", n)), memoryGb);
    }

    /** Reserves calls of {@code request} on {@code node} until it refuses one; returns how many it took. */
    private static int fill(ClusterState cluster, int node, Resources request) {
        int taken = 0;
        while (cluster.node(node).fit(request, null) != null && taken < 100) {
            cluster.reserve(new Assignment(node, cluster.node(node).fit(request, null)), request, 0);
            taken++;
        }
        return taken;
    }

    @Test
    void eachEndpointKeepsItsOwnConcurrencyForOneModel() {
        // The catalog says 8; the endpoints say 1 and 3: theirs win.
        ClusterState cluster = new ClusterState(List.of(endpoint("a", 1, true, 10, 0), endpoint("b", 3, true, 10, 0)),
                Map.of("m", new ModelSpec("m", 5, 30, 8, 0)), ModelResidency.KEEP);

        assertThat(fill(cluster, 0, CALL)).isEqualTo(1);
        assertThat(fill(cluster, 1, CALL)).isEqualTo(3);
        assertThat(cluster.node(1).fit(new Resources(0, 0, 1, 0, "n"), null)).as("another model waits").isNull();
    }

    @Test
    void anAlwaysLoadedEndpointNeverLoadsEvenWhenCallsUnloadTheirModel() {
        ClusterState cluster = new ClusterState(List.of(endpoint("a", 2, true, 10, 0)),
                Map.of("m", new ModelSpec("m", 5, 30)), ModelResidency.UNLOAD_AFTER_CALL);
        Assignment slot = new Assignment(0, new int[] {0});

        assertThat(cluster.residentCopies("m")).isEqualTo(1);
        for (int call = 0; call < 3; call++) {
            assertThat(cluster.reserve(slot, CALL, call)).isZero();
            cluster.release(slot, CALL, call + 0.5);
        }
        assertThat(cluster.modelLoads()).isZero();
        assertThat(cluster.residentCopies("m")).isEqualTo(1);
    }

    @Test
    void anOnDemandEndpointLoadsWithItsOwnLoadTimeAndKeepsWhatFits() {
        ClusterState cluster = new ClusterState(List.of(endpoint("o", 2, false, 10, 7)),
                Map.of("m", new ModelSpec("m", 80, 30)), ModelResidency.KEEP);
        Assignment slot = new Assignment(0, new int[] {0});
        Resources other = new Resources(0, 0, 1, 0, "n");

        assertThat(cluster.reserve(slot, CALL, 0)).isEqualTo(7);
        cluster.release(slot, CALL, 10);
        assertThat(cluster.reserve(slot, other, 10)).isEqualTo(7);
        cluster.release(slot, other, 20);
        assertThat(cluster.reserve(slot, CALL, 20)).as("both fit in its 10 GB: still resident").isZero();
        assertThat(cluster.modelLoads()).isEqualTo(2);
    }

    @Test
    void endpointsTakeOnlyCallsOfTheirModelsAndMachinesNoneOfThem() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("gpu-box", 8, 64, 2, 80), endpoint("a", 2, true, 10, 0)),
                Map.of(), ModelResidency.KEEP);

        assertThat(cluster.node(0).fit(CALL, null)).as("the endpoint's model: endpoints only").isNull();
        assertThat(cluster.node(0).whyNotFit(CALL, null)).isEqualTo(Refusal.MODEL_ON_ENDPOINTS);
        assertThat(cluster.node(1).whyNotFit(Resources.DEFAULT, null)).isEqualTo(Refusal.ENDPOINT);
        assertThat(cluster.node(0).fit(new Resources(1, 0, 1, 0, "other"), null)).isNotNull();
        assertThat(cluster.node(1).fit(CALL, null)).containsExactly(0);
        assertThat(cluster.node(1).fit(Resources.DEFAULT, null)).as("CPU work").isNull();
        assertThat(cluster.node(1).fit(new Resources(0, 0, 0, 0, null), null)).as("I/O work").isNull();
        assertThat(cluster.node(1).fit(new Resources(0, 0, 1, 0, null), null)).as("a GPU task without a model").isNull();
        assertThat(cluster.node(1).fit(new Resources(0, 0, 1, 4, "m"), null)).as("a slice").isNull();
        assertThat(cluster.node(1).fit(new Resources(0, 0, 0, 0, "m"), null)).as("no slot").isNull();
    }
}
