package dev.maze.core.sim;

/**
 * The mean of a figure over independent runs (seeds) with a two-sided 95% confidence interval from Student's t
 * distribution: {@code mean ± t(0.975, n − 1) · s / √n}, s the sample standard deviation. It assumes the runs are
 * independent draws of the same experiment, which seeds give; over few seeds the interval is wide, as it should be.
 *
 * @param n finite values the estimate is over (NaN values, e.g. a percentile of no workflow, are left out)
 * @param mean their mean; NaN when n = 0
 * @param halfWidth half the width of the 95% interval; NaN when n < 2 (one run says nothing about spread)
 */
public record Estimate(int n, double mean, double halfWidth) {

    /**
     * Two-sided 95% quantiles t(0.975, df) for df = 1..30 (to 9 digits); beyond 30 the Cornish–Fisher expansion
     * in {@link #studentT975} is exact to within 1e-7, so no statistics library is needed for this one number.
     */
    private static final double[] T975 = {
        12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836, 2.446911851, 2.364624252, 2.306004135,
        2.262157163, 2.228138852, 2.200985160, 2.178812830, 2.160368656, 2.144786688, 2.131449546, 2.119905299,
        2.109815578, 2.100922040, 2.093024054, 2.085963447, 2.079613845, 2.073873068, 2.068657610, 2.063898562,
        2.059538553, 2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456
    };

    /** The standard normal's 0.975 quantile. */
    private static final double Z975 = 1.959963984540054;

    /** Lower end of the 95% interval. */
    public double low() {
        return mean - halfWidth;
    }

    /** Upper end of the 95% interval. */
    public double high() {
        return mean + halfWidth;
    }

    /** The estimate over the finite {@code values}. */
    public static Estimate of(double... values) {
        int n = 0;
        double sum = 0;
        for (double value : values) {
            if (Double.isFinite(value)) {
                n++;
                sum += value;
            }
        }
        if (n == 0) {
            return new Estimate(0, Double.NaN, Double.NaN);
        }
        double mean = sum / n;
        if (n == 1) {
            return new Estimate(1, mean, Double.NaN);
        }
        double squares = 0;
        for (double value : values) {
            if (Double.isFinite(value)) {
                squares += (value - mean) * (value - mean);
            }
        }
        double standardError = Math.sqrt(squares / (n - 1) / n);
        return new Estimate(n, mean, studentT975(n - 1) * standardError);
    }

    /**
     * Paired ratios {@code values[i] / baseline[i]} (one pair per seed), then their estimate. Pairing by seed
     * removes the variation the seed causes in both runs alike (the same arrivals, the same durations), so the
     * interval is much narrower than a ratio of two means would suggest. A pair with a non-finite value or a zero
     * baseline is left out.
     */
    public static Estimate ofRatios(double[] values, double[] baseline) {
        if (values.length != baseline.length) {
            throw new IllegalArgumentException("paired ratios need as many baseline values (" + baseline.length
                    + ") as values (" + values.length + ")");
        }
        double[] ratios = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            ratios[i] = baseline[i] != 0 ? values[i] / baseline[i] : Double.NaN;
        }
        return of(ratios);
    }

    /** t(0.975, df): the two-sided 95% quantile of Student's t with {@code df} ≥ 1 degrees of freedom. */
    public static double studentT975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be >= 1, was " + df);
        }
        if (df <= T975.length) {
            return T975[df - 1];
        }
        // Abramowitz & Stegun 26.7.5, four terms.
        double z = Z975;
        double z2 = z * z;
        double g1 = (z2 + 1) * z / 4;
        double g2 = ((5 * z2 + 16) * z2 + 3) * z / 96;
        double g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384;
        double g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160;
        double v = df;
        return z + g1 / v + g2 / (v * v) + g3 / (v * v * v) + g4 / (v * v * v * v);
    }
}
