package dev.maze.server.api;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EngineStats;
import dev.maze.core.engine.NodeUsage;
import dev.maze.core.engine.StateEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server's meters for {@code GET /metrics} (Prometheus text through Micrometer; maze-server/README.md, "Metrics").
 * Latencies, rates and the predictor's error come from the stored events as they pass (on the engine loop, so each
 * step is a map update and a meter record); queue lengths, utilisation, resident models and model loads are read from
 * the engine when a scrape asks.
 */
final class ServerMetrics {

    /** Prometheus' text format, version 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Engine engine;
    private volatile EngineStats stats;
    private final MultiGauge nodeUtilisation;
    private final MultiGauge nodeRunning;
    private final MultiGauge gpuTasks;
    private final MultiGauge residentModels;

    private final Timer taskRun;
    private final Timer taskWait;
    private final Counter dispatched;
    private final Counter finished;
    private final Counter failed;
    private final Counter lost;
    private final DistributionSummary predictorError;
    private final Map<String, Timer> workflowLatency = new HashMap<>();
    /** Per active workflow: when each task became ready and what was predicted, when each attempt started. */
    private final Map<String, Times> times = new HashMap<>();

    private static final class Times {
        final double submittedAt;
        final Map<String, double[]> ready = new HashMap<>(); // task -> {readyAt, predictedSeconds}
        final Map<Long, double[]> started = new HashMap<>(); // attempt -> {startedAt, predictedSeconds}

        Times(double submittedAt) {
            this.submittedAt = submittedAt;
        }

        /** A workflow restored from the journal: accepted before this server started. */
        static Times unknown(String workflowId) {
            return new Times(Double.NaN);
        }
    }

    ServerMetrics(Engine engine, EventHub events) {
        this.engine = engine;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        Gauge.builder("maze.tasks.ready", this, m -> m.stats().readyTasks())
                .description("Tasks in the ready queue, waiting for a node").register(registry);
        Gauge.builder("maze.workflows.active", this, m -> m.stats().activeWorkflows())
                .description("Workflows accepted and not ended").register(registry);
        Gauge.builder("maze.gpus", this, m -> m.stats().gpus()).description("GPUs in the cluster").register(registry);
        FunctionCounter.builder("maze.gpu.busy", this, m -> m.stats().gpuBusySeconds()).baseUnit("seconds")
                .description("GPU-seconds during which a GPU ran a task (rate / maze_gpus = GPU utilisation)")
                .register(registry);
        FunctionCounter.builder("maze.model.loads", this, m -> m.stats().modelLoads())
                .description("Models loaded onto GPUs").register(registry);
        FunctionCounter.builder("maze.model.load", this, m -> m.stats().modelLoadSeconds()).baseUnit("seconds")
                .description("GPU-seconds spent loading models").register(registry);
        FunctionCounter.builder("maze.scheduling.passes", this, m -> m.stats().schedulingPasses())
                .description("Times the scheduling stage ran").register(registry);
        nodeUtilisation = MultiGauge.builder("maze.node.utilisation")
                .description("Share of a node's capacity in use, mean over cores, memory and GPU memory, 0..1")
                .register(registry);
        nodeRunning = MultiGauge.builder("maze.node.tasks.running")
                .description("Attempts (or model calls) running on a node").register(registry);
        gpuTasks = MultiGauge.builder("maze.gpu.tasks.running").description("Attempts running on a GPU")
                .register(registry);
        residentModels = MultiGauge.builder("maze.gpu.model.resident")
                .description("1 for each model resident on a GPU").register(registry);
        taskRun = latency("maze.task.run", "Run time of successful attempts, start to finish");
        taskWait = latency("maze.task.wait", "Time from ready to started: the queueing delay of each attempt");
        dispatched = Counter.builder("maze.tasks.dispatched").description("Attempts started (rate = dispatch rate)")
                .register(registry);
        finished = Counter.builder("maze.tasks.finished").description("Tasks finished").register(registry);
        failed = Counter.builder("maze.attempts.failed").description("Attempts that failed (retried or not)")
                .register(registry);
        lost = Counter.builder("maze.attempts.lost").description("Attempts lost with their node or a restart")
                .register(registry);
        predictorError = DistributionSummary.builder("maze.predictor.error.ratio")
                .description("|predicted - actual| / actual run time of each successful attempt")
                .serviceLevelObjectives(0.05, 0.1, 0.2, 0.5, 1, 2, 5).register(registry);
        events.observe(this::record);
    }

