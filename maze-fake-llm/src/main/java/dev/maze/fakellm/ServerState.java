package dev.maze.fakellm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** What the endpoints of one server share: its configuration, models, residency, fault draws and counters. */
final class ServerState implements AutoCloseable {

    final FakeLlmConfig config;
    final LatencyModel latency;
    final Map<String, ServedModel> models = new LinkedHashMap<>();
    final Residency residency;
    final DisconnectWatcher watcher = new DisconnectWatcher();
    final ObjectMapper json = JsonMapper.builder().build();
    /** When the server started, in seconds since the epoch: the {@code created} of its models. */
    final long startedSeconds = System.currentTimeMillis() / 1000;

    private final SplittableRandom faultDraws;
    private final Map<FaultKind, LongAdder> faults = new EnumMap<>(FaultKind.class);
    private final LongAdder requests = new LongAdder();
    private final LongAdder disconnects = new LongAdder();
    private final AtomicLong ids = new AtomicLong();

    ServerState(FakeLlmConfig config) {
        this.config = config;
        this.latency = LatencyModel.of(config);
        for (String model : config.models()) {
            models.put(model, new ServedModel(model, config.maxConcurrency()));
        }
        this.residency = new Residency(config.models(), config.onDemand(), config.maxResident(),
                latency.loadNanos(config.loadSeconds()));
        this.faultDraws = new SplittableRandom(config.seed());
        for (FaultKind kind : FaultKind.values()) {
            faults.put(kind, new LongAdder());
        }
    }

    /**
     * The served model named {@code name}.
     *
     * @throws ApiError 404 when it is not served
     */
    ServedModel model(String name) {
        ServedModel model = models.get(name);
        if (model == null) {
            throw ApiError.unknownModel(name, models.keySet());
        }
        return model;
    }

    /**
     * Counts an accepted request for {@code model} and draws its fault, in arrival order from the seeded generator.
     */
    synchronized Optional<FaultKind> accept(ServedModel model) {
        requests.increment();
        model.requests.increment();
        Optional<FaultKind> fault = config.faults().faultFor(faultDraws.nextDouble());
        fault.ifPresent(kind -> faults.get(kind).increment());
        return fault;
    }

    void disconnected(ServedModel model) {
        disconnects.increment();
        model.disconnects.increment();
    }

    /** A new completion id, unique within this server's life. */
    String nextId(String prefix) {
        return prefix + Long.toHexString(CompletionText.seedOf(config.seed(), "id", ids.incrementAndGet()) & Long.MAX_VALUE);
    }

    FakeLlmStats stats() {
        Map<String, FakeLlmStats.ModelStats> perModel = new LinkedHashMap<>();
        for (ServedModel model : models.values()) {
            Residency.Snapshot residencyNow = residency.snapshot(model.name);
            perModel.put(model.name, new FakeLlmStats.ModelStats(model.requests.sum(), model.served.sum(),
                    model.running(), model.maxRunning(), model.waiting(), residencyNow.loads(),
                    residencyNow.evictions(), residencyNow.resident(), model.disconnects.sum()));
        }
        Map<String, Long> faultCounts = new LinkedHashMap<>();
        faults.forEach((kind, count) -> faultCounts.put(kind.flagName(), count.sum()));
        return new FakeLlmStats(requests.sum(), perModel, faultCounts, disconnects.sum());
    }

    @Override
    public void close() {
        watcher.close();
        residency.close();
    }

    /**
     * A request ended early: the client went away (the watch interrupted its thread, or a write failed), which is
     * counted; or the server is closing, which is answered with a 503 when nothing was sent yet.
     */
    void endedEarly(Context ctx, ServedModel model, DisconnectWatcher.Watch watch, Exception cause) {
        if (watch.disconnected() || cause instanceof java.io.IOException) {
            if (!watch.disconnected()) {
                watch.markDisconnected();
            }
            disconnected(model);
        } else if (!ctx.res().isCommitted()) {
            Bodies.error(ctx, new ApiError(503, "server_error", null, "shutting_down", "The server is shutting down."));
        }
    }

    /** The part of a request that runs once it is admitted: it holds a slot of its model, which is loaded. */
    @FunctionalInterface
    interface AdmittedWork {
        void run(DisconnectWatcher.Watch watch) throws InterruptedException, IOException;
    }

    /**
     * One request's path through the server, the same for every endpoint: the fault drawn for it is answered at once,
     * or held ({@code hang}), or the request waits for its model's slot and load and then runs {@code work}; the client
     * is watched throughout, and a request it leaves is counted and freed. With {@code unloadAfter} the model is
     * unloaded when the request ends and no other uses it.
     *
     * @return true when {@code work} ran to its end
     */
    boolean serve(Context ctx, ServedModel model, Optional<FaultKind> fault, boolean unloadAfter, AdmittedWork work)
            throws IOException {
        if (Faults.answeredAtOnce(this, ctx, fault)) {
            return false;
        }
        DisconnectWatcher.Watch watch = watcher.watch(ctx);
        try {
            if (fault.isPresent() && fault.get() == FaultKind.HANG) {
                Faults.hang(this, model, watch);
                return false;
            }
            residency.pin(model.name);
            try {
                ServedModel.Admission admission = model.enter(residency);
                try {
                    admission.writeHeaders(ctx);
                    work.run(watch);
                    return true;
                } finally {
                    model.leave();
                }
            } finally {
                residency.unpin(model.name, unloadAfter);
            }
        } catch (InterruptedException | IOException e) {
            endedEarly(ctx, model, watch, e);
            return false;
        } finally {
            watch.close();
        }
    }
}
