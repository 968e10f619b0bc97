package dev.maze.predict.model;

/**
 * Per-column mean and standard deviation of training data. Ridge regression and the MLP train on
 * standardised values so that one penalty and one learning rate suit features measured in characters,
 * pixels and seconds alike; after training, both fold the scaling back into their weights so that
 * prediction works on raw feature values.
 *
 * @param means column means
 * @param scales column standard deviations, with 1 in place of 0 for constant columns (their standardised
 *     value is then 0, which contributes nothing instead of dividing by zero)
 */
record Standardization(double[] means, double[] scales) {

    static Standardization ofColumns(double[][] rows, int columns) {
        double[] means = new double[columns];
        double[] scales = new double[columns];
        for (int j = 0; j < columns; j++) {
            double[] column = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                column[i] = rows[i][j];
            }
            Standardization single = ofValues(column);
            means[j] = single.means[0];
            scales[j] = single.scales[0];
        }
        return new Standardization(means, scales);
    }

    /** Mean and population standard deviation of one column (Welford's update, stable for large values). */
    static Standardization ofValues(double[] values) {
        double mean = 0;
        double sumOfSquares = 0;
        for (int i = 0; i < values.length; i++) {
            double delta = values[i] - mean;
            mean += delta / (i + 1);
            sumOfSquares += delta * (values[i] - mean);
        }
        double deviation = values.length == 0 ? 0 : Math.sqrt(sumOfSquares / values.length);
        return new Standardization(new double[] {mean}, new double[] {deviation > 1e-12 * Math.max(1, Math.abs(mean)) ? deviation : 1});
    }

    double[] apply(double[] row) {
        double[] standardised = new double[row.length];
        for (int j = 0; j < row.length; j++) {
            standardised[j] = (row[j] - means[j]) / scales[j];
        }
        return standardised;
    }

    double[][] apply(double[][] rows) {
        double[][] standardised = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            standardised[i] = apply(rows[i]);
        }
        return standardised;
    }
}
