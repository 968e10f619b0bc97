package dev.maze.placement;

import java.util.List;

/**
 * Distinct nodes in order, their stages covering every layer once, from layer 0.
 *
 * @param latencyMs one token's end-to-end time: every stage plus the RTT between consecutive stages
 */
public record Pipeline(List<Stage> stages, double latencyMs) {

    public Pipeline {
        stages = List.copyOf(stages);
    }

    /** The slowest stage, milliseconds per token: a full pipeline emits a token this often. */
    public double bottleneckMs() {
        return stages.stream().mapToDouble(Stage::stageMs).max().orElseThrow();
    }

    /** Tokens per second a full pipeline emits: {@code 1000 / bottleneckMs}. */
    public double tokensPerSec() {
        return 1000 / bottleneckMs();
    }

    /** Requests it holds at once: its stages' least limit, 0 for none. */
    public int maxConcurrentRequests() {
        return stages.stream().mapToInt(Stage::maxRequests).filter(limit -> limit > 0).min().orElse(0);
    }

    /** The ids of its nodes, in order. */
    public List<String> nodes() {
        return stages.stream().map(Stage::node).toList();
    }
}
