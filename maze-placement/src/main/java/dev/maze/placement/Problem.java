package dev.maze.placement;

import java.util.ArrayList;
import java.util.List;

/**
 * One model to place on a cluster, with the figures every allocator reads by node index {@code 0 .. size() - 1}
 * (the cluster's order): milliseconds per layer per token, layer capacity by position in a pipeline, and RTTs.
 *
 * @param batchTokens tokens a forward pass carries: they share one read of the weights, so a memory-bound layer costs
 *     each token {@code 1 / batchTokens} of that read (1: one token at a time, the latency case)
 * @param maxLatencyMs the replicas objective's limit on a pipeline's end-to-end latency; infinite for none
 */
public record Problem(LayerModel model, Cluster cluster, int batchTokens, double maxLatencyMs) {

    /** The defaults: one token per pass, no latency limit. */
    public static Problem of(LayerModel model, Cluster cluster) {
        return new Problem(model, cluster, 1, Double.POSITIVE_INFINITY);
    }

    public Problem {
        if (batchTokens < 1) {
            throw new IllegalArgumentException("batchTokens must be at least 1, not " + batchTokens);
        }
        if (!(maxLatencyMs > 0)) {
            throw new IllegalArgumentException("maxLatencyMs must be above 0, not " + maxLatencyMs);
        }
    }

    public int size() {
        return cluster.nodes().size();
    }

    public int layers() {
        return model.layers();
    }

    public Node node(int i) {
        return cluster.nodes().get(i);
    }

    /** Milliseconds one layer takes per token on node {@code i}. */
    public double layerMs(int i) {
        return node(i).layerMs(model, batchTokens);
    }

    /** Layers node {@code i} can hold at that position (first stage, last stage, both, or neither). */
    public int capacity(int i, boolean first, boolean last) {
        return node(i).layerCapacity(model, first, last);
    }

    public double rttMs(int i, int j) {
        return cluster.rttMs(node(i), node(j));
    }

    /** The index of the node with this id, or -1. */
    public int indexOf(String id) {
        for (int i = 0; i < size(); i++) {
            if (node(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The pipeline that runs {@code layers[k]} consecutive layers on {@code nodes[k]}, in this order, from layer 0.
     *
     * @throws IllegalArgumentException when the layers do not sum to the model's, a node repeats, a count is below 1,
     *     or a stage exceeds its node's capacity at that position
     */
    public Pipeline pipeline(int[] nodes, int[] layers) {
        if (nodes.length != layers.length || nodes.length == 0) {
            throw new IllegalArgumentException("a pipeline needs one layer count per node, and a node");
        }
        List<Stage> stages = new ArrayList<>();
        boolean[] seen = new boolean[size()];
        int start = 0;
        for (int k = 0; k < nodes.length; k++) {
            int i = nodes[k];
            if (seen[i]) {
                throw new IllegalArgumentException("node '" + node(i).id() + "' appears twice in a pipeline");
            }
            seen[i] = true;
            int cap = capacity(i, k == 0, k == nodes.length - 1);
            if (layers[k] < 1 || layers[k] > cap) {
                throw new IllegalArgumentException("node '" + node(i).id() + "' given " + layers[k]
                        + " layers; it holds 1 to " + cap + " there");
            }
            stages.add(new Stage(node(i).id(), start, start + layers[k], layers[k] * layerMs(i)));
            start += layers[k];
        }
        if (start != layers()) {
            throw new IllegalArgumentException("a pipeline covers " + start + " layers; the model has " + layers());
        }
        double latency = 0;
        for (int k = 0; k < nodes.length; k++) {
            latency += stages.get(k).stageMs() + (k > 0 ? rttMs(nodes[k - 1], nodes[k]) : 0);
        }
        return new Pipeline(stages, latency);
    }

    /**
     * The most layers one pipeline over all nodes could hold: the best choice of first and last stage, every other
     * node full. Below {@link #layers()} no pipeline exists, and {@link #infeasibility} says by how much.
     */
    public int mostLayersOnePipelineHolds() {
        long best = 0;
        long middle = 0;
        for (int i = 0; i < size(); i++) {
            middle += capacity(i, false, false);
            best = Math.max(best, capacity(i, true, true));
        }
        for (int f = 0; f < size(); f++) {
            for (int l = 0; l < size(); l++) {
                if (f != l && capacity(f, true, false) > 0 && capacity(l, false, true) > 0) {
                    best = Math.max(best, middle - capacity(f, false, false) - capacity(l, false, false)
                            + capacity(f, true, false) + capacity(l, false, true));
                }
            }
        }
        return (int) Math.min(best, Integer.MAX_VALUE);
    }

    /** Why no pipeline fits, with the missing capacity; null when one does. */
    public String infeasibility() {
        int most = mostLayersOnePipelineHolds();
        if (most >= layers()) {
            return null;
        }
        int missing = layers() - most;
        return String.format(java.util.Locale.ROOT, "no pipeline holds all %d layers of %s: the %d node(s) together "
                + "hold at most %d (after the embedding, %.1f GB, and the LM head, %.1f GB); %d layer(s), %.1f GB of "
                + "weight memory, missing", layers(), model.name(), size(), most, model.embeddingGb(), model.lmHeadGb(),
                missing, missing * model.layerWeightGb());
    }
}
