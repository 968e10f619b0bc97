package dev.maze.placement;

/**
 * How the model is served, besides where: what every placement figure assumes (maze-placement/README.md, "Model").
 *
 * @param batchTokens tokens a forward pass carries: they share one read of the weights, so a memory-bound layer costs
 *     each token {@code 1 / batchTokens} of that read (1: one token at a time, the latency case)
 * @param maxLatencyMs the replicas objective's limit on a pipeline's end-to-end latency; infinite for none
 * @param contextTokens tokens of context a request may reach (prompt and output), for which each stage keeps KV cache;
 *     0 leaves the KV cache out (no limit on requests from it)
 */
public record Serving(int batchTokens, double maxLatencyMs, int contextTokens) {

    /** One token a pass, no latency limit, the KV cache left out. */
    public static final Serving DEFAULT = new Serving(1, Double.POSITIVE_INFINITY, 0);

    /** @throws IllegalArgumentException naming the field that is out of range */
    public Serving {
        if (batchTokens < 1) {
            throw new IllegalArgumentException("batchTokens must be at least 1, not " + batchTokens);
        }
        if (!(maxLatencyMs > 0)) {
            throw new IllegalArgumentException("maxLatencyMs must be above 0, not " + maxLatencyMs);
        }
        if (contextTokens < 0) {
            throw new IllegalArgumentException("contextTokens must be 0 (no KV cache) or more, not " + contextTokens);
        }
    }

    /** The same with this latency limit. */
    public Serving withMaxLatencyMs(double ms) {
        return new Serving(batchTokens, ms, contextTokens);
    }
}
