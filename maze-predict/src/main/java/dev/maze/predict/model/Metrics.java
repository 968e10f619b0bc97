package dev.maze.predict.model;

import dev.maze.predict.data.Dataset;

/** Accuracy measures for execution-time predictions, as reported in benchmarks and on retraining. */
public final class Metrics {
    /** Rows whose actual value is at most this (in absolute value) are left out of {@link #mape}. */
    public static final double MAPE_MIN_ACTUAL = 1e-9;

    private Metrics() {}

    /** The three measures of one model on one data set. */
    public record Evaluation(double mae, double mape, double r2) {}

    /** Mean absolute error, in the unit of the values (seconds for execution times). */
    public static double mae(double[] actual, double[] predicted) {
        checkSameLength(actual, predicted);
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            sum += Math.abs(actual[i] - predicted[i]);
        }
        return sum / actual.length;
    }

    /**
     * Mean absolute percentage error as a fraction (0.12 means 12%) over the rows whose actual value
     * exceeds {@value #MAPE_MIN_ACTUAL} in magnitude: a relative error of a zero duration is undefined.
     * {@code NaN} when no row qualifies.
     */
    public static double mape(double[] actual, double[] predicted) {
        checkSameLength(actual, predicted);
        double sum = 0;
        int counted = 0;
        for (int i = 0; i < actual.length; i++) {
            if (Math.abs(actual[i]) > MAPE_MIN_ACTUAL) {
                sum += Math.abs(actual[i] - predicted[i]) / Math.abs(actual[i]);
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /**
     * Coefficient of determination, 1 − SS_res/SS_tot: 1 for perfect predictions, 0 for predicting the mean,
     * negative for worse. When the actual values are all equal (SS_tot = 0) it is 1 for perfect
     * predictions and 0 otherwise, as scikit-learn reports it, so that the result is always finite.
     */
    public static double r2(double[] actual, double[] predicted) {
        checkSameLength(actual, predicted);
        double mean = 0;
        for (double value : actual) {
            mean += value;
        }
        mean /= actual.length;
        double residual = 0;
        double total = 0;
        for (int i = 0; i < actual.length; i++) {
            residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        if (total == 0) {
            return residual == 0 ? 1 : 0;
        }
        return 1 - residual / total;
    }

    /**
     * MAE, MAPE and R² of {@code model} on {@code data}.
     *
     * @throws IllegalArgumentException when the data set's features are not the model's, in its order
     */
    public static Evaluation evaluate(Model model, Dataset data) {
        if (!model.features().equals(data.featureNames())) {
            throw new IllegalArgumentException(
                    "model features " + model.features() + " differ from data set features " + data.featureNames());
        }
        double[] predicted = new double[data.size()];
        for (int i = 0; i < predicted.length; i++) {
            predicted[i] = model.predict(data.row(i));
        }
        double[] actual = data.targets();
        return new Evaluation(mae(actual, predicted), mape(actual, predicted), r2(actual, predicted));
    }

    private static void checkSameLength(double[] actual, double[] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException(actual.length + " actual values but " + predicted.length + " predictions");
        }
        if (actual.length == 0) {
            throw new IllegalArgumentException("no values to compare");
        }
    }
}
