package dev.maze.cli;

import dev.maze.core.sim.Curve;
import dev.maze.core.sim.SimulationMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The finished workflows' latencies of every seed of one profile, for the pooled latency CDF, in bounded memory: each
 * kept value stands for a weight of workflows. Until {@link #LIMIT} values are kept they are the latencies themselves
 * (weight 1: the CDF is exact, as for every shipped workload); beyond it they are merged into
 * {@link SimulationMetrics#MAX_CURVE_POINTS} quantiles, so that a thousand seeds of a million workflows take a few
 * megabytes, not gigabytes. A chart cannot show the difference.
 */
final class PooledLatencies {

    /** Values kept before they are merged into quantiles. */
    static final int LIMIT = 10 * SimulationMetrics.MAX_CURVE_POINTS;

    private double[] values = new double[0];
    private double[] weights = new double[0];
    private int size;
    private long workflows;

    /** Adds one run's latencies (sorted or not). */
    void add(double[] latencies) {
        workflows += latencies.length;
        if (size + latencies.length > values.length) {
            int capacity = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(2L * values.length, (long) size + latencies.length));
            values = Arrays.copyOf(values, capacity);
            weights = Arrays.copyOf(weights, capacity);
        }
        for (double latency : latencies) {
            values[size] = latency;
            weights[size] = 1;
            size++;
        }
        if (size > LIMIT) {
            compact(SimulationMetrics.MAX_CURVE_POINTS);
        }
    }

    /** How many workflows were added. */
    long workflows() {
        return workflows;
    }

    /** The pooled CDF: x the latencies, y the share of workflows at or below; at most MAX_CURVE_POINTS points. */
    Curve cdf() {
        compact(SimulationMetrics.MAX_CURVE_POINTS);
        double total = 0;
        for (int i = 0; i < size; i++) {
            total += weights[i];
        }
        List<Double> x = new ArrayList<>(size);
        List<Double> y = new ArrayList<>(size);
        double below = 0;
        for (int i = 0; i < size; i++) {
            below += weights[i];
            x.add(values[i]);
            y.add(below / total);
        }
        return new Curve(x, y);
    }

    /** Sorts by value and, when more than {@code points} are kept, replaces them by that many weighted quantiles. */
    private void compact(int points) {
        Integer[] order = new Integer[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] sortedValues = new double[size];
        double[] sortedWeights = new double[size];
        double total = 0;
        for (int i = 0; i < size; i++) {
            sortedValues[i] = values[order[i]];
            sortedWeights[i] = weights[order[i]];
            total += sortedWeights[i];
        }
        if (size <= points) {
            values = sortedValues;
            weights = sortedWeights;
            return;
        }
        // The value at each j/points of the cumulative weight stands for the weight since the previous one.
        double[] keptValues = new double[points];
        double[] keptWeights = new double[points];
        int kept = 0;
        double cumulative = 0;
        double emitted = 0;
        for (int i = 0; i < size && kept < points; i++) {
            cumulative += sortedWeights[i];
            while (kept < points && cumulative >= total * (kept + 1) / points - 1e-9 * total) {
                keptValues[kept] = sortedValues[i];
                double upTo = Math.min(cumulative, total * (kept + 1) / points);
                keptWeights[kept] = upTo - emitted;
                emitted = upTo;
                kept++;
            }
        }
        values = Arrays.copyOf(keptValues, kept);
        weights = Arrays.copyOf(keptWeights, kept);
        size = kept;
    }
}
