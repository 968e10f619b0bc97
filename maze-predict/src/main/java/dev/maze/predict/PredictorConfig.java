package dev.maze.predict;

import dev.maze.predict.model.RegressorKind;
import java.nio.file.Path;

/**
 * Settings of a {@link LearnedPredictor}. The defaults are Maze's and need no tuning.
 *
 * @param modelDir where datasets and models persist, one folder per tool type; null keeps everything in memory
 * @param regressor the model kind trained per tool type (default gradient-boosted trees)
 * @param minSamplesToTrain the first model is trained once a tool type has this many samples (Maze: 50)
 * @param minSamplesToRetrain a new model is trained after this many more samples (Maze: 20)
 * @param validationFraction share of samples held out to compare a new model with the current one
 * @param outlierFactor IQR factor of the outlier filter, applied to the logarithm of the run time (see
 *     {@link dev.maze.predict.data.Dataset#filterTargetOutliers(double, boolean)}); default 3, Tukey's "far out"
 *     fences: about 100x the median for typical spreads, which drops hung runs and keeps long legitimate ones
 * @param maxSamples samples kept per tool type, newest first (memory bound; the dataset file keeps all)
 * @param seed seeds the validation split and the regressor, so training is reproducible
 */
public record PredictorConfig(Path modelDir, RegressorKind regressor, int minSamplesToTrain, int minSamplesToRetrain,
        double validationFraction, double outlierFactor, int maxSamples, long seed) {

    public PredictorConfig {
        if (regressor == null) {
            throw new IllegalArgumentException("regressor must be one of gbt, mlp, linear");
        }
        if (minSamplesToTrain < 10) {
            throw new IllegalArgumentException("minSamplesToTrain must be at least 10, got " + minSamplesToTrain);
        }
        if (minSamplesToRetrain < 1) {
            throw new IllegalArgumentException("minSamplesToRetrain must be at least 1, got " + minSamplesToRetrain);
        }
        if (!(validationFraction > 0 && validationFraction < 0.5)) {
            throw new IllegalArgumentException("validationFraction must be in (0, 0.5), got " + validationFraction);
        }
        if (maxSamples < minSamplesToTrain) {
            throw new IllegalArgumentException("maxSamples must be at least minSamplesToTrain, got " + maxSamples);
        }
    }

    /** Maze's settings, gradient-boosted trees, persisted under {@code modelDir} (null: in memory). */
    public static PredictorConfig defaults(Path modelDir) {
        return new PredictorConfig(modelDir, RegressorKind.GBT, 50, 20, 0.2, 3.0, 100_000, 42);
    }

    public PredictorConfig withRegressor(RegressorKind kind) {
        return new PredictorConfig(modelDir, kind, minSamplesToTrain, minSamplesToRetrain, validationFraction,
                outlierFactor, maxSamples, seed);
    }

    public PredictorConfig withThresholds(int train, int retrain) {
        return new PredictorConfig(modelDir, regressor, train, retrain, validationFraction, outlierFactor, maxSamples, seed);
    }
}
