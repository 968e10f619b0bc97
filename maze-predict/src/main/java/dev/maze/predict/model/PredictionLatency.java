package dev.maze.predict.model;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * How long one call of a function of a feature row takes: a model's {@code predict}, or a whole prediction path —
 * the figure that decides whether a regressor can sit on the scheduler's hot path. A quick in-process estimate for
 * reports and benchmark commands, not a JMH harness: untimed warm-up batches let the JIT compile
 * the call, then batches of calls are timed and the median per-call time over batches is reported, which shrugs off
 * a garbage collection or a descheduled batch on a shared machine. Rows are cycled in order.
 *
 * <p>Every function measured here goes through one call site, so after the first function it is a virtual call the
 * JIT cannot inline into the loop: a few nanoseconds that matter only for functions as cheap as a dot product.
 *
 * @param medianNanos median over the timed batches of nanoseconds per call
 * @param minNanos fastest batch, nanoseconds per call
 * @param maxNanos slowest batch, nanoseconds per call
 * @param batches timed batches
 * @param callsPerBatch calls per batch
 */
public record PredictionLatency(double medianNanos, double minNanos, double maxNanos, int batches, int callsPerBatch) {

    /** Calls per batch of {@link #medianNanos}: long enough that the clock's granularity does not matter. */
    static final int BATCH_SIZE = 200;

    /** Untimed calls of {@link #medianNanos} at the least: enough for the JIT to compile the model's predict. */
    static final int MIN_WARM_UP_CALLS = 20_000;

    /** Keeps results observable so the JIT cannot drop the calls being timed. */
    private static volatile double sink;

    /**
     * Times {@code call}.
     *
     * @param rows inputs, cycled in order; at least one
     * @param warmUpBatches untimed batches first (at least 0)
     * @param batches timed batches (at least 1)
     * @param callsPerBatch calls per batch (at least 1); long enough that the clock's granularity does not matter
     */
    public static PredictionLatency measure(ToDoubleFunction<double[]> call, double[][] rows, int warmUpBatches, int batches,
            int callsPerBatch) {
        if (rows.length == 0 || warmUpBatches < 0 || batches < 1 || callsPerBatch < 1) {
            throw new IllegalArgumentException("need rows, warm-up batches >= 0, batches >= 1 and calls per batch >= 1");
        }
        double[] nanosPerCall = new double[batches];
        double accumulated = 0;
        int next = 0;
        for (int batch = -warmUpBatches; batch < batches; batch++) {
            long start = System.nanoTime();
            for (int i = 0; i < callsPerBatch; i++) {
                accumulated += call.applyAsDouble(rows[next]);
                next = next + 1 == rows.length ? 0 : next + 1;
            }
            long elapsed = System.nanoTime() - start;
            if (batch >= 0) {
                nanosPerCall[batch] = (double) elapsed / callsPerBatch;
            }
        }
        sink = accumulated;
        Arrays.sort(nanosPerCall);
        int middle = batches / 2;
        double median = batches % 2 == 1 ? nanosPerCall[middle] : (nanosPerCall[middle - 1] + nanosPerCall[middle]) / 2;
        return new PredictionLatency(median, nanosPerCall[0], nanosPerCall[batches - 1], batches, callsPerBatch);
    }

    /**
     * Median nanoseconds per single-row {@link Model#predict}.
     *
     * @param rows inputs cycled through in order, each in the model's feature order; at least one
     * @param iterations timed calls in total (rounded up to whole batches of {@value #BATCH_SIZE}); as many
     *     untimed calls, and at least {@value #MIN_WARM_UP_CALLS}, come first as warm-up
     */
    public static double medianNanos(Model model, double[][] rows, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("need at least one iteration");
        }
        int batches = Math.ceilDiv(iterations, BATCH_SIZE);
        int warmUpBatches = Math.max(batches, Math.ceilDiv(MIN_WARM_UP_CALLS, BATCH_SIZE));
        return measure(model::predict, rows, warmUpBatches, batches, BATCH_SIZE).medianNanos();
    }
}
