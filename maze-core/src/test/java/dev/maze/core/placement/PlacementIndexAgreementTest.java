package dev.maze.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.node.GpuSpec;
import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Property: placement that searches the cluster's indexes chooses exactly what a scan of every node chooses, ties
 * and tolerances included, for Maze's placement (several weights) and for mars's model-aware placement (its permit
 * included), and the reservation is the scan's too. Random clusters (identical nodes for exact ties, fractional cores
 * for rounding noise, model restrictions, replicas) go through random sequences of placements (with claims,
 * preferred and allowed nodes), reservations, releases, drains, removals and joins. The scans kept here are the
 * placement code as it was before the indexes, honouring draining nodes.
 */
class PlacementIndexAgreementTest {

    private static final String[] MODELS = {"m0", "m1", "m2", "m3"};

    static IntStream seeds() {
        return IntStream.range(0, 120);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void indexedPlacementChoosesWhatAScanChooses(int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, ModelSpec> catalog = new HashMap<>();
        for (String model : MODELS) {
            if (random.nextInt(4) > 0) {
                catalog.put(model, new ModelSpec(model, pick(random, 10, 20, 30, 45), pick(random, 0, 0.0005, 5, 30),
                        random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 1, random.nextInt(2) * 0.1));
            }
        }
        ModelResidency residency = random.nextInt(3) == 0 ? ModelResidency.UNLOAD_AFTER_CALL : ModelResidency.KEEP;
        List<NodeSpec> specs = new ArrayList<>();
        int size = seed % 10 == 0 ? 150 + random.nextInt(100) : 1 + random.nextInt(40);
        NodeSpec template = node(random, "t");
        for (int i = 0; i < size; i++) {
            specs.add(random.nextInt(3) > 0 ? rename(template, "n" + i) : node(random, "n" + i));
        }
        // Most seeds keep indexes from the first node; one in four keeps them only when the cluster is large.
        ClusterState cluster = new ClusterState(specs, catalog, residency,
                seed % 4 == 3 ? ClusterState.INDEX_FROM_SLOTS : 0);
        Placement.Weights weights = new Placement.Weights(pick(random, 1, 0, 0.5, 3), pick(random, 2, 0, 1e-13, 0.01),
                pick(random, 0.5, 0, 2));
        List<Placement> placements = List.of(new Placement(), new Placement(weights),
                new Placement(new Placement.Weights(1, 0, 0)), Placements.create("least-loaded"), new ModelAwarePlacement());
        List<Running> running = new ArrayList<>();
        double now = 0;
        int joined = 0;
        for (int step = 0; step < 400; step++) {
            now += random.nextInt(4) == 0 ? 0 : random.nextDouble() * 3;
            int action = random.nextInt(100);
            if (action < 55) {
                Placement.Request request = request(random, cluster, now);
                Claim claim = random.nextInt(4) == 0 && cluster.size() > 0
                        ? new Claim(random.nextInt(cluster.size()), resources(random)) : null;
                Placement chosen = placements.get(random.nextInt(placements.size()));
                boolean modelAware = chosen instanceof ModelAwarePlacement;
                Assignment expected = modelAware ? ScanReference.modelAware(cluster, request, claim)
                        : ScanReference.place(cluster, request, claim, weightsOf(chosen, placements, weights));
                Assignment actual = chosen.place(cluster, request, claim);
                String what = "seed " + seed + " step " + step + " " + chosen + " " + request + " claim " + claim;
                assertSame(actual, expected, what);
                if (cluster.indexed()) { // the search itself, even where place would scan (few allowed nodes)
                    Assignment searched = chosen.search(new PlacementCycle(cluster, request, claim),
                            chosen.scoringFor(request));
                    Assignment scanned = modelAware ? ScanReference.modelAwareChoice(cluster, request, claim)
                            : ScanReference.place(cluster, request, claim, weightsOf(chosen, placements, weights));
                    assertSame(searched, scanned, what + " (index search)");
                }
                if (modelAware) {
                    assertThat(chosen.deferredUntil(cluster, request)).isEqualTo(
                            request.nowSeconds() - request.waitedSeconds() + cluster.loadSeconds(request.resources().model()));
                }
                if (actual == null) {
                    assertThat(chosen.chooseReservation(cluster, request)).as(what)
                            .isEqualTo(ScanReference.chooseReservation(cluster, request));
                } else if (actual != Placement.DEFER) {
                    cluster.reserve(actual, request.resources(), now, random.nextDouble() * 20);
                    running.add(new Running(actual, request.resources()));
                    cluster.demandChanged(request.resources().model(), 1);
                }
            } else if (action < 85) {
                if (!running.isEmpty()) {
                    Running done = running.remove(random.nextInt(running.size()));
                    cluster.release(done.assignment(), done.resources(), now);
                    cluster.demandChanged(done.resources().model(), -1);
                }
            } else if (action < 90) {
                cluster.demandChanged(MODELS[random.nextInt(MODELS.length)], random.nextInt(3));
            } else if (action < 94) {
                int slot = random.nextInt(cluster.size());
                if (!cluster.node(slot).removed()) {
                    cluster.drain(slot);
                }
            } else if (action < 97) {
                int slot = random.nextInt(cluster.size());
                if (cluster.node(slot).draining() && cluster.node(slot).runningTasks() == 0) {
                    cluster.remove(slot);
                }
            } else {
                cluster.addNode(random.nextBoolean() ? rename(template, "joined-" + joined++) : node(random, "joined-" + joined++));
            }
            checkIndexIsCurrent(cluster);
        }
    }

    private static Placement.Weights weightsOf(Placement chosen, List<Placement> placements, Placement.Weights random) {
        int which = placements.indexOf(chosen);
        return switch (which) {
            case 0 -> Placement.Weights.DEFAULT;
            case 1 -> random;
            default -> new Placement.Weights(1, 0, 0);
        };
    }

    private static void assertSame(Assignment actual, Assignment expected, String what) {
        if (expected == null || expected == Placement.DEFER) {
            assertThat(actual).as(what).isSameAs(expected);
            return;
        }
        assertThat(actual).as(what).isNotNull();
        assertThat(actual.node()).as(what).isEqualTo(expected.node());
        assertThat(actual.gpus()).as(what).containsExactly(expected.gpus());
    }

    /** Every accepting node sits in the indexes keyed by its utilisation now; no other node does. */
    private static void checkIndexIsCurrent(ClusterState cluster) {
        if (!cluster.indexed()) {
            return;
        }
        cluster.index().flush();
        for (int i = 0; i < cluster.size(); i++) {
            NodeState node = cluster.node(i);
            assertThat(node.entry.attached).as("slot %s in the index", i).isEqualTo(!node.draining());
            if (node.entry.attached) {
                assertThat(node.entry.utilisation).isEqualTo(node.utilisation());
            }
        }
    }

    private static Placement.Request request(SplittableRandom random, ClusterState cluster, double now) {
        BitSet allowed = null;
        if (random.nextInt(5) == 0) {
            allowed = new BitSet();
            double share = random.nextBoolean() ? 0.9 : 0.1;
            for (int i = 0; i < cluster.size(); i++) {
                if (random.nextDouble() < share) {
                    allowed.set(i);
                }
            }
        }
        int preferred = random.nextInt(3) == 0 ? -1 : random.nextInt(cluster.size() + 1) - 1;
        return new Placement.Request(resources(random), preferred, allowed, now,
                random.nextInt(3) == 0 ? 0 : random.nextDouble() * 40);
    }

    private static Resources resources(SplittableRandom random) {
        double cpu = pick(random, 0, 0.1, 0.25, 0.5, 1, 1, 2, 3.3);
        double memory = pick(random, 0, 0, 1, 4, 16, 0.3);
        String model = random.nextInt(4) == 0 ? null : MODELS[random.nextInt(MODELS.length)];
        return switch (random.nextInt(4)) {
            case 0 -> new Resources(cpu, memory, 0, 0, random.nextInt(3) == 0 ? model : null);
            case 1 -> new Resources(cpu, memory, 1 + random.nextInt(2), 0, model);
            default -> new Resources(cpu, memory, random.nextInt(6) == 0 ? 2 : 1, pick(random, 5, 10, 20, 30, 40, 10.5), model);
        };
    }

    private static NodeSpec node(SplittableRandom random, String id) {
        List<GpuSpec> gpus = new ArrayList<>();
        int count = random.nextInt(5);
        for (int g = 0; g < count; g++) {
            gpus.add(new GpuSpec(g, "gpu", pick(random, 24, 40, 80, 80)));
        }
        Set<String> allowed = random.nextInt(5) == 0 ? Set.of(MODELS[random.nextInt(2)]) : Set.of();
        return new NodeSpec(id, pick(random, 2, 4, 8, 32, 1.5, 0), pick(random, 8, 64, 256, 0), gpus, allowed);
    }

    private static NodeSpec rename(NodeSpec spec, String id) {
        return new NodeSpec(id, spec.cpu(), spec.memoryGb(), spec.gpus(), spec.allowedModels());
    }

    private static double pick(SplittableRandom random, double... values) {
        return values[random.nextInt(values.length)];
    }

    private record Running(Assignment assignment, Resources resources) {}

    /** The placement code before the indexes (plus: draining nodes are never eligible), kept as the reference. */
    static final class ScanReference {

        static Assignment place(ClusterState cluster, Placement.Request request, Claim claim, Placement.Weights weights) {
            Assignment best = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < cluster.size(); i++) {
                if (request.allowedNodes() != null && !request.allowedNodes().get(i)) {
                    continue;
                }
                NodeState node = cluster.node(i);
                if (node.draining()) {
                    continue;
                }
                int[] gpus = node.fit(request.resources(), claim);
                if (gpus == null) {
                    continue;
                }
                double score = weights.leastLoaded() * (1 - node.utilisation());
                if (gpus.length > 0 && node.isResident(gpus[0], request.resources().model())) {
                    score += weights.modelResident();
                }
                if (i == request.preferredNode()) {
                    score += weights.affinity();
                }
                if (score > bestScore + 1e-12) {
                    best = new Assignment(i, gpus);
                    bestScore = score;
                }
            }
            return best;
        }

        /** ModelAwarePlacement.place before the indexes. */
        static Assignment modelAware(ClusterState cluster, Placement.Request request, Claim claim) {
            Resources need = request.resources();
            if (need.gpus() == 0) {
                return place(cluster, request, claim, new Placement.Weights(1, 0, 0));
            }
            String model = need.model();
            double load = cluster.loadSeconds(model);
            Assignment best = modelAwareChoice(cluster, request, claim);
            boolean bestResident = best != null && model != null && cluster.node(best.node()).isResident(best.gpus()[0], model);
            if (best != null && !bestResident && model != null && request.waitedSeconds() < load - 1e-3
                    && residentGpuFreesWithin(cluster, model, request.nowSeconds() + load - request.waitedSeconds())) {
                return Placement.DEFER;
            }
            return best;
        }

        /** The node ModelAwarePlacement chose before its permit step. */
        static Assignment modelAwareChoice(ClusterState cluster, Placement.Request request, Claim claim) {
            Resources need = request.resources();
            if (need.gpus() == 0) {
                return place(cluster, request, claim, new Placement.Weights(1, 0, 0));
            }
            String model = need.model();
            double load = cluster.loadSeconds(model);
            Assignment best = null;
            double bestCost = Double.POSITIVE_INFINITY;
            for (int i = 0; i < cluster.size(); i++) {
                if (request.allowedNodes() != null && !request.allowedNodes().get(i)) {
                    continue;
                }
                NodeState node = cluster.node(i);
                if (node.draining()) {
                    continue;
                }
                int[] gpus = node.fit(need, claim);
                if (gpus == null) {
                    continue;
                }
                boolean resident = model != null && node.isResident(gpus[0], model);
                double cost = resident ? 0 : load + evictionRegret(cluster, node, gpus, need);
                cost += 1e-3 * node.utilisation();
                if (cost < bestCost - 1e-9) {
                    best = new Assignment(i, gpus);
                    bestCost = cost;
                }
            }
            return best;
        }

        private static double evictionRegret(ClusterState cluster, NodeState node, int[] gpus, Resources need) {
            double regret = 0;
            for (int gpu : gpus) {
                double memory = cluster.residentFootprint(need.model(), node.gpuMemoryTaken(gpu, need));
                for (String model : node.evictedBy(gpu, memory)) {
                    int demand = cluster.demand(model);
                    if (demand > 0) {
                        regret += cluster.loadSeconds(model) * demand / Math.max(1, cluster.residentCopies(model));
                    }
                }
            }
            return regret;
        }

        private static boolean residentGpuFreesWithin(ClusterState cluster, String model, double deadlineSeconds) {
            for (int i = 0; i < cluster.size(); i++) {
                NodeState node = cluster.node(i);
                if (node.draining()) {
                    continue;
                }
                for (int gpu = 0; gpu < node.gpuCount(); gpu++) {
                    if (node.gpuBusy(gpu) && node.isResident(gpu, model) && node.gpuBusyUntil(gpu) <= deadlineSeconds) {
                        return true;
                    }
                }
            }
            return false;
        }

        static int chooseReservation(ClusterState cluster, Placement.Request request) {
            Resources need = request.resources();
            int best = -1;
            double bestShortage = Double.POSITIVE_INFINITY;
            for (int i = 0; i < cluster.size(); i++) {
                NodeState node = cluster.node(i);
                if (node.draining() || (request.allowedNodes() != null && !request.allowedNodes().get(i))
                        || node.spec().whyNeverFits(need) != null) {
                    continue;
                }
                double shortage = shortage(need.cpu(), node.freeCpu(), node.spec().cpu())
                        + shortage(need.memoryGb(), node.freeMemoryGb(), node.spec().memoryGb());
                if (need.gpus() > 0) {
                    int idle = 0;
                    for (int gpu = 0; gpu < node.gpuCount(); gpu++) {
                        idle += node.gpuUsers(gpu) == 0 ? 1 : 0;
                    }
                    shortage += Math.max(0, need.gpus() - idle) / (double) need.gpus();
                }
                if (shortage < bestShortage) {
                    best = i;
                    bestShortage = shortage;
                }
            }
            return best;
        }

        private static double shortage(double need, double free, double capacity) {
            return need <= free || capacity <= 0 ? 0 : (need - free) / capacity;
        }
    }
}
