package dev.maze.predict.model;

import java.util.Arrays;

/**
 * Measures how long one {@link Model#predict} call takes, the figure that decides whether a regressor can
 * sit on the scheduler's hot path. A quick in-process estimate for reports and benchmarks, not a JMH
 * harness: it warms the code up, then times batches of single-row calls and takes the median per-call
 * time over batches, which shrugs off the odd garbage collection or descheduled batch on a shared machine.
 */
public final class PredictionLatency {
    /** Calls per timed batch: long enough that the clock's granularity does not matter. */
    static final int BATCH_SIZE = 200;

    /** Untimed calls before timing at the least: enough for the JIT to compile the model's predict. */
    static final int MIN_WARM_UP_CALLS = 20_000;

    /** Keeps results observable so the JIT cannot drop the calls being timed. */
    private static volatile double sink;

    private PredictionLatency() {}

    /**
     * Median nanoseconds per single-row prediction.
     *
     * @param rows inputs cycled through in order, each in the model's feature order; at least one
     * @param iterations timed calls in total (rounded up to whole batches of {@value #BATCH_SIZE}); as many
     *     untimed calls, and at least {@value #MIN_WARM_UP_CALLS}, come first as warm-up
     */
    public static double medianNanos(Model model, double[][] rows, int iterations) {
        if (rows.length == 0 || iterations < 1) {
            throw new IllegalArgumentException("need at least one row and one iteration");
        }
        int batches = Math.ceilDiv(iterations, BATCH_SIZE);
        double accumulated = 0;
        int next = 0;
        for (int i = 0; i < Math.max(batches * BATCH_SIZE, MIN_WARM_UP_CALLS); i++) {
            accumulated += model.predict(rows[next]);
            next = next + 1 == rows.length ? 0 : next + 1;
        }
        double[] nanosPerCall = new double[batches];
        for (int b = 0; b < batches; b++) {
            long start = System.nanoTime();
            for (int i = 0; i < BATCH_SIZE; i++) {
                accumulated += model.predict(rows[next]);
                next = next + 1 == rows.length ? 0 : next + 1;
            }
            nanosPerCall[b] = (double) (System.nanoTime() - start) / BATCH_SIZE;
        }
        sink = accumulated;
        Arrays.sort(nanosPerCall);
        int middle = batches / 2;
        return batches % 2 == 1 ? nanosPerCall[middle] : (nanosPerCall[middle - 1] + nanosPerCall[middle]) / 2;
    }
}
