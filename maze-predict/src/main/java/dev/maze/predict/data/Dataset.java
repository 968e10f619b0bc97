package dev.maze.predict.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Training data for one tool type: named feature columns and, per row, the measured execution time in
 * seconds (the {@value #TARGET_COLUMN} column of the CSV files).
 *
 * <p>Immutable: every operation that changes rows returns a new data set, and accessors hand out copies,
 * so a data set can be shared between a trainer and an evaluator without either seeing the other's
 * edits. A feature value may be {@code NaN} ("not measured"); {@link #medians()} and
 * {@link #fillMissing(double[])} replace those before training, because the regressors expect complete
 * rows. Targets are always finite and non-negative.
 */
public final class Dataset {
    /** Name of the target column in CSV files: the execution time in seconds. */
    public static final String TARGET_COLUMN = "exec_time";
    /**
     * The largest magnitude a feature may have (a count of tokens, pixels or seconds is far smaller): beyond it,
     * squares and sums in training overflow to infinity and no model can be trained any more.
     */
    public static final double MAX_FEATURE_MAGNITUDE = 1e12;

    /** Outlier factor of Tukey's fences, used by {@link #filterTargetOutliers()}. */
    public static final double DEFAULT_OUTLIER_FACTOR = 1.5;

    private final List<String> featureNames;
    private final double[][] rows;
    private final double[] targets;

    /** Takes ownership of the arrays: callers inside this class pass arrays nobody else holds. */
    private Dataset(List<String> featureNames, double[][] rows, double[] targets) {
        this.featureNames = featureNames;
        this.rows = rows;
        this.targets = targets;
    }

    /**
     * A data set holding copies of the given rows and targets.
     *
     * @param featureNames distinct, non-blank column names, none equal to {@value #TARGET_COLUMN}
     * @param rows one array per row, each of {@code featureNames.size()} values; {@code NaN} means missing
     * @param targets execution time in seconds per row: finite and at least 0
     * @throws IllegalArgumentException when the shapes disagree or a value is out of range
     */
    public static Dataset of(List<String> featureNames, double[][] rows, double[] targets) {
        List<String> names = List.copyOf(featureNames);
        checkFeatureNames(names);
        if (rows.length != targets.length) {
            throw new IllegalArgumentException(
                    rows.length + " rows but " + targets.length + " targets: every row needs its execution time");
        }
        double[][] rowCopies = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            rowCopies[i] = checkedRow(names, rows[i], i);
            checkTarget(targets[i], i);
        }
        return new Dataset(names, rowCopies, targets.clone());
    }

    /**
     * Reads a CSV file with a header row. Columns are matched by name, so their order does not matter;
     * columns that are not in {@code featureNames} are ignored; a feature column that is absent, or an
     * empty or {@code NaN} cell, becomes {@code NaN} (fill it with {@link #fillMissing(double[])}). The
     * {@value #TARGET_COLUMN} column is required. Blank lines are skipped.
     *
     * @throws DatasetException when the header lacks {@value #TARGET_COLUMN}, a cell is not a number, a
     *     row has the wrong number of cells, or an execution time is missing or negative; the message
     *     names the file, line and column
     * @throws IOException when the file cannot be read
     */
    public static Dataset readCsv(Path file, List<String> featureNames) throws IOException {
        List<String> names = List.copyOf(featureNames);
        checkFeatureNames(names);
        CsvDatasetReader.Table table = CsvDatasetReader.read(file, names);
        return new Dataset(names, table.rows(), table.targets());
    }

    /**
     * Writes this data set as CSV: a header of the feature names then {@value #TARGET_COLUMN}, one line per
     * row, missing values as empty cells. Replaces the file if it exists.
     */
    public void writeCsv(Path file) throws IOException {
        CsvDatasetWriter.write(file, featureNames, rows, targets);
    }

    /**
     * Appends one measured execution to a CSV file, creating it with a header when it does not exist.
     * Meant for one writer collecting samples as tasks finish; concurrent writers must coordinate.
     *
     * @param row feature values in {@code featureNames} order; {@code NaN} is written as an empty cell
     * @param targetSeconds the measured execution time, finite and at least 0
     * @throws DatasetException when the existing file's header differs from {@code featureNames} +
     *     {@value #TARGET_COLUMN} (appending would mix up columns)
     */
    public static void appendCsvRow(Path file, List<String> featureNames, double[] row, double targetSeconds)
            throws IOException {
        List<String> names = List.copyOf(featureNames);
        checkFeatureNames(names);
        double[] values = checkedRow(names, row, 0);
        checkTarget(targetSeconds, 0);
        CsvDatasetWriter.append(file, names, values, targetSeconds);
    }

    /** Column names in the order of every row. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** Number of rows. */
    public int size() {
        return rows.length;
    }

    /** Number of feature columns. */
    public int featureCount() {
        return featureNames.size();
    }

    /** A copy of row {@code index}, in {@link #featureNames()} order. */
    public double[] row(int index) {
        return rows[index].clone();
    }

    /** Execution time in seconds of row {@code index}. */
    public double target(int index) {
        return targets[index];
    }

    /** A copy of all rows. */
    public double[][] rows() {
        double[][] copy = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            copy[i] = rows[i].clone();
        }
        return copy;
    }

    /** A copy of all execution times, in seconds. */
    public double[] targets() {
        return targets.clone();
    }

    /** Two disjoint data sets that together hold every row of the original once. */
    public record Split(Dataset train, Dataset test) {}

    /**
     * Shuffles the rows with {@code seed} and cuts them into a training part of
     * {@code round(trainFraction * size())} rows and a test part holding the rest. With at least two rows,
     * both parts get at least one, so a model can always be both trained and evaluated.
     *
     * @param trainFraction strictly between 0 and 1
     */
    public Split split(double trainFraction, long seed) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("trainFraction must be strictly between 0 and 1, got " + trainFraction);
        }
        int[] order = shuffledIndices(rows.length, seed);
        int trainSize = (int) Math.round(trainFraction * rows.length);
        if (rows.length >= 2) {
            trainSize = Math.clamp(trainSize, 1, rows.length - 1);
        }
        return new Split(
                select(Arrays.copyOfRange(order, 0, trainSize)),
                select(Arrays.copyOfRange(order, trainSize, order.length)));
    }

    /** {@link #filterTargetOutliers(double)} with Tukey's usual factor {@value #DEFAULT_OUTLIER_FACTOR}. */
    public Dataset filterTargetOutliers() {
        return filterTargetOutliers(DEFAULT_OUTLIER_FACTOR);
    }

    /**
     * Drops rows whose execution time lies outside Tukey's fences [Q1 − k·IQR, Q3 + k·IQR], so that a few
     * runs that hung or hit a cold cache do not drag a regressor trained on squared error. Quartiles are
     * interpolated linearly between order statistics (the usual "type 7" definition). Rows keep their
     * order.
     *
     * @param k fence factor, finite and at least 0; 1.5 is the customary value, 3 keeps more
     */
    public Dataset filterTargetOutliers(double k) {
        return filterTargetOutliers(k, false);
    }

    /**
     * As {@link #filterTargetOutliers(double)}, with the fences computed on the logarithm of the execution time when
     * {@code logScale}. Run times are skewed (roughly lognormal: a long prompt takes many times the median), and on
     * that scale Tukey's fences drop only runs that are out of proportion (a hang, a 100x stall), where on the raw
     * scale they drop the legitimately longest runs too: their lower fence is negative, so every dropped row is a
     * long one, and a regressor never sees the long tail it must predict.
     */
    public Dataset filterTargetOutliers(double k, boolean logScale) {
        if (!(k >= 0) || Double.isInfinite(k)) {
            throw new IllegalArgumentException("outlier factor k must be finite and at least 0, got " + k);
        }
        if (rows.length == 0) {
            return this;
        }
        double[] scaled = logScale ? Arrays.stream(targets).map(t -> Math.log(Math.max(t, 1e-6))).toArray() : targets;
        double[] sorted = scaled.clone();
        Arrays.sort(sorted);
        double q1 = Quantiles.interpolated(sorted, 0.25);
        double q3 = Quantiles.interpolated(sorted, 0.75);
        double low = q1 - k * (q3 - q1);
        double high = q3 + k * (q3 - q1);
        int[] kept = new int[rows.length];
        int count = 0;
        for (int i = 0; i < rows.length; i++) {
            if (scaled[i] >= low && scaled[i] <= high) {
                kept[count++] = i;
            }
        }
        return count == rows.length ? this : select(Arrays.copyOf(kept, count));
    }

    /**
     * The median of each feature over the rows where it is present: the default for missing values. A
     * feature that is missing in every row (or a data set without rows) gets {@code NaN}, for which the
     * caller must choose a default itself.
     */
    public double[] medians() {
        double[] medians = new double[featureNames.size()];
        double[] column = new double[rows.length];
        for (int feature = 0; feature < medians.length; feature++) {
            int present = 0;
            for (double[] row : rows) {
                if (!Double.isNaN(row[feature])) {
                    column[present++] = row[feature];
                }
            }
            double[] values = Arrays.copyOf(column, present);
            Arrays.sort(values);
            medians[feature] = present == 0 ? Double.NaN : Quantiles.interpolated(values, 0.5);
        }
        return medians;
    }

    /**
     * A copy in which every missing ({@code NaN}) value of feature {@code j} is {@code defaults[j]}.
     *
     * @param defaults one finite value per feature, in {@link #featureNames()} order
     * @throws IllegalArgumentException when the length is wrong or a default is not finite (a {@code NaN}
     *     default would leave the gap in place)
     */
    public Dataset fillMissing(double[] defaults) {
        if (defaults.length != featureNames.size()) {
            throw new IllegalArgumentException(
                    defaults.length + " defaults for " + featureNames.size() + " features " + featureNames);
        }
        for (int j = 0; j < defaults.length; j++) {
            if (!Double.isFinite(defaults[j])) {
                throw new IllegalArgumentException("default for feature '" + featureNames.get(j) + "' is "
                        + defaults[j] + ": supply a finite value (medians() gives NaN for a feature that is never present)");
            }
        }
        double[][] filled = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            filled[i] = rows[i].clone();
            for (int j = 0; j < defaults.length; j++) {
                if (Double.isNaN(filled[i][j])) {
                    filled[i][j] = defaults[j];
                }
            }
        }
        return new Dataset(featureNames, filled, targets);
    }

    /**
     * Where the first missing value is, as {@code "row 12, feature 'token_count'"}, or empty when every row
     * is complete: trainers use it to refuse incomplete data with a message that points at the gap.
     */
    public Optional<String> firstMissingValue() {
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < featureNames.size(); j++) {
                if (Double.isNaN(rows[i][j])) {
                    return Optional.of("row " + i + ", feature '" + featureNames.get(j) + "'");
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Dataset that
                && featureNames.equals(that.featureNames)
                && Arrays.deepEquals(rows, that.rows)
                && Arrays.equals(targets, that.targets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(featureNames, Arrays.deepHashCode(rows), Arrays.hashCode(targets));
    }

    @Override
    public String toString() {
        return "Dataset[" + rows.length + " rows, features=" + featureNames + "]";
    }

    /** Rows at the given indices, sharing row arrays: safe because no operation mutates a row in place. */
    private Dataset select(int[] indices) {
        double[][] selected = new double[indices.length][];
        double[] selectedTargets = new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            selected[i] = rows[indices[i]];
            selectedTargets[i] = targets[indices[i]];
        }
        return new Dataset(featureNames, selected, selectedTargets);
    }

    private static int[] shuffledIndices(int size, long seed) {
        int[] order = new int[size];
        Arrays.setAll(order, i -> i);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    static void checkFeatureNames(List<String> names) {
        if (new HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("feature names must be distinct: " + names);
        }
        for (String name : names) {
            if (name.isBlank() || name.contains(",") || name.contains("\"")) {
                throw new IllegalArgumentException(
                        "feature name '" + name + "' must be non-blank and free of commas and quotes (it names a CSV column)");
            }
            if (name.equals(TARGET_COLUMN)) {
                throw new IllegalArgumentException("'" + TARGET_COLUMN + "' is the target column, not a feature");
            }
        }
    }

    private static double[] checkedRow(List<String> names, double[] row, int index) {
        if (row.length != names.size()) {
            throw new IllegalArgumentException(
                    "row " + index + " has " + row.length + " values for " + names.size() + " features " + names);
        }
        for (int j = 0; j < row.length; j++) {
            if (Double.isInfinite(row[j])) {
                throw new IllegalArgumentException(
                        "row " + index + ", feature '" + names.get(j) + "' is infinite; use NaN for a missing value");
            }
        }
        return row.clone();
    }

    private static void checkTarget(double seconds, int index) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException(
                    "row " + index + ": execution time must be a finite number of seconds >= 0, got " + seconds);
        }
    }
}
