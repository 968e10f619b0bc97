package dev.maze.predict.model;

import dev.maze.predict.data.Dataset;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The regressor families the predictor can train, selected by their {@link #id()} in configuration.
 *
 * <ul>
 *   <li>{@link #GBT}: gradient-boosted trees trained by XGBoost, evaluated in plain Java. The most accurate
 *       on non-linear execution-time data; training needs XGBoost's native library, prediction does not.
 *   <li>{@link #MLP}: a small multilayer perceptron trained in plain Java. Smooth, extrapolates more
 *       gracefully than trees, needs more data and training time.
 *   <li>{@link #LINEAR}: ridge regression. The baseline, trains instantly from a handful of rows, and is
 *       the fallback when nothing else is available.
 * </ul>
 */
public enum RegressorKind {
    GBT("gbt"),
    MLP("mlp"),
    LINEAR("linear");

    private final String id;

    RegressorKind(String id) {
        this.id = id;
    }

    /** The name used in configuration and in serialised models: {@code "gbt"}, {@code "mlp"} or {@code "linear"}. */
    public String id() {
        return id;
    }

    /**
     * The kind named {@code id}, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming the choices when {@code id} is none of them
     */
    public static RegressorKind parse(String id) {
        String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        for (RegressorKind kind : values()) {
            if (kind.id.equals(wanted)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown regressor '" + id + "'; choose one of: " + choices());
    }

    /**
     * Trains a model of this kind. Deterministic: the same data and seed give a model with the same
     * predictions and the same {@link Model#toBytes()}.
     *
     * @param data at least one row, at least one feature, no missing values (fill them with
     *     {@link Dataset#fillMissing(double[])} first)
     * @param seed seeds every random choice of training (splits, initial weights, row sampling)
     * @throws IllegalArgumentException when the data are empty or incomplete
     * @throws ModelTrainingException when training fails for another reason, such as XGBoost's native
     *     library not loading; the caller can fall back to another kind
     */
    public Model train(Dataset data, long seed) throws ModelTrainingException {
        requireTrainable(data);
        return switch (this) {
            case GBT -> XgboostTrainer.train(data, seed);
            case MLP -> MlpTrainer.train(data, seed);
            case LINEAR -> RidgeRegression.fit(data);
        };
    }

    /**
     * Reads a model of this kind from {@link Model#toBytes()} output. Never needs a native library.
     *
     * @throws ModelFormatException when the bytes are not a Maze model, hold another kind (the message
     *     names it), come from a newer format version, or describe an inconsistent model
     */
    public Model load(byte[] bytes) throws ModelFormatException {
        return switch (this) {
            case GBT -> TreeEnsemble.load(bytes);
            case MLP -> MultilayerPerceptron.load(bytes);
            case LINEAR -> RidgeRegression.load(bytes);
        };
    }

    static String choices() {
        return Arrays.stream(values()).map(RegressorKind::id).collect(Collectors.joining(", "));
    }

    private static void requireTrainable(Dataset data) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("cannot train on an empty data set: record some executions first");
        }
        if (data.featureCount() == 0) {
            throw new IllegalArgumentException("cannot train without features: the data set has no feature columns");
        }
        data.firstMissingValue().ifPresent(where -> {
            throw new IllegalArgumentException("missing value at " + where
                    + ": fill missing values (Dataset.fillMissing with Dataset.medians) before training");
        });
    }
}
