package dev.maze.core.placement;

import dev.maze.core.node.Resources;
import java.util.BitSet;
import java.util.List;

/**
 * The built-in placement plug-ins: today's behaviour, one job each. {@link Placements} assembles them into the named
 * placements; {@link Placement#builder} into others.
 */
public final class PlacementPlugins {

    private PlacementPlugins() {}

    // ------------------------------------------------------------------ filters

    /** Filter: the node is present and not draining. Always first. */
    public static final class Accepting implements FilterPlugin {
        @Override
        public String name() {
            return "accepting";
        }

        @Override
        public Refusal filter(PlacementCycle cycle, NodeView node) {
            return node.draining() ? Refusal.DRAINING : null;
        }
    }

    /** Filter: the node is among those the request may use (a workflow pinned to nodes). */
    public static final class AllowedNodes implements FilterPlugin {
        @Override
        public String name() {
            return "allowed-nodes";
        }

        @Override
        public Refusal filter(PlacementCycle cycle, NodeView node) {
            BitSet allowed = cycle.request().allowedNodes();
            return allowed != null && !allowed.get(node.index()) ? Refusal.NOT_ALLOWED_FOR_WORKFLOW : null;
        }
    }

    /**
     * Filter: free cores and memory, GPUs with enough free memory (a slice shares a GPU; whole GPUs must be idle, or a
     * replica of the model with room), the model allowed on the node, and the head-of-line {@link Claim} (on its node,
     * later tasks get only cores and memory beyond what the head needs, and no GPU if the head needs one). Chooses the
     * GPUs ({@link PlacementCycle#chosenGpus}): those holding the model first, then the tightest fit, then the lowest
     * index.
     */
    public static final class Fits implements FilterPlugin {
        @Override
        public String name() {
            return "fits";
        }

        @Override
        public Refusal filter(PlacementCycle cycle, NodeView view) {
            NodeState node = cycle.cluster().node(view.index());
            int[] gpus = node.fit(cycle.resources(), cycle.claim());
            if (gpus == null) {
                return node.whyNotFit(cycle.resources(), cycle.claim());
            }
            cycle.chooseGpus(gpus);
            return null;
        }
    }

    // ------------------------------------------------------------------ scores

    /** Score: {@code 1 - utilisation} (Maze's {@code get_least_loaded_node}). */
    public static final class LeastLoaded implements ScorePlugin {
        @Override
        public String name() {
            return "least-loaded";
        }

        @Override
        public double score(PlacementCycle cycle, NodeView node, int[] gpus) {
            return 1 - node.utilisation();
        }

        @Override
        public double upperBound(PlacementCycle cycle, double utilisation, boolean chosenGpuHoldsModel) {
            return 1 - utilisation;
        }
    }

    /** Score: 1 when the first chosen GPU already holds the task's model (no model switch), else 0. */
    public static final class ModelResident implements ScorePlugin {
        @Override
        public String name() {
            return "model-resident";
        }

        @Override
        public double score(PlacementCycle cycle, NodeView node, int[] gpus) {
            return cycle.chosenGpuHoldsModel(node, gpus) ? 1 : 0;
        }

        @Override
        public double upperBound(PlacementCycle cycle, double utilisation, boolean chosenGpuHoldsModel) {
            return chosenGpuHoldsModel ? 1 : 0;
        }
    }

    /** Score: 1 on the node where the workflow's previous task ran (Maze's DAGContext), else 0. */
    public static final class WorkflowAffinity implements ScorePlugin {
        @Override
        public String name() {
            return "affinity";
        }

        @Override
        public double score(PlacementCycle cycle, NodeView node, int[] gpus) {
            return node.index() == cycle.request().preferredNode() ? 1 : 0;
        }

        @Override
        public double upperBound(PlacementCycle cycle, double utilisation, boolean chosenGpuHoldsModel) {
            return 0; // placement looks at the preferred node first; every other node scores 0
        }
    }

    /**
     * Score: minus the utilisation. With a small weight, mars's tie-break towards the least loaded node (kept apart
     * from {@link LeastLoaded}, whose {@code 1 - utilisation} rounds differently).
     */
    public static final class Utilisation implements ScorePlugin {
        @Override
        public String name() {
            return "utilisation";
        }

        @Override
        public double score(PlacementCycle cycle, NodeView node, int[] gpus) {
            return -node.utilisation();
        }

        @Override
        public double upperBound(PlacementCycle cycle, double utilisation, boolean chosenGpuHoldsModel) {
            return -utilisation;
        }
    }

    /** Score: 0 when the chosen GPU holds the model, else minus the seconds its load takes (mars: resident first). */
    public static final class ModelLoadCost implements ScorePlugin {
        @Override
        public String name() {
            return "model-load";
        }

