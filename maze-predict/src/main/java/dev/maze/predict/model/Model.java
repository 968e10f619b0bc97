package dev.maze.predict.model;

import java.util.List;

/**
 * A trained regressor that predicts a task's execution time from its features.
 *
 * <p>Implementations are immutable and safe to call from any number of threads. {@link #predict} is on
 * the scheduler's hot path (it runs for every ready task), so it allocates nothing in steady state and
 * never calls into native code. A model never changes after training; retraining produces a new model,
 * which replaces the old one as a whole.
 */
public interface Model {
    /** The regressor family: {@code "gbt"}, {@code "mlp"} or {@code "linear"} (see {@link RegressorKind#id()}). */
    String kind();

    /** The feature columns the model was trained on, in the order {@link #predict} expects them. */
    List<String> features();

    /**
     * The predicted execution time in seconds for one task.
     *
     * @param row feature values in {@link #features()} order, with missing values already filled in (as
     *     the training data were); the array is read, never kept or changed
     * @return the model's estimate as computed, not clamped: a linear model can extrapolate below zero
     *     far outside its training data, so callers that need a duration clamp it
     * @throws IllegalArgumentException when {@code row} has the wrong length
     */
    double predict(double[] row);

    /**
     * A self-contained serialised form (UTF-8 JSON) that {@link RegressorKind#load(byte[])} of the same
     * kind turns back into a model with identical predictions, without XGBoost's native library.
     */
    byte[] toBytes();
}
