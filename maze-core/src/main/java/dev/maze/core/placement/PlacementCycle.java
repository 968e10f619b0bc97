package dev.maze.core.placement;

import dev.maze.core.node.Resources;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The state of placing one request: the cluster, the request, the head-of-line claim, the GPUs the fit chose on the
 * node being looked at, and whatever plug-ins keep for the rest of the cycle (the Kubernetes framework's
 * {@code CycleState}). One per call of {@link Placement#place} (and of the other entry points); never shared.
 */
public final class PlacementCycle {

    private final ClusterState cluster;
    private final Placement.Request request;
    private final Claim claim;
    private int[] chosenGpus = new int[0];
    private double modelLoadSeconds = Double.NaN;
    private Map<Object, Object> data;
    /** The last answer of {@link #chosenGpuHoldsModel} (several scores ask it about the same node). */
    private NodeView holdsNode;
    private int[] holdsGpus;
    private boolean holds;

    PlacementCycle(ClusterState cluster, Placement.Request request, Claim claim) {
        this.cluster = cluster;
        this.request = request;
        this.claim = claim;
    }

    public ClusterState cluster() {
        return cluster;
    }

    public Placement.Request request() {
        return request;
    }

    /** What the task needs. */
    public Resources resources() {
        return request.resources();
    }

    /** The reservation held for a head-of-line task, or null. */
    public Claim claim() {
        return claim;
    }

    /** The node in slot {@code index}. */
    public NodeView node(int index) {
        return cluster.node(index);
    }

    /** The GPUs that {@link PlacementPlugins.Fits} chose on the node it passed last (empty for a task without GPUs). */
    public int[] chosenGpus() {
        return chosenGpus;
    }

    /** Records the GPUs chosen on the node being filtered; for the plug-in that picks GPUs. */
    public void chooseGpus(int[] gpus) {
        this.chosenGpus = gpus;
    }

    /** Whether the first of {@code gpus} on {@code node} holds the request's model (no load needed). */
    public boolean chosenGpuHoldsModel(NodeView node, int[] gpus) {
        if (node != holdsNode || gpus != holdsGpus) {
            holdsNode = node;
            holdsGpus = gpus;
            holds = gpus.length > 0 && node.isResident(gpus[0], request.resources().model());
        }
        return holds;
    }

    /** Seconds to load the request's model onto a GPU (0 without a model, or for one the catalog does not list). */
    public double modelLoadSeconds() {
        if (Double.isNaN(modelLoadSeconds)) {
            modelLoadSeconds = cluster.loadSeconds(request.resources().model());
        }
        return modelLoadSeconds;
    }

    /** What a plug-in stored under {@code key} in this cycle, computing it on first use. */
    @SuppressWarnings("unchecked")
    public <T> T computeIfAbsent(Object key, Function<Object, T> compute) {
        if (data == null) {
            data = new HashMap<>(4);
        }
        return (T) data.computeIfAbsent(key, compute);
    }
}