        @Override
        public double score(PlacementCycle cycle, NodeView node, int[] gpus) {
            return cycle.chosenGpuHoldsModel(node, gpus) ? 0 : -cycle.modelLoadSeconds();
        }

        @Override
        public double upperBound(PlacementCycle cycle, double utilisation, boolean chosenGpuHoldsModel) {
            return chosenGpuHoldsModel ? 0 : -cycle.modelLoadSeconds();
        }
    }

    /**
     * Score: minus the expected reload time that loading the model here causes (0 when the chosen GPU holds it):
     * each idle model the load would evict costs its load time for each active task that will still call it, shared
     * by the copies resident in the cluster.
     */
    public static final class EvictionRegret implements ScorePlugin {
        @Override
        public String name() {
            return "eviction-regret";
        }

        @Override
        public double score(PlacementCycle cycle, NodeView view, int[] gpus) {
            if (cycle.chosenGpuHoldsModel(view, gpus)) {
                return 0;
            }
            ClusterState cluster = cycle.cluster();
            NodeState node = cluster.node(view.index());
            Resources need = cycle.resources();
            double regret = 0;
            for (int gpu : gpus) {
                double memory = node.residentFootprint(need.model(), node.gpuMemoryTaken(gpu, need));
                List<String> evicted = node.evictedBy(gpu, memory);
                for (String model : evicted) {
                    int demand = cluster.demand(model);
                    if (demand > 0) {
                        regret += node.loadSeconds(model) * demand / Math.max(1, cluster.residentCopies(model));
                    }
                }
            }
            return -regret;
        }

        @Override
        public double upperBound(PlacementCycle cycle, double utilisation, boolean chosenGpuHoldsModel) {
            return 0;
        }
    }

    // ------------------------------------------------------------------ permit

    /**
     * Permit (mars): when the chosen GPU must load the model but a busy GPU holding it is predicted to free up before
     * the load would finish, wait for it, but never longer, in all, than one load of the model since the task became
     * READY (so it cannot starve). Tasks without GPUs or a model always start.
     */
    public static final class WaitForResidentModel implements PermitPlugin {
        @Override
        public String name() {
            return "wait-for-resident-model";
        }

        @Override
        public Permit permit(PlacementCycle cycle, Assignment chosen) {
            Resources need = cycle.resources();
            String model = need.model();
            if (need.gpus() == 0 || model == null || cycle.chosenGpuHoldsModel(cycle.node(chosen.node()), chosen.gpus())) {
                return Permit.ALLOW;
            }
            double load = cycle.modelLoadSeconds();
            Placement.Request request = cycle.request();
            // A millisecond of slack: a wake-up at the deferral's end must not find a sliver of it left (and defer again).
            if (request.waitedSeconds() < load - 1e-3
                    && cycle.cluster().residentGpuFreesWithin(model, request.nowSeconds() + load - request.waitedSeconds())) {
                return Permit.waitUntil(waitsAtMostUntil(cycle), "for a busy GPU that holds " + model + " to free up");
            }
            return Permit.ALLOW;
        }

        /** One load of the model after the task became READY. */
        @Override
        public double waitsAtMostUntil(PlacementCycle cycle) {
            Placement.Request request = cycle.request();
            return request.nowSeconds() - request.waitedSeconds() + cycle.modelLoadSeconds();
        }
    }

    // ------------------------------------------------------------------ reserve

    /**
     * Reserve: among the accepting allowed nodes that could run the task when idle, the one where it is closest to
     * fitting (least missing capacity, relative to the node's size); the lowest index on ties. Scans every node, once
     * per new head-of-line task.
     */
    public static final class ClosestToFitting implements ReservePlugin {
        @Override
        public String name() {
            return "closest-to-fitting";
        }

        @Override
        public int reserve(PlacementCycle cycle) {
            ClusterState cluster = cycle.cluster();
            Placement.Request request = cycle.request();
            Resources need = request.resources();
            int best = -1;
            double bestShortage = Double.POSITIVE_INFINITY;
            for (int i = 0; i < cluster.size(); i++) {
                NodeState node = cluster.node(i);
                if (node.draining || (request.allowedNodes() != null && !request.allowedNodes().get(i))
                        || node.spec().whyNeverFits(need) != null) {
                    continue;
                }
                double shortage = relativeShortage(need.cpu(), node.freeCpu, node.spec().cpu())
                        + relativeShortage(need.memoryGb(), node.freeMemoryGb, node.spec().memoryGb());
                if (need.gpus() > 0) {
                    shortage += Math.max(0, need.gpus() - node.idleGpus()) / (double) need.gpus();
                }
                if (shortage < bestShortage) {
                    best = i;
                    bestShortage = shortage;
                }
            }
            return best;
        }

        private static double relativeShortage(double need, double free, double capacity) {
            return need <= free || capacity <= 0 ? 0 : (need - free) / capacity;
        }
    }
}
