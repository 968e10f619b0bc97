package dev.maze.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request streams and node events replayed on the virtual clock. */
class PlaceSimulationTest {

    @TempDir
    Path dir;

    /** 10 layers of 1 GFLOP: "fast" runs the whole model in 1 ms a token, "slow" in 4 ms; either alone holds it. */
    private static Cluster twoReplicas() {
        return Cluster.of(List.of(Node.of("fast", 1, 10, 20), Node.of("slow", 1, 2.5, 20)), 1);
    }

    private static LayerModel model() {
        return new LayerModel("m", 10, 1, 1, 0, 0, false, 0, 0);
    }

    private static PlacementSimulation.Result run(Workload workload, String router) {
        return PlacementSimulation.run(model(), twoReplicas(), workload, Allocators.named("dp"), Objective.REPLICAS,
                Serving.DEFAULT, NodeLifecycle.Settings.DEFAULT, router, 0);
    }

    @Test
    void everyRequestIsServedAndTakesAtLeastItsServiceTime() {
        Workload workload = new Workload(Workload.generated(200, 2, 100, 7, new HashSet<>()), List.of());
        for (String router : Routers.names()) {
            PlacementSimulation.Result result = run(workload, router);
            assertThat(result.served()).as(router).isEqualTo(200);
            for (PlacementSimulation.Served served : result.requests()) {
                assertThat(served.latencySeconds()).as(router).isGreaterThanOrEqualTo(0.1 - 1e-9); // 100 tokens x 1 ms
            }
            assertThat(result.p95Seconds()).isGreaterThanOrEqualTo(result.p50Seconds());
        }
    }

    @Test
    void theLoadAwareRouterBeatsRoundRobinWhenTheReplicasDifferInSpeed() {
        // 6 requests/s of 100 tokens: fast serves 10/s, slow 2.5/s; round-robin gives slow half (3/s): it overflows.
        Workload workload = new Workload(Workload.generated(600, 6, 100, 3, new HashSet<>()), List.of());
        PlacementSimulation.Result roundRobin = run(workload, "round-robin");
        PlacementSimulation.Result dp = run(workload, "dp");
        assertThat(dp.p95Seconds()).isLessThan(roundRobin.p95Seconds() / 5);
        long onSlow = dp.requests().stream().filter(s -> s.route().get(0).node().equals("slow")).count();
        assertThat(onSlow).isBetween(1L, 300L);
    }

    @Test
    void requestsCaughtOnAFailedNodeWaitForItsExpiryAndAreServedByTheOtherReplica() {
        List<Workload.Request> requests = Workload.generated(100, 1, 100, 5, new HashSet<>());
        Workload workload = new Workload(requests, List.of(new Workload.NodeEvent(20, "fail", "fast", 1)));
        PlacementSimulation.Result result = run(workload, "round-robin");
        assertThat(result.served()).isEqualTo(100);
        assertThat(result.count("expired")).isEqualTo(1);
        LifecycleEvent expired = result.events().stream().filter(e -> e.kind().equals("expired")).findFirst()
                .orElseThrow();
        assertThat(expired.node()).isEqualTo("fast");
        assertThat(expired.atSeconds()).isEqualTo(80); // last heartbeat at 10 s, the tick at 80 s finds 70 s of silence
        // Those round-robin sent to the dead node before its expiry waited for it (about half of those 60 s).
        assertThat(result.requests().stream().filter(s -> s.arrivalSeconds() >= 20 && s.arrivalSeconds() < 79
                && s.finishSeconds() >= 80).count()).isBetween(20L, 40L);
        assertThat(result.requests().stream().filter(s -> s.arrivalSeconds() > 95)
                .allMatch(s -> s.route().get(0).node().equals("slow"))).isTrue();
    }

    @Test
    void aJoinLaterNodeIsAbsentUntilItJoins() {
        Workload workload = new Workload(Workload.generated(50, 1, 10, 9, new HashSet<>()),
                List.of(new Workload.NodeEvent(30, "join", "fast", 1)));
        PlacementSimulation.Result result = run(workload, "dp");
        assertThat(result.requests().stream().filter(s -> s.arrivalSeconds() < 30)
                .allMatch(s -> s.route().get(0).node().equals("slow"))).isTrue();
        assertThat(result.requests().stream().filter(s -> s.arrivalSeconds() > 31)
                .anyMatch(s -> s.route().get(0).node().equals("fast"))).isTrue();
    }

