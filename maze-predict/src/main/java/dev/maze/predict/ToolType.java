package dev.maze.predict;

import dev.maze.predict.data.Dataset;
import java.util.List;
import java.util.Map;

/**
 * A class of work whose run time one model learns: its feature columns (in model order), where those features come
 * from in a task's inputs, the fixed defaults of features that have a natural neutral value, and how values that
 * several predecessors state for one task combine.
 *
 * @param name e.g. {@code llm_process}
 * @param features the model's columns, in order
 * @param sources input fields the predictor reads features from (a prompt, an image file, an audio file)
 * @param defaults values for features a task does not give (Maze's: {@code reason} 0, {@code batch_size} 1); a
 *     feature without a default takes the training median
 * @param aggregates how the values of one feature stated by several predecessors combine; default {@link Aggregate#SUM}
 */
public record ToolType(String name, List<String> features, List<FeatureSource> sources, Map<String, Double> defaults,
        Map<String, Aggregate> aggregates) {

    public ToolType {
        features = List.copyOf(features);
        sources = List.copyOf(sources);
        defaults = Map.copyOf(defaults);
        aggregates = Map.copyOf(aggregates);
    }

    /**
     * The values that replace missing features of {@code training} (rows in this tool type's feature order): the
     * tool type's default where it has one (Maze's {@code reason} 0, {@code batch_size} 1), else the feature's median
     * over the rows that have it, else (no row has it) 0.
     */
    public double[] fillValues(Dataset training) {
        double[] medians = training.medians();
        double[] fill = new double[medians.length];
        for (int i = 0; i < fill.length; i++) {
            Double fixed = defaults.get(features.get(i));
            fill[i] = fixed != null ? fixed : Double.isNaN(medians[i]) ? 0 : medians[i];
        }
        return fill;
    }

    /** A tool type that no configuration names: no features, so only its running average is learned. */
    static ToolType featureless(String name) {
        return new ToolType(name, List.of(), List.of(), Map.of(), Map.of());
    }

    /** How values of one feature from several predecessors combine. */
    public enum Aggregate {
        /** Lengths and counts of texts that are concatenated add up. */
        SUM,
        /** The largest: dimensions, flags. */
        MAX,
        MEAN,
        /** The predecessor that finished last wins. */
        LAST
    }

    /**
     * Where features come from in a task's inputs.
     *
     * @param kind what the input holds
     * @param input the field of the task's {@code inputs} (a string: text, or a file path for images and audio)
     * @param lengthFeature for text: the feature that receives its length in code points (null: not wanted)
     * @param tokenFeature for text: the feature that receives its token count (null: not wanted)
     */
    public record FeatureSource(Kind kind, String input, String lengthFeature, String tokenFeature) {

        /** What an input field holds. */
        public enum Kind {
            TEXT,
            IMAGE,
            AUDIO
        }
    }
}
