package dev.maze.core.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.maze.core.node.GpuSpec;
import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each built-in placement plug-in on its own: what it refuses (and says), scores, bounds, permits and reserves. */
class PlacementPluginsTest {

    private static final Resources ONE_CORE = new Resources(1, 1, 0, 0, null);

    private static PlacementCycle cycle(ClusterState cluster, Resources resources) {
        return cycle(cluster, new Placement.Request(resources, -1, null), null);
    }

    private static PlacementCycle cycle(ClusterState cluster, Placement.Request request, Claim claim) {
        return new PlacementCycle(cluster, request, claim);
    }

    private static Resources whole(int gpus, String model) {
        return new Resources(1, 0, gpus, 0, model);
    }

    private static Resources slice(double gb, String model) {
        return new Resources(1, 0, 1, gb, model);
    }

    // ------------------------------------------------------------------ filters

    @Test
    void acceptingRefusesADrainingNode() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("a", 4, 8, 0, 0), NodeSpec.of("b", 4, 8, 0, 0)));
        cluster.drain(1);
        FilterPlugin accepting = new PlacementPlugins.Accepting();
        assertThat(accepting.filter(cycle(cluster, ONE_CORE), cluster.node(0))).isNull();
        assertThat(accepting.filter(cycle(cluster, ONE_CORE), cluster.node(1))).hasToString("are draining");
    }

    @Test
    void allowedNodesRefusesNodesOutsideTheRequestsSet() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("a", 4, 8, 0, 0), NodeSpec.of("b", 4, 8, 0, 0)));
        BitSet onlyB = new BitSet();
        onlyB.set(1);
        PlacementCycle cycle = cycle(cluster, new Placement.Request(ONE_CORE, -1, onlyB), null);
        FilterPlugin allowed = new PlacementPlugins.AllowedNodes();
        assertThat(allowed.filter(cycle, cluster.node(0))).isEqualTo(Refusal.NOT_ALLOWED_FOR_WORKFLOW);
        assertThat(allowed.filter(cycle, cluster.node(1))).isNull();
        assertThat(allowed.filter(cycle(cluster, ONE_CORE), cluster.node(0))).as("no set: every node").isNull();
    }

    @Test
    void fitsSaysWhichResourceIsShortAndChoosesTheGpus() {
        ClusterState cluster = new ClusterState(List.of(
                new NodeSpec("n", 4, 16, List.of(new GpuSpec(0, "A100", 80), new GpuSpec(1, "A100", 80)), Set.of("qwen"))));
        NodeState node = cluster.node(0);
        FilterPlugin fits = new PlacementPlugins.Fits();
        assertThat(fits.filter(cycle(cluster, new Resources(8, 1, 0, 0, null)), node)).hasToString("have fewer free cores");
        assertThat(fits.filter(cycle(cluster, new Resources(1, 32, 0, 0, null)), node)).hasToString("have less free memory");
        assertThat(fits.filter(cycle(cluster, whole(1, "llama")), node)).hasToString("do not allow the model");
        assertThat(fits.filter(cycle(cluster, whole(3, "qwen")), node)).hasToString("have fewer free GPUs");
        assertThat(fits.filter(cycle(cluster, slice(90, "qwen")), node)).hasToString("have no GPU with 90 GB free");
        assertThat(fits.filter(cycle(cluster, new Resources(1, 0, 3, 20, "qwen")), node))
                .hasToString("have fewer than 3 GPUs with 20 GB free each");

        cluster.reserve(new Assignment(0, new int[] {0}), slice(50, "qwen"), 0);
        PlacementCycle sliceCycle = cycle(cluster, slice(40, "qwen"));
        assertThat(fits.filter(sliceCycle, node)).isNull();
        assertThat(sliceCycle.chosenGpus()).as("GPU 0 has 30 GB left; GPU 1 fits").containsExactly(1);
        PlacementCycle smallSlice = cycle(cluster, slice(20, "qwen"));
        assertThat(fits.filter(smallSlice, node)).isNull();
        assertThat(smallSlice.chosenGpus()).as("the GPU holding the model, and the tighter fit").containsExactly(0);
    }

    @Test
    void fitsSaysWhenTheHeadOfLineClaimIsWhatRefuses() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("n", 4, 16, 2, 80)));
        NodeState node = cluster.node(0);
        FilterPlugin fits = new PlacementPlugins.Fits();
        Claim cores = new Claim(0, new Resources(3, 12, 0, 0, null));
        Placement.Request twoCores = new Placement.Request(new Resources(2, 1, 0, 0, null), -1, null);
        assertThat(fits.filter(cycle(cluster, twoCores, cores), node)).hasToString("hold cores back for the head-of-line task");
        Placement.Request memory = new Placement.Request(new Resources(1, 8, 0, 0, null), -1, null);
        assertThat(fits.filter(cycle(cluster, memory, cores), node)).hasToString("hold memory back for the head-of-line task");
        Claim gpus = new Claim(0, whole(1, "m"));
        assertThat(fits.filter(cycle(cluster, new Placement.Request(slice(10, "m"), -1, null), gpus), node))
                .hasToString("hold GPUs back for the head-of-line task");
        assertThat(fits.filter(cycle(cluster, twoCores, new Claim(0, new Resources(2, 0, 0, 0, null))), node)).isNull();
    }

    @Test
    void whyNotFitAgreesWithFitOnRandomStates() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int round = 0; round < 2000; round++) {
            ClusterState cluster = new ClusterState(List.of(new NodeSpec("n", 1 + random.nextInt(8), 1 + random.nextInt(32),
                    List.of(new GpuSpec(0, "g", 40), new GpuSpec(1, "g", 80)), random.nextBoolean() ? Set.of() : Set.of("a"))));
            for (int i = random.nextInt(4); i > 0; i--) {
                Resources taken = new Resources(random.nextInt(3), random.nextInt(8), 1, random.nextInt(2) * 30, "a");
                int[] gpus = cluster.node(0).fit(taken, null);
                if (gpus != null) {
                    cluster.reserve(new Assignment(0, gpus), taken, 0);
                }
            }
            Resources request = new Resources(random.nextInt(4), random.nextInt(10), random.nextInt(3),
                    random.nextInt(3) * 20, random.nextBoolean() ? "a" : "b");
            Claim claim = random.nextBoolean() ? null : new Claim(0, new Resources(random.nextInt(3), random.nextInt(8),
                    random.nextInt(2), 0, null));
            NodeState node = cluster.node(0);
            assertThat(node.whyNotFit(request, claim) == null).as("%s with %s", request, claim)
                    .isEqualTo(node.fit(request, claim) != null);
        }
    }

    // ------------------------------------------------------------------ scores

    @Test
    void leastLoadedScoresOneMinusUtilisationAndItsBoundIsExact() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("n", 8, 8, 0, 0)));
        cluster.reserve(new Assignment(0, new int[0]), new Resources(2, 4, 0, 0, null), 0);
        ScorePlugin leastLoaded = new PlacementPlugins.LeastLoaded();
        PlacementCycle cycle = cycle(cluster, ONE_CORE);
        double utilisation = (2 / 8.0 + 4 / 8.0) / 2;
        assertThat(leastLoaded.score(cycle, cluster.node(0), new int[0])).isEqualTo(1 - utilisation);
        assertThat(leastLoaded.upperBound(cycle, utilisation, false)).isEqualTo(1 - utilisation);
        assertThat(new PlacementPlugins.Utilisation().score(cycle, cluster.node(0), new int[0])).isEqualTo(-utilisation);
    }

    @Test
    void modelResidentScoresOneOnlyWhenTheChosenGpuHoldsTheModel() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("n", 8, 8, 2, 80)));
        Assignment onGpu1 = new Assignment(0, new int[] {1});
        cluster.reserve(onGpu1, whole(1, "qwen"), 0);
        cluster.release(onGpu1, whole(1, "qwen"), 1);
        ScorePlugin resident = new PlacementPlugins.ModelResident();
        PlacementCycle qwen = cycle(cluster, whole(1, "qwen"));
        assertThat(resident.score(qwen, cluster.node(0), new int[] {1})).isEqualTo(1);
        assertThat(resident.score(qwen, cluster.node(0), new int[] {0})).isEqualTo(0);
        assertThat(resident.score(cycle(cluster, ONE_CORE), cluster.node(0), new int[0])).as("no GPU").isEqualTo(0);
        assertThat(resident.upperBound(qwen, 0.5, true)).isEqualTo(1);
        assertThat(resident.upperBound(qwen, 0.5, false)).isEqualTo(0);
    }

    @Test
    void affinityScoresThePreferredNodeOnly() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("a", 8, 8, 0, 0), NodeSpec.of("b", 8, 8, 0, 0)));
        ScorePlugin affinity = new PlacementPlugins.WorkflowAffinity();
        PlacementCycle cycle = cycle(cluster, new Placement.Request(ONE_CORE, 1, null), null);
        assertThat(affinity.score(cycle, cluster.node(1), new int[0])).isEqualTo(1);
        assertThat(affinity.score(cycle, cluster.node(0), new int[0])).isEqualTo(0);
        assertThat(affinity.upperBound(cycle, 0, false)).as("every node but the preferred one").isEqualTo(0);
    }

    @Test
    void modelLoadCostIsTheLoadUnlessTheModelIsResident() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("n", 8, 8, 2, 80)),
                Map.of("qwen", new ModelSpec("qwen", 60, 30)), ModelResidency.KEEP);
        Assignment onGpu0 = new Assignment(0, new int[] {0});
        cluster.reserve(onGpu0, whole(1, "qwen"), 0);
        cluster.release(onGpu0, whole(1, "qwen"), 31);
        ScorePlugin load = new PlacementPlugins.ModelLoadCost();
        PlacementCycle qwen = cycle(cluster, whole(1, "qwen"));
        assertThat(load.score(qwen, cluster.node(0), new int[] {0})).isEqualTo(0);
        assertThat(load.score(qwen, cluster.node(0), new int[] {1})).isEqualTo(-30);
        assertThat(load.upperBound(qwen, 0, false)).isEqualTo(-30);
        assertThat(load.score(cycle(cluster, whole(1, "unknown")), cluster.node(0), new int[] {1})).as("not in the catalog")
                .isEqualTo(0);
    }

    @Test
    void evictionRegretCostsTheReloadsOfModelsStillInDemandSharedByTheirCopies() {
        Map<String, ModelSpec> catalog = Map.of("a", new ModelSpec("a", 50, 20), "b", new ModelSpec("b", 50, 10),
                "c", new ModelSpec("c", 50, 40));
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("n", 8, 8, 2, 80)), catalog, ModelResidency.KEEP);
        // a on GPU 0, b on GPU 0's neighbour GPU 1 and also... b only on GPU 1.
        Assignment gpu0 = new Assignment(0, new int[] {0});
        Assignment gpu1 = new Assignment(0, new int[] {1});
        cluster.reserve(gpu0, slice(50, "a"), 0);
        cluster.release(gpu0, slice(50, "a"), 1);
        cluster.reserve(gpu1, slice(50, "b"), 1);
        cluster.release(gpu1, slice(50, "b"), 2);
        cluster.demandChanged("a", 3);
        ScorePlugin regret = new PlacementPlugins.EvictionRegret();
        PlacementCycle loadC = cycle(cluster, slice(50, "c"));
        assertThat(regret.score(loadC, cluster.node(0), new int[] {0})).as("evicts a: 20 s x 3 tasks / 1 copy").isEqualTo(-60);
        assertThat(regret.score(loadC, cluster.node(0), new int[] {1})).as("evicts b, which nobody will call").isEqualTo(0);
        assertThat(regret.score(cycle(cluster, slice(50, "a")), cluster.node(0), new int[] {0})).as("a is resident").isEqualTo(0);
        assertThat(regret.upperBound(loadC, 0, false)).isEqualTo(0);
    }

    // ------------------------------------------------------------------ permit

    @Test
    void waitForResidentModelWaitsForABusyGpuThatFreesBeforeALoadButNeverLongerThanOneLoad() {
        Map<String, ModelSpec> catalog = Map.of("qwen", new ModelSpec("qwen", 60, 30));
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("a", 8, 8, 1, 80), NodeSpec.of("b", 8, 8, 1, 80)),
                catalog, ModelResidency.KEEP);
        Assignment onA = new Assignment(0, new int[] {0});
        cluster.reserve(onA, whole(1, "qwen"), 0, 10); // busy until 30 (load) + 10
        PermitPlugin permit = new PlacementPlugins.WaitForResidentModel();
        Assignment onB = new Assignment(1, new int[] {0});

        PlacementCycle early = cycle(cluster, new Placement.Request(whole(1, "qwen"), -1, null, 20, 0), null);
        Permit waits = permit.permit(early, onB);
        assertThat(waits.allowed()).as("a frees at 40, a load on b would end at 50").isFalse();
        assertThat(waits.untilSeconds()).isEqualTo(50);
        assertThat(waits.reason()).isEqualTo("for a busy GPU that holds qwen to free up");
        assertThat(permit.waitsAtMostUntil(early)).isEqualTo(50);

        PlacementCycle late = cycle(cluster, new Placement.Request(whole(1, "qwen"), -1, null, 20, 29.9995), null);
        assertThat(permit.permit(late, onB).allowed()).as("waited one load already").isTrue();
        PlacementCycle tooLate = cycle(cluster, new Placement.Request(whole(1, "qwen"), -1, null, 5, 0), null);
        assertThat(permit.permit(tooLate, onB).allowed()).as("a frees at 40, after a load on b (35)").isTrue();
        assertThat(permit.permit(early, onA).allowed()).as("the chosen GPU holds the model").isTrue();
        assertThat(permit.permit(cycle(cluster, new Placement.Request(ONE_CORE, -1, null, 20, 0), null),
                new Assignment(1, new int[0])).allowed()).as("no GPU").isTrue();
        cluster.drain(0);
        assertThat(permit.permit(early, onB).allowed()).as("the GPU that holds it is on a draining node").isTrue();
    }

    // ------------------------------------------------------------------ reserve

    @Test
    void closestToFittingHoldsTheNodeWithTheLeastShortageAndNeverADrainingOne() {
        ClusterState cluster = new ClusterState(List.of(NodeSpec.of("tiny", 2, 8, 0, 0), NodeSpec.of("a", 8, 8, 0, 0),
                NodeSpec.of("b", 8, 8, 0, 0)));
        cluster.reserve(new Assignment(1, new int[0]), new Resources(6, 0, 0, 0, null), 0);
        cluster.reserve(new Assignment(2, new int[0]), new Resources(3, 0, 0, 0, null), 0);
        ReservePlugin reserve = new PlacementPlugins.ClosestToFitting();
        PlacementCycle big = cycle(cluster, new Resources(6, 0, 0, 0, null));
        assertThat(reserve.reserve(big)).as("b misses 1 core, a 4, tiny can never run it").isEqualTo(2);
        cluster.drain(2);
        assertThat(reserve.reserve(big)).isEqualTo(1);
        assertThat(reserve.reserve(cycle(cluster, new Resources(16, 0, 0, 0, null)))).isEqualTo(-1);
    }

    // ------------------------------------------------------------------ the framework with other plug-ins

    @Test
    void aScoreWithoutABoundMakesPlacementScanAndAFilterOfItsOwnOnlyRefusesMore() {
        List<NodeSpec> nodes = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            nodes.add(NodeSpec.of("n" + i, 8, 8, 0, 0));
        }
        ClusterState cluster = new ClusterState(nodes);
        assertThat(cluster.indexed()).isTrue();
        ScorePlugin oddSlotsFirst = new ScorePlugin() {
            @Override
            public String name() {
                return "odd-slots";
            }

            @Override
            public double score(PlacementCycle cycle, NodeView node, int[] gpus) {
                return node.index() % 2;
            }
        };
        Placement odd = Placement.builder("odd").score(oddSlotsFirst, 1).build();
        assertThat(odd.place(cluster, new Placement.Request(ONE_CORE, -1, null), null).node()).isEqualTo(1);
        FilterPlugin notBelowTen = new FilterPlugin() {
            @Override
            public String name() {
                return "not-below-ten";
            }

            @Override
            public Refusal filter(PlacementCycle cycle, NodeView node) {
                return node.index() < 10 ? new Refusal(name(), "are below slot ten") : null;
            }
        };
        Placement filtered = Placement.builder("filtered").filter(notBelowTen).score(new PlacementPlugins.LeastLoaded(), 1).build();
        assertThat(filtered.place(cluster, new Placement.Request(ONE_CORE, -1, null), null).node()).isEqualTo(10);
        assertThat(filtered.whyPending(cluster, new Placement.Request(ONE_CORE, -1, null), null, -1))
                .hasToString("needs 1 core, 1 GB: could start on 50 nodes now, 10 nodes are below slot ten");
        Placement negative = new Placement(new Placement.Weights(-1, 0, 0));
        cluster.reserve(new Assignment(3, new int[0]), ONE_CORE, 0);
        assertThat(negative.place(cluster, new Placement.Request(ONE_CORE, -1, null), null).node())
                .as("a negative weight: the most loaded node, found by a scan").isEqualTo(3);
        assertThat(cluster.node(3).utilisation()).isCloseTo((1 / 8.0 + 1 / 8.0) / 2, within(1e-12));
    }
}
