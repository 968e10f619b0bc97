package dev.maze.placement;

import java.util.ArrayList;
import java.util.List;

/**
 * One model to place on a cluster, with the figures every allocator reads by node index {@code 0 .. size() - 1}
 * (the cluster's order): milliseconds per layer per token, layer capacity by position in a pipeline, the requests a
 * stage's KV cache holds, and RTTs.
 */
public record Problem(LayerModel model, Cluster cluster, Serving serving) {

    /** {@link Serving#DEFAULT}: one token per pass, no latency limit, the KV cache left out. */
    public static Problem of(LayerModel model, Cluster cluster) {
        return new Problem(model, cluster, Serving.DEFAULT);
    }

    public int batchTokens() {
        return serving.batchTokens();
    }

    public double maxLatencyMs() {
        return serving.maxLatencyMs();
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
        return node(i).layerMs(model, serving.batchTokens());
    }

    /**
     * Layers node {@code i} can hold at that position (first stage, last stage, both, or neither), keeping KV cache for
     * at least one request of the context length ({@link Node#layerCapacity}).
     */
    public int capacity(int i, boolean first, boolean last) {
        return node(i).layerCapacity(model, first, last, serving.contextTokens());
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
            stages.add(new Stage(node(i).id(), start, start + layers[k], layers[k] * layerMs(i),
                    node(i).requestLimit(model, layers[k], k == 0, k == nodes.length - 1, serving.contextTokens())));
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
        String kv = serving.contextTokens() > 0 && model.layerKvKbPerToken() > 0
                ? String.format(java.util.Locale.ROOT, ", and KV cache for one request of %d tokens, %.3f GB a layer",
                        serving.contextTokens(), model.layerKvGb(serving.contextTokens()))
                : "";
        return String.format(java.util.Locale.ROOT, "no pipeline holds all %d layers of %s: the %d node(s) together "
                + "hold at most %d (after the embedding, %.1f GB, and the LM head, %.1f GB%s); %d layer(s), %.1f GB of "
                + "weight memory, missing", layers(), model.name(), size(), most, model.embeddingGb(), model.lmHeadGb(),
                kv, missing, missing * model.layerWeightGb());
    }
}
