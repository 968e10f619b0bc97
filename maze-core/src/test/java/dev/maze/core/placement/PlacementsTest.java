package dev.maze.core.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The placement registry: names, parameters, and errors that say what is accepted. */
class PlacementsTest {

    private static final Resources QWEN = new Resources(1, 0, 1, 0, "qwen");

    /** Two nodes; qwen is resident on b, which is busier. */
    private static ClusterState residentOnTheBusierNode() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("a", 8, 8, 1, 80), NodeSpec.of("b", 8, 8, 1, 80)));
        Assignment warmup = new Assignment(1, new int[] {0});
        cluster.reserve(warmup, QWEN, 0);
        cluster.release(warmup, QWEN, 1);
        cluster.reserve(new Assignment(1, new int[0]), new Resources(4, 4, 0, 0, null), 1);
        return cluster;
    }

    @Test
    void namesTheBuiltInPlacementsInOrder() {
        assertThat(Placements.names()).containsExactly("default", "least-loaded", "model-aware");
        assertThat(Placements.create("default").name()).isEqualTo("default");
        assertThat(Placements.create("least-loaded").name()).isEqualTo("least-loaded");
        assertThat(Placements.create("model-aware")).isInstanceOf(ModelAwarePlacement.class);
        assertThat(Placements.create("default")).isNotSameAs(Placements.create("default"));
    }

    @Test
    void defaultTakesItsWeightsAsParameters() {
        ClusterState cluster = residentOnTheBusierNode();
        Placement.Request request = new Placement.Request(QWEN, -1, null);
        assertThat(Placements.create("default").place(cluster, request, null).node()).as("resident wins").isEqualTo(1);
        assertThat(Placements.create("default:modelResident=0").place(cluster, request, null).node()).isEqualTo(0);
        assertThat(Placements.create("least-loaded").place(cluster, request, null).node()).isEqualTo(0);
        assertThat(Placements.create("default: leastLoaded=1, modelResident=0.1 ,affinity=0.5").place(cluster, request, null)
                .node()).as("0.1 does not make up for the load").isEqualTo(0);
    }

    @Test
    void aMisspeltKeyIsAnErrorListingTheKnownOnes() {
        assertThatThrownBy(() -> Placements.create("default:modelResidnet=1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("placement default: unknown parameter(s) [modelResidnet]; known: leastLoaded, modelResident, affinity");
        assertThatThrownBy(() -> Placements.create("model-aware:wait=3"))
                .hasMessage("placement model-aware: unknown parameter(s) [wait]; it takes none");
    }

    @Test
    void anUnknownNameOrABadValueIsAnError() {
        assertThatThrownBy(() -> Placements.create("fastest"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown placement 'fastest'; known placements: default, least-loaded, model-aware");
        assertThatThrownBy(() -> Placements.create("default:affinity=-1"))
                .hasMessage("placement default: affinity must be a number >= 0, got '-1'");
        assertThatThrownBy(() -> Placements.create("default:affinity"))
                .hasMessage("placement default: expected key=value, got 'affinity'");
    }
}
