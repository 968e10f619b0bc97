package dev.maze.cli;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * How long one call of a function of a feature row takes: a model's {@code predict}, or a whole prediction path.
 * A quick in-process estimate for benchmark commands, not a JMH harness: untimed warm-up batches let the JIT compile
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
record CallLatency(double medianNanos, double minNanos, double maxNanos, int batches, int callsPerBatch) {

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
    static CallLatency measure(ToDoubleFunction<double[]> call, double[][] rows, int warmUpBatches, int batches,
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
        return new CallLatency(median, nanosPerCall[0], nanosPerCall[batches - 1], batches, callsPerBatch);
    }
}
