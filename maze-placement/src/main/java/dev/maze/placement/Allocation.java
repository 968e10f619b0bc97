package dev.maze.placement;

import java.util.List;

/**
 * What an allocator decided: the pipelines, or why there are none.
 *
 * @param pipelines disjoint pipelines; empty when infeasible
 * @param infeasible why no pipeline fits, with the missing capacity; null when feasible
 */
public record Allocation(String allocator, Objective objective, List<Pipeline> pipelines, String infeasible) {

    public Allocation {
        pipelines = List.copyOf(pipelines);
    }

    static Allocation none(String allocator, Objective objective, String why) {
        return new Allocation(allocator, objective, List.of(), why);
    }

    public boolean feasible() {
        return infeasible == null && !pipelines.isEmpty();
    }

    /** The slowest stage of all pipelines, ms per token (NaN when infeasible). */
    public double bottleneckMs() {
        return pipelines.stream().mapToDouble(Pipeline::bottleneckMs).max().orElse(Double.NaN);
    }

    /** Tokens per second of all pipelines together. */
    public double throughputTokensPerSec() {
        return pipelines.stream().mapToDouble(Pipeline::tokensPerSec).sum();
    }

    /** Requests all pipelines hold at once, 0 when some pipeline has no limit. */
    public int maxConcurrentRequests() {
        return pipelines.stream().anyMatch(p -> p.maxConcurrentRequests() == 0) ? 0
                : pipelines.stream().mapToInt(Pipeline::maxConcurrentRequests).sum();
    }

    /** The stage a node runs, or null when it runs none. */
    public Stage stageOf(String node) {
        for (Pipeline pipeline : pipelines) {
            for (Stage stage : pipeline.stages()) {
                if (stage.node().equals(node)) {
                    return stage;
                }
            }
        }
        return null;
    }

    /**
     * End-to-end latency, ms per token: a pipeline's, or with several the mean weighted by their throughput (what
     * a token served by the allocation sees on average). NaN when infeasible.
     */
    public double latencyMs() {
        double throughput = throughputTokensPerSec();
        return pipelines.isEmpty() ? Double.NaN
                : pipelines.stream().mapToDouble(p -> p.latencyMs() * p.tokensPerSec()).sum() / throughput;
    }
}