    @Test
    void aReallocationLoadsTheWeightsANodeGainsAndItServesNothingMeanwhile() {
        // Any two of three 6 GB nodes hold the 10 layers of 1 GB; when one fails the other two are re-allocated.
        Cluster three = Cluster.of(List.of(Node.of("a", 1, 10, 6), Node.of("b", 1, 10, 6), Node.of("c", 1, 10, 6)), 1);
        Workload workload = new Workload(Workload.generated(120, 1, 10, 4, new HashSet<>()),
                List.of(new Workload.NodeEvent(20, "fail", "a", 1)));
        PlacementSimulation.Result instant = simulate(three, workload, 0);
        PlacementSimulation.Result slow = simulate(three, workload, 0.1);
        assertThat(instant.served()).isEqualTo(120);
        assertThat(slow.served()).isEqualTo(120);
        assertThat(instant.count("reallocated")).isEqualTo(2); // the start and after the expiry at 80 s
        // c loads the layers it newly runs (at least 4 GB); b loads what it did not hold already.
        assertThat(slow.movedGb()).isEqualTo(instant.movedGb()).isGreaterThanOrEqualTo(4);
        double loading = slow.movedGb() / 0.1; // seconds, at least 40
        PlacementSimulation.Served firstAfter = slow.requests().stream().filter(s -> s.arrivalSeconds() > 81)
                .min(java.util.Comparator.comparingDouble(PlacementSimulation.Served::arrivalSeconds)).orElseThrow();
        assertThat(firstAfter.finishSeconds()).isGreaterThanOrEqualTo(80 + loading / 2);
        assertThat(slow.meanSeconds()).isGreaterThan(instant.meanSeconds());
    }

    private static PlacementSimulation.Result simulate(Cluster cluster, Workload workload, double loadGbPerSec) {
        return PlacementSimulation.run(model(), cluster, workload, Allocators.named("dp"), Objective.THROUGHPUT,
                Serving.DEFAULT, NodeLifecycle.Settings.DEFAULT, "round-robin", loadGbPerSec);
    }

    @Test
    void requestsFilesAreReadAndBadOnesRefusedNamingTheFileAndTheField() throws IOException {
        Path file = dir.resolve("r.yaml");
        Files.writeString(file, "requests:\n- {id: a, at: 1.5, tokens: 8}\n- {tokens: 2}\n"
                + "generate: {count: 3, ratePerSec: 2, tokens: 4, seed: 1}\n"
                + "events:\n- {at: 5, slow: slow, factor: 2}\n- {at: 6, leave: fast}\n");
        Workload workload = Workload.read(file, twoReplicas());
        assertThat(workload.requests()).hasSize(5);
        assertThat(workload.requests().get(0).id()).isEqualTo("r2"); // at 0, listed second
        assertThat(workload.events()).extracting(Workload.NodeEvent::kind).containsExactly("slow", "leave");
        refused("requests:\n- {id: a, tokns: 3}\n", "r.yaml: requests[0]: unknown field 'tokns'");
        refused("requests:\n- {id: a, tokens: 0}\n", "r.yaml: requests[0]: tokens must be a whole number from 1");
        refused("requests: []\nevents:\n- {at: 1, fail: gpu9}\n", "r.yaml: events[0]: fail names 'gpu9', which is not "
                + "a node of the nodes file");
        refused("requests: []\nevents:\n- {at: 1, fail: fast, leave: slow}\n",
                "r.yaml: events[0]: give exactly one of join, leave, fail, slow");
        refused("events: []\n", "r.yaml: give requests");
    }

    private void refused(String content, String message) throws IOException {
        Path file = dir.resolve("r.yaml");
        Files.writeString(file, content);
        assertThatThrownBy(() -> Workload.read(file, twoReplicas())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(message.substring("r.yaml: ".length()));
    }
}
