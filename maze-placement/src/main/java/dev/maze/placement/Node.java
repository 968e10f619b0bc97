package dev.maze.placement;

import java.util.Map;

/**
 * A machine that can run a stage: its GPUs (alike, joined by tensor parallelism inside the node), their speed and
 * memory, and the round-trip times to other nodes. Figures are per GPU; the node offers {@code gpus} times them
 * (maze-placement/README.md, "Nodes").
 *
 * @param id unique in the cluster
 * @param gpus GPUs in the node, at least 1
 * @param tflops dense TFLOPS of one GPU at the model's precision
 * @param memoryGb memory of one GPU, GB (10^9 bytes)
 * @param memoryBandwidthGbPerSec memory bandwidth of one GPU; 0 when unknown (stage times are then compute only)
 * @param rttMs round-trip milliseconds to other nodes by id (one direction given is taken for both)
 * @param weightMemoryFraction share of memory for weights, 0..1
 * @param kvCacheMemoryFraction share of memory for the KV cache, 0..1 (sum with the weights' share at most 1)
 * @param layerLatencyMs a measured milliseconds per layer per token that replaces the estimate; 0 when none
 * @param linkGbPerSec the node's network bandwidth (max-flow edge capacity); 0 when unlimited
 * @param maxRequests requests in flight at which the node counts as overloaded; 0 when unlimited
 */
public record Node(String id, int gpus, double tflops, double memoryGb, double memoryBandwidthGbPerSec,
        Map<String, Double> rttMs, double weightMemoryFraction, double kvCacheMemoryFraction, double layerLatencyMs,
        double linkGbPerSec, int maxRequests) {

    /** @throws IllegalArgumentException naming the field that is out of range */
    public Node {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id is missing or empty");
        }
        if (gpus < 1) {
            throw new IllegalArgumentException("gpus must be at least 1, not " + gpus);
        }
        positive("tflops", tflops);
        positive("memoryGb", memoryGb);
        notNegative("memoryBandwidthGbPerSec", memoryBandwidthGbPerSec);
        notNegative("layerLatencyMs", layerLatencyMs);
        notNegative("linkGbPerSec", linkGbPerSec);
        if (maxRequests < 0) {
            throw new IllegalArgumentException("maxRequests must be 0 (unlimited) or more, not " + maxRequests);
        }
        if (!(weightMemoryFraction >= 0 && weightMemoryFraction <= 1)
                || !(kvCacheMemoryFraction >= 0 && kvCacheMemoryFraction <= 1)
                || weightMemoryFraction + kvCacheMemoryFraction > 1 + 1e-9) {
            throw new IllegalArgumentException("weightMemoryFraction (" + weightMemoryFraction
                    + ") and kvCacheMemoryFraction (" + kvCacheMemoryFraction + ") must each be 0..1 and sum to at most 1");
        }
        rttMs = Map.copyOf(rttMs);
        rttMs.forEach((other, ms) -> {
            if (other.equals(id)) {
                throw new IllegalArgumentException("rttMs names the node itself");
            }
            notNegative("rttMs." + other, ms);
        });
    }

    /** A node whose memory all holds weights, with no RTTs, bandwidth or measurements: for tests and generators. */
    public static Node of(String id, int gpus, double tflops, double memoryGb) {
        return new Node(id, gpus, tflops, memoryGb, 0, Map.of(), 1, 0, 0, 0, 0);
    }

    /** The same node with these round-trip times. */
    public Node withRtt(Map<String, Double> rtt) {
        return new Node(id, gpus, tflops, memoryGb, memoryBandwidthGbPerSec, rtt, weightMemoryFraction,
                kvCacheMemoryFraction, layerLatencyMs, linkGbPerSec, maxRequests);
    }

    /** The same node with a measured per-layer latency (0: back to the estimate). */
    public Node withLayerLatencyMs(double ms) {
        return new Node(id, gpus, tflops, memoryGb, memoryBandwidthGbPerSec, rttMs, weightMemoryFraction,
                kvCacheMemoryFraction, ms, linkGbPerSec, maxRequests);
    }

    /** GB this node gives to weights. */
    public double weightMemoryGb() {
        return gpus * memoryGb * weightMemoryFraction;
    }

    /** GB this node gives to the KV cache. */
    public double kvCacheMemoryGb() {
        return gpus * memoryGb * kvCacheMemoryFraction;
    }

    /**
     * Milliseconds one layer takes per token here: the measured figure when there is one, else the roofline, the
     * larger of compute time ({@code GFLOP / TFLOPS} is milliseconds) and the time to read the layer's weights,
     * which a batch of {@code batchTokens} tokens shares.
     */
    public double layerMs(LayerModel model, int batchTokens) {
        if (layerLatencyMs > 0) {
            return layerLatencyMs;
        }
        double compute = model.layerGflopsPerToken() / (gpus * tflops);
        double memory = memoryBandwidthGbPerSec > 0
                ? 1000 * model.layerWeightGb() / (gpus * memoryBandwidthGbPerSec) / batchTokens : 0;
        return Math.max(compute, memory);
    }

    /**
     * Layers this node can hold as a stage: {@code floor((weight memory - embedding if first - LM head if last) /
     * layer size)}, at least 0. With a context length and a KV figure, it also keeps KV cache for one request of that
     * length: out of the weight memory, each layer costing its weights plus its KV, when the node has no KV-cache share
     * of its own; else every layer's KV for one request must fit in that share.
     */
    public int layerCapacity(LayerModel model, boolean first, boolean last, int contextTokens) {
        double free = weightMemoryGb() - model.reservedGb(first, last);
        double kv = model.layerKvGb(contextTokens);
        double perLayer = model.layerWeightGb() + (kvCacheMemoryFraction > 0 ? 0 : kv);
        // A hair of tolerance: 80 GB holding exactly 40 layers of 2 GB must not come out as 39.
        double layers = free <= 0 ? 0 : Math.floor(free / perLayer + 1e-9);
        if (kv > 0 && kvCacheMemoryFraction > 0) {
            layers = Math.min(layers, Math.floor(kvCacheMemoryGb() / kv + 1e-9));
        }
        return (int) Math.min(model.layers(), layers);
    }

    /** {@link #layerCapacity(LayerModel, boolean, boolean, int)} with the KV cache left out. */
    public int layerCapacity(LayerModel model, boolean first, boolean last) {
        return layerCapacity(model, first, last, 0);
    }

    /**
     * Requests a stage of {@code layers} layers here may hold at once, 0 for no limit: the least of {@code maxRequests}
     * and the requests of {@code contextTokens} tokens whose KV cache fits — in the node's KV-cache share, or without
     * one in the weight memory the stage leaves free.
     */
    public int requestLimit(LayerModel model, int layers, boolean first, boolean last, int contextTokens) {
        double perRequest = layers * model.layerKvGb(contextTokens);
        if (perRequest <= 0) {
            return maxRequests;
        }
        double room = kvCacheMemoryFraction > 0 ? kvCacheMemoryGb()
                : weightMemoryGb() - model.reservedGb(first, last) - layers * model.layerWeightGb();
        int kv = (int) Math.max(0, Math.min(1_000_000, Math.floor(room / perRequest + 1e-9)));
        return maxRequests > 0 ? Math.min(maxRequests, kv) : kv;
    }

    private static void positive(String field, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be a number above 0, not " + value);
        }
    }

    private static void notNegative(String field, double value) {
        if (!(value >= 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be a number of 0 or more, not " + value);
        }
    }
}
