package dev.maze.predict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.predict.ToolType.Aggregate;
import dev.maze.predict.ToolType.FeatureSource;
import dev.maze.predict.features.AudioFeatures;
import dev.maze.predict.features.ImageFeatures;
import dev.maze.predict.features.TextFeatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a tool type's feature row for a task. Where a feature's value comes from, first found wins:
 * <ol>
 *   <li>the task's own {@code features};
 *   <li>its inputs: a number or boolean input named like the feature ({@code batch_size: 4}, {@code reason: true}),
 *       and the tool type's sources (a text's length and tokens; an image's or audio file's features), unless the
 *       input is still a template that only a predecessor's output will fill in;
 *   <li>what finished predecessors stated for it ({@code succ_task_feat}), combined per the tool type's aggregates;
 *   <li>the tool type's defaults ({@code reason} 0, {@code batch_size} 1).
 * </ol>
 * A feature still unknown is {@code NaN}; the model fills it with its training median.
 *
 * <p>Reading an image or audio file takes milliseconds to a second, so on the engine loop ({@code blocking} false)
 * media features come from a cache that a background thread fills: the first prediction for a new file goes
 * without them, later ones (when the task becomes ready, and when it is learned from) have them. Texts longer than
 * {@value #INLINE_TEXT_CHARS} characters are tokenised the same way.
 */
final class FeatureAssembler {

    private static final Logger LOG = LoggerFactory.getLogger(FeatureAssembler.class);
    /** Texts up to this long are tokenised inline (tens of microseconds); longer ones in the background. */
    static final int INLINE_TEXT_CHARS = 2_000;
    /** Marks an extraction under way; its own instance, never equal by identity to a result (Map.of() is shared). */
    private static final Map<String, Double> PENDING = java.util.Collections.unmodifiableMap(new java.util.HashMap<>());

    private final Map<String, Map<String, Double>> cache = new ConcurrentHashMap<>();
    private final ExecutorService background;

    /** @param background runs media extraction for non-blocking calls; null: every call extracts itself */
    FeatureAssembler(ExecutorService background) {
        this.background = background;
    }

    /**
     * The row of {@code type}'s features for {@code task}.
     *
     * @param blocking whether this call may read files and tokenise long texts itself (not on the engine loop)
     * @return the row, with {@code NaN} for unknown features; null when nothing but defaults is known, so that a
     *     model would only be guessing
     */
    double[] row(ToolType type, TaskSpec task, List<Map<String, Double>> fromPredecessors, boolean blocking) {
        List<String> features = type.features();
        double[] row = new double[features.size()];
        Arrays.fill(row, Double.NaN);
        int known = 0;
        for (int i = 0; i < row.length; i++) {
            Double value = task.features().get(features.get(i));
            if (value == null) {
                value = numericInput(task.inputs(), features.get(i));
            }
            if (value != null) {
                row[i] = value;
                known++;
            }
        }
        for (FeatureSource source : type.sources()) {
            known += fromSource(source, task.inputs(), features, row, blocking);
        }
        known += fromPredecessors(type, fromPredecessors, row);
        for (int i = 0; i < row.length; i++) {
            Double fallback = type.defaults().get(features.get(i));
            if (Double.isNaN(row[i]) && fallback != null) {
                row[i] = fallback;
            }
        }
        return known == 0 ? null : row;
    }

    private static Double numericInput(JsonNode inputs, String name) {
        JsonNode value = inputs == null ? null : inputs.get(name);
        if (value == null) {
            return null;
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        return value.isBoolean() ? (value.asBoolean() ? 1.0 : 0.0) : null;
    }

    private int fromSource(FeatureSource source, JsonNode inputs, List<String> features, double[] row, boolean blocking) {
        JsonNode input = inputs == null ? null : inputs.get(source.input());
        if (input == null || !input.isTextual() || input.asText().contains("{{")) {
            return 0;
        }
        String value = input.asText();
        Path file = source.kind() == FeatureSource.Kind.TEXT ? null : Path.of(value);
        Map<String, Double> found = switch (source.kind()) {
            case TEXT -> {
                Computation text = () -> TextFeatures.of(textKey(source.lengthFeature(), "\u0000length"),
                        textKey(source.tokenFeature(), "\u0000tokens"), value);
                yield value.length() <= INLINE_TEXT_CHARS ? compute(text) : cached("text\u0000" + source.lengthFeature()
                        + '\u0000' + source.tokenFeature() + '\u0000' + value, blocking, text);
            }
            case IMAGE -> media("image", file, blocking, () -> ImageFeatures.extract(file));
            case AUDIO -> media("audio", file, blocking, () -> AudioFeatures.extract(file));
        };
        int known = 0;
        for (int i = 0; i < row.length; i++) {
            Double v = found.get(features.get(i));
            if (v != null && Double.isNaN(row[i])) {
                row[i] = v;
                known++;
            }
        }
        return known;
    }

    /** A text source may want only one of the two; the other goes under a key no feature has. */
    private static String textKey(String feature, String unused) {
        return feature != null ? feature : unused;
    }

    private interface Computation {
        Map<String, Double> compute() throws IOException;
    }

    private Map<String, Double> media(String kind, Path file, boolean blocking, Computation extraction) {
        String key;
        try {
            key = kind + '\u0000' + file.toAbsolutePath() + '\u0000' + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return Map.of(); // no such file (yet): nothing to learn from it
        }
        return cached(key, blocking, extraction);
    }

    private Map<String, Double> cached(String key, boolean blocking, Computation computation) {
        Map<String, Double> hit = cache.get(key);
        if (hit != null && (hit != PENDING || !blocking)) {
            return hit;
        }
        if (blocking) {
            Map<String, Double> value = compute(computation);
            cache.put(key, value);
            return value;
        }
        if (cache.size() > 50_000) {
            cache.clear(); // bounded: a cache of extracted features, recomputed on a miss
        }
        if (cache.putIfAbsent(key, PENDING) == null) {
            try {
                background.execute(() -> cache.put(key, compute(computation)));
            } catch (RejectedExecutionException e) {
                cache.remove(key); // shutting down
            }
        }
        return PENDING;
    }

    private static Map<String, Double> compute(Computation computation) {
        try {
            return computation.compute();
        } catch (IOException | RuntimeException e) {
            // Reported once per file: the result (no features) is cached like any other.
            LOG.warn("cannot extract features ({}); predicting without them", e.getMessage());
            return Map.of();
        }
    }

    private static int fromPredecessors(ToolType type, List<Map<String, Double>> fromPredecessors, double[] row) {
        if (fromPredecessors.isEmpty()) {
            return 0;
        }
        List<String> features = type.features();
        int known = 0;
        for (int i = 0; i < row.length; i++) {
            if (!Double.isNaN(row[i])) {
                continue;
            }
            String feature = features.get(i);
            Aggregate aggregate = type.aggregates().getOrDefault(feature, Aggregate.SUM);
            double combined = Double.NaN;
            int count = 0;
            for (Map<String, Double> stated : fromPredecessors) {
                Double value = stated.get(feature);
                if (value == null) {
                    continue;
                }
                count++;
                combined = count == 1 ? value : switch (aggregate) {
                    case SUM, MEAN -> combined + value;
                    case MAX -> Math.max(combined, value);
                    case LAST -> value;
                };
            }
            if (count > 0) {
                row[i] = aggregate == Aggregate.MEAN ? combined / count : combined;
                known++;
            }
        }
        return known;
    }
}
