package dev.maze.core.sim;

import dev.maze.core.engine.WorkflowState;
import dev.maze.core.metrics.RunSummary;
import dev.maze.core.sim.SimulationResult.TaskRecord;
import dev.maze.core.sim.SimulationResult.WorkflowRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The figures of one simulation run (one profile, one seed), derived from its {@link SimulationResult}.
 *
 * <p>Definitions: the <em>span</em> runs from the first submission to {@link SimulationResult#endSeconds()} (the
 * last workflow's end). Latencies are over FINISHED workflows only (a workflow that failed fast would flatter
 * them); percentiles interpolate linearly between order statistics ({@link RunSummary#percentile}). Phases group
 * workflows by the phase they were <em>submitted</em> in. A figure that does not exist (no finished workflow, no
 * GPU, a zero span or wall time) is NaN.
 *
 * @param profile scheduler profile
 * @param seed the run's seed
 * @param submitted workflows submitted
 * @param completed workflows FINISHED
 * @param spanSeconds first submission to the last end, virtual seconds
 * @param throughputPerMin completed workflows per minute of span
 * @param latencyMean mean latency of finished workflows, seconds
 * @param phases one entry per arrival phase, in phase order
 * @param gpuBusyPercent GPU-seconds busy (model loads included) over GPUs × span, 0..100
 * @param modelLoadSharePercent share of the busy GPU-seconds spent loading models, 0..100
 * @param modelLoads models loaded onto a GPU
 * @param gpuMemoryPercent mean GPU memory in use (running tasks and resident models) over the cluster's GPU memory
 * @param queueingMeanSeconds mean time a task waited READY before it started (startedAt − readyAt)
 * @param queueingP95Seconds 95th percentile of the same
 * @param tasks task records (tasks that started)
 * @param schedulingPasses times the engine ran its scheduling stage
 * @param schedulingPassesPerSecond scheduling passes per second of wall time
 * @param simulatedTasksPerSecond tasks simulated per second of wall time
 * @param wallSeconds real time the simulation took
 */
public record SimulationMetrics(
        String profile,
        long seed,
        int submitted,
        int completed,
        double spanSeconds,
        double throughputPerMin,
        double latencyMean,
        double latencyP50,
        double latencyP95,
        double latencyP99,
        List<PhaseMetrics> phases,
        double gpuBusyPercent,
        double modelLoadSharePercent,
        long modelLoads,
        double gpuMemoryPercent,
        double queueingMeanSeconds,
        double queueingP95Seconds,
        double predictionErrorPercent,
        long tasks,
        long schedulingPasses,
        double schedulingPassesPerSecond,
        double simulatedTasksPerSecond,
        double wallSeconds) {

    public SimulationMetrics {
        phases = List.copyOf(phases);
    }

    /**
     * The workflows submitted in one phase.
     *
     * @param name the phase's label
     * @param submitted workflows submitted in it
     * @param completed of those, FINISHED
     * @param latencyMean of those that finished, seconds (NaN if none)
     */
    public record PhaseMetrics(String name, int submitted, int completed, double latencyMean, double latencyP50,
            double latencyP95) {}

    /** Computes the figures of {@code result}. */
    public static SimulationMetrics of(SimulationResult result) {
        List<WorkflowRecord> workflows = result.workflows();
        double[] latencies = finishedLatencies(workflows);
        double span = spanSeconds(result);
        int completed = latencies.length;

        List<Phase> phaseSpecs = result.phases();
        List<List<WorkflowRecord>> byPhase = new ArrayList<>();
        phaseSpecs.forEach(phase -> byPhase.add(new ArrayList<>()));
        for (WorkflowRecord workflow : workflows) {
            if (workflow.phase() < 0 || workflow.phase() >= phaseSpecs.size()) {
                throw new IllegalArgumentException("workflow '" + workflow.id() + "' names phase " + workflow.phase()
                        + " but the result has " + phaseSpecs.size() + " phases");
            }
            byPhase.get(workflow.phase()).add(workflow);
        }
        List<PhaseMetrics> phases = new ArrayList<>();
        for (int i = 0; i < phaseSpecs.size(); i++) {
            double[] phaseLatencies = finishedLatencies(byPhase.get(i));
            phases.add(new PhaseMetrics(phaseSpecs.get(i).name(), byPhase.get(i).size(), phaseLatencies.length,
                    mean(phaseLatencies), RunSummary.percentile(phaseLatencies, 50),
                    RunSummary.percentile(phaseLatencies, 95)));
        }

        double[] queueing = result.tasks().stream().mapToDouble(TaskRecord::queueingSeconds).sorted().toArray();
        double wall = result.wallSeconds();
        return new SimulationMetrics(
                result.profile(),
                result.seed(),
                workflows.size(),
                completed,
                span,
                ratio(completed, span / 60),
                mean(latencies),
                RunSummary.percentile(latencies, 50),
                RunSummary.percentile(latencies, 95),
                RunSummary.percentile(latencies, 99),
                phases,
                100 * ratio(result.gpuBusySeconds(), result.gpus() * span),
                100 * ratio(result.modelLoadSeconds(), result.gpuBusySeconds()),
                result.modelLoads(),
                100 * ratio(result.gpuMemoryGbSeconds(), result.gpuMemoryGb() * span),
                mean(queueing),
                RunSummary.percentile(queueing, 95),
                predictionErrorPercent(result.tasks()),
                result.tasks().size(),
                result.schedulingPasses(),
                ratio(result.schedulingPasses(), wall),
                ratio(result.tasks().size(), wall),
                wall);
    }

    /**
     * How far the scheduler's run-time predictions were from the truth, over the finished tasks: the weighted
     * absolute percentage error {@code 100 * sum |predicted - actual| / sum actual}, actual being the run time without
     * the model load. Weighted, because the plain mean of percentages is ruled by millisecond I/O steps.
     */
    static double predictionErrorPercent(List<TaskRecord> tasks) {
        double error = 0;
        double actual = 0;
        for (TaskRecord task : tasks) {
            double run = task.runSeconds();
            if (Double.isFinite(run) && Double.isFinite(task.predictedSeconds())) {
                error += Math.abs(task.predictedSeconds() - run);
                actual += run;
            }
        }
        return actual > 0 ? 100 * error / actual : Double.NaN;
    }

    /** First submission to {@link SimulationResult#endSeconds()}; 0 without workflows. */
    public static double spanSeconds(SimulationResult result) {
        if (result.workflows().isEmpty()) {
            return 0;
        }
        double first = result.workflows().stream().mapToDouble(WorkflowRecord::submittedAt).min().orElseThrow();
        return Math.max(0, result.endSeconds() - first);
    }

    /** Latencies of the FINISHED workflows, sorted ascending. */
    public static double[] finishedLatencies(List<WorkflowRecord> workflows) {
        return workflows.stream()
                .filter(w -> w.state() == WorkflowState.FINISHED)
                .mapToDouble(WorkflowRecord::latencySeconds)
                .sorted()
                .toArray();
    }

    /**
     * The most points a curve has. A run is sampled on a grid over its whole length, and a run may last up to
     * {@link dev.maze.core.clock.Clock#MAX_DURATION_SECONDS} (10^7 points of 10 s, for two charts of every profile):
     * a longer run gets a coarser grid ({@link #gridStep}), a larger CDF fewer points. A chart is about 1,000 pixels
     * wide, so nothing visible is lost.
     */
    public static final int MAX_CURVE_POINTS = 10_000;

    /**
     * The grid step of the curves over time of a run that ends at {@code endSeconds}: {@code stepSeconds}, or, when
     * that would take more than {@link #MAX_CURVE_POINTS} points, the smallest whole multiple of it that does not.
     *
     * @throws IllegalArgumentException when {@code stepSeconds} is not above 0
     */
    public static double gridStep(double endSeconds, double stepSeconds) {
        if (!(stepSeconds > 0) || Double.isInfinite(stepSeconds)) {
            throw new IllegalArgumentException("step must be > 0 seconds, was " + stepSeconds);
        }
        double bins = Double.isFinite(endSeconds) && endSeconds > 0 ? Math.ceil(endSeconds / stepSeconds) : 0;
        return bins <= MAX_CURVE_POINTS ? stepSeconds : stepSeconds * Math.ceil(bins / MAX_CURVE_POINTS);
    }

    /**
     * GPU utilisation over time, percent, on the grid {@link #gridStep}{@code (end, stepSeconds)}: the time-weighted
     * mean over each step {@code [x, x + step)} of GPU tasks
     * running ({@code [startedAt, finishedAt)}, model loads included) per GPU, from virtual time 0 to the end of
     * the run. Each GPU task counts as one GPU (the records do not say more); a bin is capped at 100% so that
     * requests sharing one model-server replica do not count as more GPUs than there are. Empty without GPUs.
     */
    public static Curve gpuUtilisation(SimulationResult result, double stepSeconds) {
        if (result.gpus() <= 0) {
            return new Curve(List.of(), List.of());
        }
        double step = gridStep(result.endSeconds(), stepSeconds);
        double[] busy = integrate(result.tasks().stream().filter(t -> "gpu".equals(t.resourceClass())).toList(),
                TaskRecord::startedAt, TaskRecord::finishedAt, result.endSeconds(), step);
        for (int i = 0; i < busy.length; i++) {
            busy[i] = Math.min(100, 100 * busy[i] / result.gpus());
        }
        return grid(busy, step);
    }

    /**
     * Ready-queue length over time, on the grid {@link #gridStep}{@code (end, stepSeconds)}: the time-weighted mean
     * over each step {@code [x, x + step)} of tasks READY and not yet started ({@code [readyAt, startedAt)}), from
     * virtual time 0 to the end of the run.
     */
    public static Curve readyQueueLength(SimulationResult result, double stepSeconds) {
        double step = gridStep(result.endSeconds(), stepSeconds);
        return grid(integrate(result.tasks(), TaskRecord::readyAt, TaskRecord::startedAt, result.endSeconds(), step),
                step);
    }

    /**
     * The empirical distribution function of {@code sortedLatencies}: x the latencies in order, y the fraction of
     * workflows at or below each ({@code (i + 1) / n}); of more than {@link #MAX_CURVE_POINTS} latencies, that many
     * points of it, evenly spaced in y (each still exact).
     */
    public static Curve latencyCdf(double[] sortedLatencies) {
        int n = sortedLatencies.length;
        int points = Math.min(n, MAX_CURVE_POINTS);
        List<Double> x = new ArrayList<>(points);
        List<Double> y = new ArrayList<>(points);
        for (int i = 0; i < points; i++) {
            int index = points == n ? i : (int) Math.ceil((i + 1) * (double) n / points) - 1;
            x.add(sortedLatencies[index]);
            y.add((index + 1) / (double) n);
        }
        return new Curve(x, y);
    }

    /** Sum over items of the overlap of {@code [from, to)} with each bin, divided by the bin width. */
    private static double[] integrate(List<TaskRecord> tasks, ToDoubleFunction<TaskRecord> from,
            ToDoubleFunction<TaskRecord> to, double endSeconds, double stepSeconds) {
        if (!(stepSeconds > 0)) {
            throw new IllegalArgumentException("step must be > 0 seconds, was " + stepSeconds);
        }
        int bins = Double.isFinite(endSeconds) && endSeconds > 0 ? (int) Math.ceil(endSeconds / stepSeconds) : 0;
        double[] values = new double[bins];
        for (TaskRecord task : tasks) {
            double start = Math.max(0, from.applyAsDouble(task));
            double end = Math.min(bins * stepSeconds, to.applyAsDouble(task));
            if (!(end > start)) {
                continue;
            }
            int first = (int) Math.floor(start / stepSeconds);
            int last = Math.min(bins - 1, (int) Math.floor(end / stepSeconds));
            for (int bin = first; bin <= last; bin++) {
                double overlap = Math.min(end, (bin + 1) * stepSeconds) - Math.max(start, bin * stepSeconds);
                if (overlap > 0) {
                    values[bin] += overlap / stepSeconds;
                }
            }
        }
        return values;
    }

    private static Curve grid(double[] values, double stepSeconds) {
        List<Double> x = new ArrayList<>(values.length);
        List<Double> y = new ArrayList<>(values.length);
        for (int i = 0; i < values.length; i++) {
            x.add(i * stepSeconds);
            y.add(values[i]);
        }
        return new Curve(x, y);
    }

    private static double mean(double[] values) {
        return values.length == 0 ? Double.NaN : Arrays.stream(values).average().orElseThrow();
    }

    private static double ratio(double numerator, double denominator) {
        return denominator > 0 ? numerator / denominator : Double.NaN;
    }

    /**
     * The scalar figures by name, so that statistics, tables and files treat them alike.
     * {@link #pairedWithBaseline()} marks those compared to the baseline profile seed by seed.
     */
    public enum Metric {
        SUBMITTED("submitted", "workflows submitted", 0, false, SimulationMetrics::submitted),
        COMPLETED("completed", "workflows completed", 0, false, SimulationMetrics::completed),
        THROUGHPUT_PER_MIN("throughputPerMin", "throughput /min", 2, true, SimulationMetrics::throughputPerMin),
        LATENCY_MEAN("latencyMean", "latency mean s", 1, true, SimulationMetrics::latencyMean),
        LATENCY_P50("latencyP50", "latency P50 s", 1, true, SimulationMetrics::latencyP50),
        LATENCY_P95("latencyP95", "latency P95 s", 1, true, SimulationMetrics::latencyP95),
        LATENCY_P99("latencyP99", "latency P99 s", 1, true, SimulationMetrics::latencyP99),
        GPU_BUSY_PERCENT("gpuBusyPercent", "GPU busy %", 1, true, SimulationMetrics::gpuBusyPercent),
        MODEL_LOAD_SHARE_PERCENT("modelLoadSharePercent", "  of it loading models %", 1, false,
                SimulationMetrics::modelLoadSharePercent),
        MODEL_LOADS("modelLoads", "model loads", 0, true, SimulationMetrics::modelLoads),
        GPU_MEMORY_PERCENT("gpuMemoryPercent", "GPU memory %", 1, false, SimulationMetrics::gpuMemoryPercent),
        QUEUEING_MEAN_SECONDS("queueingMeanSeconds", "task queueing mean s", 2, true,
                SimulationMetrics::queueingMeanSeconds),
        QUEUEING_P95_SECONDS("queueingP95Seconds", "task queueing P95 s", 2, false,
                SimulationMetrics::queueingP95Seconds),
        PREDICTION_ERROR_PERCENT("predictionErrorPercent", "run-time prediction error %", 1, true,
                SimulationMetrics::predictionErrorPercent),
        SCHEDULING_PASSES_PER_SECOND("schedulingPassesPerSecond", "scheduling passes /s wall", 0, false,
                SimulationMetrics::schedulingPassesPerSecond),
        SIMULATED_TASKS_PER_SECOND("simulatedTasksPerSecond", "simulated tasks /s wall", 0, false,
                SimulationMetrics::simulatedTasksPerSecond),
        WALL_SECONDS("wallSeconds", "wall time s", 3, false, SimulationMetrics::wallSeconds);

        private final String key;
        private final String label;
        private final int decimals;
        private final boolean pairedWithBaseline;
        private final ToDoubleFunction<SimulationMetrics> value;

        Metric(String key, String label, int decimals, boolean pairedWithBaseline,
                ToDoubleFunction<SimulationMetrics> value) {
            this.key = key;
            this.label = label;
            this.decimals = decimals;
            this.pairedWithBaseline = pairedWithBaseline;
            this.value = value;
        }

        /** camelCase name for JSON and CSV. */
        public String key() {
            return key;
        }

        /** Short label with its unit, for tables. */
        public String label() {
            return label;
        }

        /** Decimals worth showing for one run in a table (0 for counts). */
        public int decimals() {
            return decimals;
        }

        /** Whether a paired ratio to the baseline profile is reported. */
        public boolean pairedWithBaseline() {
            return pairedWithBaseline;
        }

        /** This figure of {@code metrics}. */
        public double of(SimulationMetrics metrics) {
            return value.applyAsDouble(metrics);
        }
    }

    /** The per-phase figures by name. */
    public enum PhaseMetric {
        SUBMITTED("submitted", "submitted", 0, false, PhaseMetrics::submitted),
        COMPLETED("completed", "completed", 0, false, PhaseMetrics::completed),
        LATENCY_MEAN("latencyMean", "latency mean s", 1, true, PhaseMetrics::latencyMean),
        LATENCY_P50("latencyP50", "latency P50 s", 1, true, PhaseMetrics::latencyP50),
        LATENCY_P95("latencyP95", "latency P95 s", 1, true, PhaseMetrics::latencyP95);

        private final String key;
        private final String label;
        private final int decimals;
        private final boolean pairedWithBaseline;
        private final ToDoubleFunction<PhaseMetrics> value;

        PhaseMetric(String key, String label, int decimals, boolean pairedWithBaseline,
                ToDoubleFunction<PhaseMetrics> value) {
            this.key = key;
            this.label = label;
            this.decimals = decimals;
            this.pairedWithBaseline = pairedWithBaseline;
            this.value = value;
        }

        public String key() {
            return key;
        }

        public String label() {
            return label;
        }

        public int decimals() {
            return decimals;
        }

        public boolean pairedWithBaseline() {
            return pairedWithBaseline;
        }

        public double of(PhaseMetrics metrics) {
            return value.applyAsDouble(metrics);
        }
    }
}
