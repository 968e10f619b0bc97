package dev.maze.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.node.GpuSpec;
import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Why a READY task does not start: the filters' reasons counted over the nodes, the permit, the reservation. */
class WhyPendingTest {

    private static final Resources TWO_QWEN_GPUS = new Resources(0, 0, 2, 0, "qwen3-32b");

    @Test
    void countsNodesPerReasonAndNamesTheReservedNode() {
        List<NodeSpec> nodes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            nodes.add(NodeSpec.of("gpu-" + i, 8, 64, 2, 80));
        }
        for (int i = 6; i < 8; i++) {
            nodes.add(new NodeSpec("gpu-" + i, 8, 64, List.of(new GpuSpec(0, "H100", 80), new GpuSpec(1, "H100", 80)),
                    Set.of("llama")));
        }
        ClusterState cluster = new ClusterState(nodes);
        for (int i = 0; i < 6; i++) {
            cluster.reserve(new Assignment(i, new int[] {0}), new Resources(1, 0, 1, 0, "other"), 0);
        }
        Placement placement = new Placement();
        Placement.Request request = new Placement.Request(TWO_QWEN_GPUS, -1, null);
        assertThat(placement.place(cluster, request, null)).isNull();
        PendingReason why = placement.whyPending(cluster, request, null, 3);
        assertThat(why).hasToString("needs 2 GPUs, model qwen3-32b: 6 nodes have fewer free GPUs, "
                + "2 nodes do not allow the model; holds the reservation on gpu-3");
        assertThat(why.refusals()).containsExactly(Map.entry("have fewer free GPUs", 6), Map.entry("do not allow the model", 2));
        assertThat(why.fittingNodes()).isZero();
        assertThat(why.reservedNode()).isEqualTo("gpu-3");
    }

    @Test
    void oneNodeIsSingularDrainingAndRemovedNodesAndClaimsAreSaid() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("a", 4, 16, 1, 80), NodeSpec.of("b", 4, 16, 1, 80),
                NodeSpec.of("c", 4, 16, 1, 80), NodeSpec.of("d", 4, 16, 1, 80)));
        cluster.drain(1);
        cluster.drain(3);
        cluster.remove(3);
        cluster.reserve(new Assignment(2, new int[0]), new Resources(3, 0, 0, 0, null), 0);
        Resources twoCores = new Resources(2, 1, 0, 0, null);
        PendingReason why = new Placement().whyPending(cluster, new Placement.Request(twoCores, -1, null),
                new Claim(0, new Resources(3, 0, 0, 0, null)), -1);
        assertThat(why).hasToString("needs 2 cores, 1 GB: 1 node holds cores back for the head-of-line task, "
                + "1 node is draining, 1 node has fewer free cores");
    }

    @Test
    void aTaskThatFitsButIsHeldBackByAPermitSaysUntilWhenAndWhy() {
        Map<String, ModelSpec> catalog = Map.of("qwen", new ModelSpec("qwen", 60, 30));
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("a", 8, 8, 1, 80), NodeSpec.of("b", 8, 8, 1, 80)),
                catalog, ModelResidency.KEEP);
        Resources qwen = new Resources(1, 0, 1, 0, "qwen");
        cluster.reserve(new Assignment(0, new int[] {0}), qwen, 0, 10); // a holds qwen, busy until 40
        Placement mars = new ModelAwarePlacement();
        Placement.Request request = new Placement.Request(qwen, -1, null, 20, 0);
        assertThat(mars.place(cluster, request, null)).isSameAs(Placement.DEFER);
        assertThat(mars.whyPending(cluster, request, null, -1)).hasToString("needs 1 core, 1 GPU, model qwen: could start "
                + "on 1 node now but waits until 50 s for a busy GPU that holds qwen to free up, 1 node has fewer free GPUs");
        assertThat(new Placement().whyPending(cluster, request, null, -1)).hasToString(
                "needs 1 core, 1 GPU, model qwen: could start on 1 node now, 1 node has fewer free GPUs");
    }

    @Test
    void describesSlicesAndFractions() {
        assertThat(PendingReason.describe(new Resources(0.5, 2.25, 2, 20, null))).isEqualTo("0.5 cores, 2.25 GB, 2 GPUs with 20 GB free each");
        assertThat(PendingReason.describe(new Resources(0, 0, 0, 0, null))).isEqualTo("nothing");
        assertThat(PendingReason.number(1 / 3.0)).isEqualTo("0.333");
    }
}
