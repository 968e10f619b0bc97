package dev.maze.core.placement;

import dev.maze.core.workflow.Resources;
import java.util.BitSet;

/**
 * Chooses a node for a task in two steps, as the Kubernetes scheduler framework does: filter the nodes that can
 * run it now (free cores, memory, GPUs with enough free memory, model allowed), then score them and take the
 * best. The score is a weighted sum of
 * <ul>
 *   <li>least loaded: {@code 1 - utilisation} (Maze's {@code get_least_loaded_node});
 *   <li>model resident: 1 when the chosen GPU already holds the task's model (no model switch);
 *   <li>affinity: 1 on the node where the workflow's previous task ran (Maze's DAGContext).
 * </ul>
 * Ties go to the lowest node index, so placement is deterministic.
 */
public class Placement {

    /** Weights of the three scores. */
    public record Weights(double leastLoaded, double modelResident, double affinity) {
        public static final Weights DEFAULT = new Weights(1.0, 2.0, 0.5);
    }

    /**
     * One task to place.
     *
     * @param resources what it needs
     * @param preferredNode node index with affinity, or -1
     * @param allowedNodes node indices it may use, or null for all
     * @param nowSeconds engine clock
     * @param waitedSeconds how long the task has been READY
     */
    public record Request(Resources resources, int preferredNode, BitSet allowedNodes, double nowSeconds,
            double waitedSeconds) {

        /** A request at time 0 that has not waited. */
        public Request(Resources resources, int preferredNode, BitSet allowedNodes) {
            this(resources, preferredNode, allowedNodes, 0, 0);
        }
    }

    /**
     * Returned by {@link #place} when a placement exists but waiting is better (e.g. for a GPU that holds the model);
     * the engine skips the task in this pass without treating it as blocked. A placement may only defer a task for a
     * bounded time, so that it cannot starve.
     */
    public static final Assignment DEFER = new Assignment(-1, new int[0]);

    private final Weights weights;

    public Placement() {
        this(Weights.DEFAULT);
    }

    public Placement(Weights weights) {
        this.weights = weights;
    }

    /**
     * The best assignment that fits now, honouring {@code claim} (may be null); null if no node fits; {@link #DEFER}
     * when waiting is better.
     */
    public Assignment place(ClusterState cluster, Request request, Claim claim) {
        Assignment best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < cluster.size(); i++) {
            if ((request.allowedNodes() != null && !request.allowedNodes().get(i)) || !cluster.accepts(i)) {
                continue;
            }
            NodeState node = cluster.node(i);
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

    /**
     * When a task this placement {@link #DEFER deferred} must be reconsidered even if nothing else happens
     * (engine-clock seconds). This placement never defers.
     */
    public double deferredUntil(ClusterState cluster, Request request) {
        return request.nowSeconds();
    }

    /**
     * The node to reserve for a head-of-line task that fits nowhere now: among the nodes that could run it when
     * idle, the one where it is closest to fitting (least missing capacity, relative to the node's size).
     * Returns -1 if no allowed node could ever run it.
     */
    public int chooseReservation(ClusterState cluster, Request request) {
        Resources need = request.resources();
        int best = -1;
        double bestShortage = Double.POSITIVE_INFINITY;
        for (int i = 0; i < cluster.size(); i++) {
            NodeState node = cluster.node(i);
            if ((request.allowedNodes() != null && !request.allowedNodes().get(i)) || !cluster.accepts(i)
                    || node.spec().whyNeverFits(need) != null) {
                continue;
            }
            double shortage = relativeShortage(need.cpu(), node.freeCpu, node.spec().cpu())
                    + relativeShortage(need.memoryGb(), node.freeMemoryGb, node.spec().memoryGb());
            if (need.gpus() > 0) {
                int idle = 0;
                for (int users : node.gpuUsers) {
                    idle += users == 0 ? 1 : 0;
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

    private static double relativeShortage(double need, double free, double capacity) {
        return need <= free || capacity <= 0 ? 0 : (need - free) / capacity;
    }
}
