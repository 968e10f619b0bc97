package dev.maze.core.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nodes joining, draining and leaving a {@link ClusterState}: slots are stable handles, a draining node takes nothing
 * new but finishes what runs, a removed node is never eligible and no longer counted. Each case runs with the
 * placement indexes (kept from slot 0) and without (a small cluster scans).
 */
class ClusterMembershipTest {

    private static final Resources ONE_CORE = new Resources(1, 1, 0, 0, null);
    private static final Resources ONE_GPU = new Resources(1, 0, 1, 0, "m");

    private static ClusterState cluster(boolean indexed, NodeSpec... nodes) {
        return new ClusterState(List.of(nodes), Map.of(), ModelResidency.KEEP, indexed ? 0 : Integer.MAX_VALUE);
    }

    private static int place(ClusterState cluster, Resources resources) {
        Assignment assignment = new Placement().place(cluster, new Placement.Request(resources, -1, null), null);
        return assignment == null ? -1 : assignment.node();
    }

    @ParameterizedTest(name = "indexed {0}")
    @ValueSource(booleans = {true, false})
    void aNodeJoinsInANewSlotThatStaysItsHandle(boolean indexed) {
        ClusterState cluster = cluster(indexed, NodeSpec.of("a", 8, 8, 1, 80));
        cluster.reserve(new Assignment(0, new int[0]), new Resources(4, 4, 0, 0, null), 0);
        int b = cluster.addNode(NodeSpec.of("b", 8, 8, 2, 40));
        assertThat(b).isEqualTo(1);
        assertThat(cluster.size()).isEqualTo(2);
        assertThat(cluster.indexOf("b")).isEqualTo(1);
        assertThat(cluster.indexOf("nope")).isEqualTo(-1);
        assertThat(cluster.accepts(1)).isTrue();
        assertThat(cluster.gpuCount()).isEqualTo(3);
        assertThat(cluster.gpuMemoryGb()).isEqualTo(160);
        assertThat(place(cluster, ONE_CORE)).as("the idle newcomer is the least loaded").isEqualTo(1);
        assertThatThrownBy(() -> cluster.addNode(NodeSpec.of("b", 1, 1, 0, 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("node 'b' is already in the cluster (slot 1)");
    }

    @ParameterizedTest(name = "indexed {0}")
    @ValueSource(booleans = {true, false})
    void aDrainingNodeTakesNothingNewButWhatRunsThereFinishes(boolean indexed) {
        ClusterState cluster = cluster(indexed, NodeSpec.of("a", 8, 8, 1, 80), NodeSpec.of("b", 8, 8, 1, 80));
        Assignment onA = new Assignment(0, new int[] {0});
        cluster.reserve(onA, ONE_GPU, 0);
        cluster.drain(0);
        assertThat(cluster.accepts(0)).isFalse();
        assertThat(cluster.node(0).draining()).isTrue();
        assertThat(cluster.indexOf("a")).as("still present").isZero();
        assertThat(place(cluster, ONE_CORE)).isEqualTo(1);
        cluster.reserve(new Assignment(1, new int[] {0}), ONE_GPU, 0);
        assertThat(place(cluster, ONE_GPU)).as("b's GPU is taken; a drains").isEqualTo(-1);
        assertThat(new Placement().chooseReservation(cluster, new Placement.Request(ONE_GPU, -1, null)))
                .as("no reservation on a draining node").isEqualTo(1);
        cluster.release(onA, ONE_GPU, 5);
        assertThat(cluster.node(0).freeCpu()).isEqualTo(8);
        assertThat(cluster.gpuBusySeconds(5)).isEqualTo(10);
        assertThat(place(cluster, ONE_CORE)).as("idle, but draining").isEqualTo(1);
        cluster.drain(0); // again: nothing changes
        assertThat(cluster.accepts(0)).isFalse();
    }

    @ParameterizedTest(name = "indexed {0}")
    @ValueSource(booleans = {true, false})
    void aRemovedNodeIsNeverEligibleAndNoLongerCounted(boolean indexed) {
        ClusterState cluster = cluster(indexed, NodeSpec.of("a", 8, 8, 1, 80), NodeSpec.of("b", 8, 8, 2, 40));
        Assignment onB = new Assignment(1, new int[] {1});
        cluster.reserve(onB, ONE_GPU, 0);
        assertThatThrownBy(() -> cluster.remove(1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("node 'b' (slot 1) still runs 1 task(s); drain it and remove it when they have finished");
        cluster.release(onB, ONE_GPU, 4);
        assertThat(cluster.residentCopies("m")).isEqualTo(1);
        cluster.remove(1);
        assertThat(cluster.node(1).removed()).isTrue();
        assertThat(cluster.accepts(1)).isFalse();
        assertThat(cluster.indexOf("b")).isEqualTo(-1);
        assertThat(cluster.size()).as("the slot stays").isEqualTo(2);
        assertThat(cluster.gpuCount()).isEqualTo(1);
        assertThat(cluster.gpuMemoryGb()).isEqualTo(80);
        assertThat(cluster.gpuBusySeconds(100)).as("busy time so far is kept").isEqualTo(4);
        assertThat(cluster.residentCopies("m")).as("its resident models are gone").isZero();
        assertThat(cluster.node(1).isResident(1, "m")).isFalse();
        assertThat(place(cluster, ONE_CORE)).isZero();
        cluster.reserve(new Assignment(0, new int[0]), new Resources(8, 8, 0, 0, null), 4);
        assertThat(place(cluster, ONE_CORE)).as("only the removed node has room").isEqualTo(-1);
        assertThatThrownBy(() -> cluster.drain(1)).isInstanceOf(IllegalStateException.class)
                .hasMessage("node 'b' (slot 1) was removed");
        cluster.remove(1); // again: nothing changes

        int again = cluster.addNode(NodeSpec.of("b", 8, 8, 2, 40));
        assertThat(again).as("a new slot, never the old one").isEqualTo(2);
        assertThat(cluster.indexOf("b")).isEqualTo(2);
        assertThat(place(cluster, ONE_CORE)).isEqualTo(2);
        assertThat(cluster.gpuCount()).isEqualTo(3);
    }
}
