package dev.maze.core.placement;

import dev.maze.core.workflow.Resources;
import java.util.List;

/**
 * Placement for model calls that counts what a load and an eviction cost, using only what a scheduler knows
 * (predicted durations, the models resident on each GPU, the models that active workflows will still call):
 * <ol>
 *   <li>a GPU that already holds the task's model wins (no load), the least loaded among several;
 *   <li>otherwise, when a busy GPU that holds the model is predicted to free up before a load would finish, the
 *       task waits for it ({@link #DEFER}) — but never longer, in total, than one load of its model, so it cannot
 *       starve;
 *   <li>otherwise it loads where the eviction hurts least: evicting a model costs its load time for each active
 *       task that will still call it, shared by the copies resident in the cluster.
 * </ol>
 * Tasks without a model are placed by {@link Placement}'s least-loaded score, preferring GPUs where their memory
 * evicts nothing.
 */
public final class ModelAwarePlacement extends Placement {

    public ModelAwarePlacement() {
        super(new Weights(1, 0, 0));
    }

    @Override
    public Assignment place(ClusterState cluster, Request request, Claim claim) {
        Resources need = request.resources();
        if (need.gpus() == 0) {
            return super.place(cluster, request, claim);
        }
        String model = need.model();
        double load = cluster.loadSeconds(model);
        Assignment best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        boolean bestResident = false;
        for (int i = 0; i < cluster.size(); i++) {
            if ((request.allowedNodes() != null && !request.allowedNodes().get(i)) || !cluster.accepts(i)) {
                continue;
            }
            NodeState node = cluster.node(i);
            int[] gpus = node.fit(need, claim);
            if (gpus == null) {
                continue;
            }
            boolean resident = model != null && node.isResident(gpus[0], model);
            double cost = resident ? 0 : load + evictionRegret(cluster, node, gpus, need);
            cost += 1e-3 * node.utilisation(); // ties: least loaded
            if (cost < bestCost - 1e-9) {
                best = new Assignment(i, gpus);
                bestCost = cost;
                bestResident = resident;
            }
        }
        // A millisecond of slack: a wake-up at the deferral's end must not find a sliver of it left (and defer again).
        if (best != null && !bestResident && model != null && request.waitedSeconds() < load - 1e-3
                && residentGpuFreesWithin(cluster, model, request.nowSeconds() + load - request.waitedSeconds())) {
            return DEFER;
        }
        return best;
    }

    /** A deferred task waits at most one load of its model in all: then it loads wherever it fits. */
    @Override
    public double deferredUntil(ClusterState cluster, Request request) {
        return request.nowSeconds() - request.waitedSeconds() + cluster.loadSeconds(request.resources().model());
    }

    /** Expected reload time caused by the idle models this placement would evict. */
    private static double evictionRegret(ClusterState cluster, NodeState node, int[] gpus, Resources need) {
        double regret = 0;
        for (int gpu : gpus) {
            double memory = cluster.residentFootprint(need.model(), node.gpuMemoryTaken(gpu, need));
            List<String> evicted = node.evictedBy(gpu, memory);
            for (String model : evicted) {
                int demand = cluster.demand(model);
                if (demand > 0) {
                    regret += cluster.loadSeconds(model) * demand / Math.max(1, cluster.residentCopies(model));
                }
            }
        }
        return regret;
    }

    /** Whether a busy GPU holding {@code model} is predicted to be free by {@code deadlineSeconds}. */
    private static boolean residentGpuFreesWithin(ClusterState cluster, String model, double deadlineSeconds) {
        for (int i = 0; i < cluster.size(); i++) {
            NodeState node = cluster.node(i);
            for (int gpu = 0; gpu < node.gpuCount(); gpu++) {
                if (node.gpuBusy(gpu) && node.isResident(gpu, model) && node.gpuBusyUntil(gpu) <= deadlineSeconds) {
                    return true;
                }
            }
        }
        return false;
    }
}
