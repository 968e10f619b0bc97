package dev.maze.predict.data;

/** Quantiles of sorted samples, shared by the outlier filter and the medians of missing-value defaults. */
final class Quantiles {
    private Quantiles() {}

    /**
     * The {@code p}-quantile of {@code sorted} (ascending, non-empty), interpolating linearly between the
     * order statistics at positions {@code p·(n−1)}: the default of R ("type 7") and NumPy, so figures can
     * be checked against either.
     */
    static double interpolated(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        double fraction = position - below;
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }
}