    private Timer latency(String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(2)).register(registry);
    }

    private EngineStats stats() {
        return stats;
    }

    /** Called with each stored batch on the engine loop. */
    private void record(List<StateEvent> batch) {
        for (StateEvent event : batch) {
            switch (event) {
                case StateEvent.WorkflowAccepted accepted -> times.put(accepted.workflowId(), new Times(accepted.atSeconds()));
                case StateEvent.TaskReady ready -> times.computeIfAbsent(ready.workflowId(), Times::unknown).ready
                        .put(ready.taskId(), new double[] {ready.atSeconds(), ready.predictedSeconds()});
                case StateEvent.TaskStarted started -> {
                    dispatched.increment();
                    Times workflow = times.computeIfAbsent(started.workflowId(), Times::unknown);
                    double[] ready = workflow.ready.remove(started.taskId());
                    if (ready != null) {
                        taskWait.record(seconds(started.atSeconds() - ready[0]));
                    }
                    workflow.started.put(started.attemptId(), new double[] {started.atSeconds(),
                            ready == null ? Double.NaN : ready[1]});
                }
                case StateEvent.TaskFinished done -> {
                    finished.increment();
                    Times workflow = times.get(done.workflowId());
                    double[] started = workflow == null ? null : workflow.started.remove(done.attemptId());
                    if (started != null) {
                        double actual = done.atSeconds() - started[0];
                        taskRun.record(seconds(actual));
                        if (actual > 0 && !Double.isNaN(started[1])) {
                            predictorError.record(Math.abs(started[1] - actual) / actual);
                        }
                    }
                }
                case StateEvent.AttemptFailed attempt -> {
                    failed.increment();
                    forget(attempt.workflowId(), attempt.attemptId());
                }
                case StateEvent.AttemptLost attempt -> {
                    lost.increment();
                    forget(attempt.workflowId(), attempt.attemptId());
                }
                case StateEvent.WorkflowEnded ended -> {
                    Times workflow = times.remove(ended.workflowId());
                    if (workflow != null && !Double.isNaN(workflow.submittedAt)) {
                        workflowLatency.computeIfAbsent(ended.state().name(), state -> Timer.builder(
                                "maze.workflow.latency").description("Submission to end of each workflow")
                                .tag("state", state).publishPercentileHistogram()
                                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(24))
                                .register(registry)).record(seconds(ended.atSeconds() - workflow.submittedAt));
                    }
                }
                default -> { }
            }
        }
    }

    private void forget(String workflowId, long attemptId) {
        Times workflow = times.get(workflowId);
        if (workflow != null) {
            workflow.started.remove(attemptId);
        }
    }

    private static Duration seconds(double seconds) {
        return Duration.ofNanos((long) (Math.max(0, seconds) * 1e9));
    }

    /** The meters as Prometheus text, the engine's figures read now. */
    String scrape() throws Exception {
        stats = engine.stats().get(10, TimeUnit.SECONDS);
        List<NodeUsage> usage = engine.nodeUsage().get(10, TimeUnit.SECONDS);
        List<MultiGauge.Row<?>> utilisation = new ArrayList<>();
        List<MultiGauge.Row<?>> running = new ArrayList<>();
        List<MultiGauge.Row<?>> gpus = new ArrayList<>();
        List<MultiGauge.Row<?>> resident = new ArrayList<>();
        for (NodeUsage node : usage) {
            Tags tags = Tags.of("node", node.id());
            utilisation.add(MultiGauge.Row.of(tags, node.utilisation()));
            running.add(MultiGauge.Row.of(tags, node.runningTasks()));
            for (NodeUsage.Gpu gpu : node.gpus()) {
                Tags gpuTags = tags.and("gpu", String.valueOf(gpu.index()));
                gpus.add(MultiGauge.Row.of(gpuTags, gpu.tasks()));
                gpu.residentModels().forEach(model -> resident.add(MultiGauge.Row.of(gpuTags.and("model", model), 1)));
            }
        }
        nodeUtilisation.register(utilisation, true);
        nodeRunning.register(running, true);
        gpuTasks.register(gpus, true);
        residentModels.register(resident, true);
        return registry.scrape();
    }
}
