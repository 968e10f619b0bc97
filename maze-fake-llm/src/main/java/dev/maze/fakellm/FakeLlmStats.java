package dev.maze.fakellm;

import java.util.Map;

/**
 * A snapshot of what a {@link FakeLlmServer} has done, as {@code GET /fake/stats} serves it (the same field names in
 * JSON).
 *
 * @param requests chat and transcription requests accepted (valid, for a served model), faulted ones included
 * @param models per model name, in the order served
 * @param faults faults injected, per {@link FaultKind#flagName()} ({@code 500}, {@code 429}, {@code hang},
 *     {@code malformed}); every kind is present
 * @param disconnects requests whose client went away before the answer was complete
 */
public record FakeLlmStats(long requests, Map<String, ModelStats> models, Map<String, Long> faults, long disconnects) {

    /** Copies the maps. */
    public FakeLlmStats {
        models = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(models));
        faults = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(faults));
    }

    /**
     * One model's counters.
     *
     * @param requests requests accepted for it, faulted ones included
     * @param served complete, well-formed 200 answers
     * @param inFlight requests in its batch now (prefill or decode); never above {@code --max-concurrency}
     * @param maxInFlight the most requests seen in its batch at once
     * @param queued requests waiting now, for the model to load or for a slot in its batch
     * @param loads times it was loaded (on-demand mode; 0 otherwise, where every model is loaded from the start)
     * @param evictions times it was evicted to make room for another model
     * @param resident whether it is loaded now
     * @param disconnects its requests whose client went away before the answer was complete
     */
    public record ModelStats(long requests, long served, int inFlight, int maxInFlight, int queued, long loads,
            long evictions, boolean resident, long disconnects) {}

    /** The stats of {@code model}. */
    public ModelStats model(String model) {
        ModelStats stats = models.get(model);
        if (stats == null) {
            throw new IllegalArgumentException("no model '" + model + "' (served: " + models.keySet() + ")");
        }
        return stats;
    }

    /** Faults of {@code kind} injected. */
    public long faults(FaultKind kind) {
        return faults.get(kind.flagName());
    }
}
