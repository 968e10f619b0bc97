package dev.maze.predict.model;

import dev.maze.predict.data.Dataset;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Trains {@link RegressorKind#GBT} models with XGBoost and hands them over as {@link TreeEnsemble}s, so
 * that the native library is touched only here, only while training.
 *
 * <p>The number of boosting rounds is chosen by early stopping: train on a seeded 80% of the rows, watch
 * the RMSE on the other 20%, and stop {@value #PATIENCE} rounds after the best one. The model is then
 * refitted on all rows with that many rounds, because online training data are scarce and the held-out
 * fifth is worth having in the final model. Below {@value #MIN_ROWS_FOR_EARLY_STOPPING} rows a fifth is too
 * few rows to judge by, and a fixed {@value #FIXED_ROUNDS} rounds are used instead.
 */
final class XgboostTrainer {
    static final int MAX_DEPTH = 6;
    static final double LEARNING_RATE = 0.1;
    static final double ROW_SUBSAMPLE = 0.8;
    static final int MIN_CHILD_WEIGHT = 1;
    /**
     * One native thread. XGBoost's OpenMP threads spin while they wait for each other; on two cores shared
     * with the scheduler and other work that turned 200 rounds on 1,600 rows from 0.6 s into 14.5 s, while
     * the data sets here are too small for a second thread to gain much when the cores are idle.
     */
    static final int THREADS = 1;
    static final int MAX_ROUNDS = 1000;
    static final int PATIENCE = 30;
    static final int FIXED_ROUNDS = 100;
    static final int MIN_ROWS_FOR_EARLY_STOPPING = 50;
    static final double VALIDATION_FRACTION = 0.2;

    private XgboostTrainer() {}

    static TreeEnsemble train(Dataset data, long seed) throws ModelTrainingException {
        try {
            int rounds = data.size() >= MIN_ROWS_FOR_EARLY_STOPPING ? roundsByEarlyStopping(data, seed) : FIXED_ROUNDS;
            Booster booster = fit(data, rounds, seed);
            try {
                return XgboostJsonImporter.read(booster.toByteArray("json"), data.featureNames(), rounds);
            } finally {
                booster.dispose();
            }
        } catch (XGBoostError e) {
            throw new ModelTrainingException("XGBoost failed to train the gbt model: " + e.getMessage(), e);
        } catch (ModelFormatException e) {
            throw new ModelTrainingException("cannot convert XGBoost's model to a Java tree ensemble: " + e.getMessage(), e);
        } catch (LinkageError e) {
            throw new ModelTrainingException("gbt training needs XGBoost's native library, which did not load ("
                    + e + "); it needs libgomp.so.1 (Debian/Ubuntu package libgomp1) on a supported platform. "
                    + "Use the 'linear' or 'mlp' regressor instead, which are pure Java", e);
        }
    }

    /** A booster trained on all of {@code data} for {@code rounds} rounds; the caller disposes it. */
    static Booster fit(Dataset data, int rounds, long seed) throws XGBoostError {
        DMatrix matrix = matrix(data);
        try {
            return XGBoost.train(matrix, parameters(seed), rounds, Map.of(), null, null);
        } finally {
            matrix.dispose();
        }
    }

    /** The matrix XGBoost trains on: features as 32-bit floats, row-major, NaN as missing. */
    static DMatrix matrix(Dataset data) throws XGBoostError {
        int width = data.featureCount();
        float[] values = new float[data.size() * width];
        float[] labels = new float[data.size()];
        for (int i = 0; i < data.size(); i++) {
            double[] row = data.row(i);
            for (int j = 0; j < width; j++) {
                values[i * width + j] = (float) row[j];
            }
            labels[i] = (float) data.target(i);
        }
        DMatrix matrix = new DMatrix(values, data.size(), width, Float.NaN);
        matrix.setLabel(labels);
        return matrix;
    }

    private static int roundsByEarlyStopping(Dataset data, long seed) throws XGBoostError {
        Dataset.Split split = data.split(1 - VALIDATION_FRACTION, seed);
        DMatrix train = matrix(split.train());
        DMatrix validation = matrix(split.test());
        // Zero rounds: XGBoost.train only builds the booster; the loop below boosts one round at a time so it
        // can track the best round itself (XGBoost4J's own early stopping keeps no best iteration).
        Booster booster = XGBoost.train(train, parameters(seed), 0, Map.of("validation", validation), null, null);
        try {
            DMatrix[] watched = {validation};
            String[] names = {"validation"};
            float[] rmse = new float[1];
            float bestRmse = Float.POSITIVE_INFINITY;
            int bestRound = 0;
            for (int round = 0; round < MAX_ROUNDS && round - bestRound <= PATIENCE; round++) {
                booster.update(train, round);
                booster.evalSet(watched, names, round, rmse);
                if (rmse[0] < bestRmse) {
                    bestRmse = rmse[0];
                    bestRound = round;
                }
            }
            return bestRound + 1;
        } finally {
            booster.dispose();
            train.dispose();
            validation.dispose();
        }
    }

    private static Map<String, Object> parameters(long seed) {
        return Map.of(
                "objective", "reg:squarederror",
                "eval_metric", "rmse",
                "tree_method", "hist",
                "max_depth", MAX_DEPTH,
                "eta", LEARNING_RATE,
                "subsample", ROW_SUBSAMPLE,
                "min_child_weight", MIN_CHILD_WEIGHT,
                "nthread", THREADS,
                "seed", seed,
                "verbosity", 0);
    }
}
