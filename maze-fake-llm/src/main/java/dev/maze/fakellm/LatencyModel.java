package dev.maze.fakellm;

/**
 * How long the fake model takes, in wall-clock nanoseconds (model milliseconds × the time scale). While {@code running}
 * requests of one model share its batch, prefill and decode are {@code 1 + k × (running − 1)} times slower, the way a
 * continuous-batching server's step time grows with its batch (maze-fake-llm/README.md, "Latency model").
 */
record LatencyModel(double prefillMillisPerToken, double decodeMillisPerToken, double batchSlowdown,
        double audioMillisPerSecond, double timeScale) {

    static LatencyModel of(FakeLlmConfig config) {
        return new LatencyModel(config.prefillMillisPerToken(), config.decodeMillisPerToken(), config.batchSlowdown(),
                config.audioMillisPerSecond(), config.timeScale());
    }

    /** {@code 1 + k × (running − 1)}, for {@code running >= 1}. */
    double slowdown(int running) {
        return 1 + batchSlowdown * (Math.max(1, running) - 1);
    }

    /** Time to first token: prefill of {@code promptTokens} with {@code running} requests in the batch. */
    long prefillNanos(int promptTokens, int running) {
        return wall(prefillMillisPerToken * promptTokens * slowdown(running));
    }

    /** One decode step (one more output token) with {@code running} requests in the batch. */
    long decodeStepNanos(int running) {
        return wall(decodeMillisPerToken * slowdown(running));
    }

    /** Transcribing {@code audioSeconds} of audio with {@code running} requests of the model at once. */
    long transcriptionNanos(double audioSeconds, int running) {
        return wall(audioMillisPerSecond * audioSeconds * slowdown(running));
    }

    /** Loading a model that takes {@code loadSeconds} model seconds. */
    long loadNanos(double loadSeconds) {
        return wall(loadSeconds * 1000);
    }

    private long wall(double modelMillis) {
        return Math.round(modelMillis * timeScale * 1_000_000);
    }
}
