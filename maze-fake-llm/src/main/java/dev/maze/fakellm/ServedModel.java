package dev.maze.fakellm;

import io.javalin.http.Context;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One served model's batch: at most {@code maxConcurrency} requests run at once, the others wait first come, first
 * served (a fair semaphore); and its counters.
 */
final class ServedModel {

    final String name;
    private final Semaphore slots;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    final LongAdder requests = new LongAdder();
    final LongAdder served = new LongAdder();
    final LongAdder disconnects = new LongAdder();

    ServedModel(String name, int maxConcurrency) {
        this.name = name;
        this.slots = new Semaphore(maxConcurrency, true);
    }

    /**
     * How a request got into the batch.
     *
     * @param loadNanos waited for the model to be loaded (0 when it was)
     * @param queueNanos then waited for a slot
     */
    record Admission(long loadNanos, long queueNanos) {
        /** The server's own timings, for the client: {@code x-fake-llm-load-ms} and {@code x-fake-llm-queue-ms}. */
        void writeHeaders(Context ctx) {
            ctx.header("x-fake-llm-load-ms", ChatEndpoint.millis(loadNanos));
            ctx.header("x-fake-llm-queue-ms", ChatEndpoint.millis(queueNanos));
        }
    }

    /**
     * Waits until the model is loaded (the caller has pinned it), then for a slot in the batch.
     * Counted as waiting meanwhile.
     */
    Admission enter(Residency residency) throws InterruptedException {
        waiting.incrementAndGet();
        long loaded;
        long start = System.nanoTime();
        try {
            residency.awaitResident(name);
            loaded = System.nanoTime();
            slots.acquire();
        } finally {
            waiting.decrementAndGet();
        }
        int now = running.incrementAndGet();
        maxRunning.accumulateAndGet(now, Math::max);
        return new Admission(loaded - start, System.nanoTime() - loaded);
    }

    /** Leaves the batch (after {@link #enter} returned). */
    void leave() {
        running.decrementAndGet();
        slots.release();
    }

    /** Requests running now. */
    int running() {
        return running.get();
    }

    int maxRunning() {
        return maxRunning.get();
    }

    int waiting() {
        return waiting.get();
    }
}
