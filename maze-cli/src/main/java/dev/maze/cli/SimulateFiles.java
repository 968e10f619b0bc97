package dev.maze.cli;

import dev.maze.core.sim.Curve;
import dev.maze.core.sim.Estimate;
import dev.maze.core.sim.ProfileSummary;
import dev.maze.core.sim.ProfileSummary.PhaseSummary;
import dev.maze.core.sim.SimulationMetrics;
import dev.maze.core.sim.SimulationMetrics.Metric;
import dev.maze.core.sim.SimulationMetrics.PhaseMetric;
import dev.maze.core.sim.SimulationMetrics.PhaseMetrics;
import dev.maze.core.sim.SimulationResult;
import dev.maze.core.sim.SimulationResult.WorkflowRecord;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code simulate --out DIR} writes:
 * <ul>
 *   <li>{@code workflows.csv}: every workflow of every run (profile, seed, id, type, phase, state, submission, end,
 *       latency), written as the runs go so that many seeds need no memory;
 *   <li>{@code runs.csv}: one row per run with every figure and the per-phase P95 and completed counts;
 *   <li>{@code summary.csv} and {@code summary.json}: one row / object per profile (the {@code --json} output:
 *       means, 95% half-widths, paired ratios to daps);
 *   <li>PNG charts ({@link Charts}): latency CDF per profile (all seeds pooled), P95 per phase per profile (mean
 *       over seeds, with the 95% interval as error bars), GPU utilisation and ready-queue length over time (the
 *       first seed of each profile).
 * </ul>
 */
final class SimulateFiles implements AutoCloseable {

    private final Path dir;
    private final double sampleSeconds;
    private final BufferedWriter workflows;
    private final Map<String, PooledLatencies> latencies = new LinkedHashMap<>();
    /** The grid step each charted run was sampled on (coarser than asked for a very long run). */
    private final Map<String, Double> steps = new LinkedHashMap<>();
    private final Map<String, Curve> gpuUtilisation = new LinkedHashMap<>();
    private final Map<String, Curve> queueLength = new LinkedHashMap<>();
    private final Map<String, Long> firstSeeds = new LinkedHashMap<>();
    private final List<String> written = new ArrayList<>();

    SimulateFiles(Path dir, double sampleSeconds) {
        this.dir = dir;
        this.sampleSeconds = sampleSeconds;
        try {
            workflows = Files.newBufferedWriter(dir.resolve("workflows.csv"), StandardCharsets.UTF_8);
            workflows.write("profile,seed,workflow,type,phase,state,submittedAt,finishedAt,latencySeconds\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("workflows.csv") + ": " + e.getMessage(), e);
        }
        written.add("workflows.csv");
    }

    /** Records one run; {@code firstSeed} marks the run whose time series are charted. */
    void add(SimulationResult result, boolean firstSeed) {
        try {
            for (WorkflowRecord workflow : result.workflows()) {
                workflows.write(csv(result.profile(), result.seed(), workflow.id(), workflow.type(),
                        workflow.phase() + 1, workflow.state(), number(workflow.submittedAt()),
                        number(workflow.finishedAt()), number(workflow.latencySeconds())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("workflows.csv") + ": " + e.getMessage(), e);
        }
        latencies.computeIfAbsent(result.profile(), p -> new PooledLatencies())
                .add(SimulationMetrics.finishedLatencies(result.workflows()));
        if (firstSeed) {
            firstSeeds.put(result.profile(), result.seed());
            steps.put(result.profile(), SimulationMetrics.gridStep(result.endSeconds(), sampleSeconds));
            gpuUtilisation.put(result.profile(), SimulationMetrics.gpuUtilisation(result, sampleSeconds));
            queueLength.put(result.profile(), SimulationMetrics.readyQueueLength(result, sampleSeconds));
        }
    }

    /** Writes the summaries and the charts. */
    void finish(List<ProfileSummary> summaries) {
        try {
            workflows.flush();
            write("runs.csv", runsCsv(summaries));
            write("summary.csv", summaryCsv(summaries));
            write("summary.json", SimulateReport.json(summaries) + "\n");

            Map<String, Curve> cdfs = new LinkedHashMap<>();
            latencies.forEach((profile, pooled) -> cdfs.put(profile, pooled.cdf()));
            int seedCount = summaries.get(0).seeds().size();
            String pooled = seedCount == 1 ? "seed " + summaries.get(0).seeds().get(0) : seedCount + " seeds pooled";
            String first = "seed " + firstSeeds.values().iterator().next();
            writeChart("latency-cdf.png", Charts.latencyCdf(cdfs, "Workflow latency CDF (" + pooled + ")"));
            writeChart("phase-p95.png", Charts.phaseP95(summaries, "P95 latency by submission phase"
                    + (seedCount == 1 ? " (" + pooled + ")" : " (mean and 95% interval over " + seedCount + " seeds)")));
            writeChart("gpu-utilisation.png", Charts.overTime(gpuUtilisation,
                    "GPU utilisation (" + first + ", mean per " + grid() + ")", "GPUs busy %"));
            writeChart("queue-length.png", Charts.overTime(queueLength,
                    "Ready-queue length (" + first + ", mean per " + grid() + ")", "tasks READY"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write into " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * "10 s"; or, when a run was too long for that grid (more than {@link SimulationMetrics#MAX_CURVE_POINTS} points
     * a line), the step or range of steps used and why: "20000 s (asked 10 s; at most 10,000 points a line)".
     */
    private String grid() {
        double smallest = steps.values().stream().mapToDouble(Double::doubleValue).min().orElse(sampleSeconds);
        double largest = steps.values().stream().mapToDouble(Double::doubleValue).max().orElse(sampleSeconds);
        if (largest == sampleSeconds) {
            return number(sampleSeconds) + " s";
        }
        return (smallest == largest ? number(largest) : number(smallest) + "-" + number(largest)) + " s (asked "
                + number(sampleSeconds) + String.format(Locale.ROOT, " s; at most %,d points a line)",
                SimulationMetrics.MAX_CURVE_POINTS);
    }

    /** The grid step the charts of {@code profile}'s first seed were sampled on, or NaN when none was charted. */
    double gridStep(String profile) {
        return steps.getOrDefault(profile, Double.NaN);
    }

    /** Names of the files written, in order. */
    List<String> written() {
        return List.copyOf(written);
    }

    @Override
    public void close() {
        try {
            workflows.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("workflows.csv") + ": " + e.getMessage(), e);
        }
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
        written.add(name);
    }

    private void writeChart(String name, byte[] png) throws IOException {
        Files.write(dir.resolve(name), png);
        written.add(name);
    }

    /** One row per run: profile, seed, every figure, then per phase its P95 and completed count. */
    static String runsCsv(List<ProfileSummary> summaries) {
        StringBuilder text = new StringBuilder();
        List<Object> header = new ArrayList<>(List.of("profile", "seed"));
        Arrays.stream(Metric.values()).map(Metric::key).forEach(header::add);
        int phases = summaries.get(0).phases().size();
        for (int i = 1; i <= phases; i++) {
            header.add("phase" + i + "LatencyP95");
            header.add("phase" + i + "Completed");
        }
        text.append(csv(header.toArray()));
        for (ProfileSummary summary : summaries) {
            for (SimulationMetrics run : summary.runs()) {
                List<Object> row = new ArrayList<>(List.of(run.profile(), run.seed()));
                for (Metric metric : Metric.values()) {
                    row.add(number(metric.of(run)));
                }
                for (PhaseMetrics phase : run.phases()) {
                    row.add(number(phase.latencyP95()));
                    row.add(phase.completed());
                }
                text.append(csv(row.toArray()));
            }
        }
        return text.toString();
    }

    /**
     * One row per profile: for each figure its mean and 95% half-width ({@code KeyCi95}), for the paired ones the
     * ratio to daps and its half-width; per phase the same for P95 and completed.
     */
    static String summaryCsv(List<ProfileSummary> summaries) {
        String ratio = "RatioTo" + SimulateCommand.BASELINE.substring(0, 1).toUpperCase(Locale.ROOT)
                + SimulateCommand.BASELINE.substring(1);
        List<Object> header = new ArrayList<>(List.of("profile", "runs"));
        for (Metric metric : Metric.values()) {
            header.addAll(List.of(metric.key(), metric.key() + "Ci95"));
            if (metric.pairedWithBaseline()) {
                header.addAll(List.of(metric.key() + ratio, metric.key() + ratio + "Ci95"));
            }
        }
        int phases = summaries.get(0).phases().size();
        for (int i = 1; i <= phases; i++) {
            String prefix = "phase" + i;
            header.addAll(List.of(prefix + "Completed", prefix + "CompletedCi95", prefix + "LatencyP95",
                    prefix + "LatencyP95Ci95", prefix + "LatencyP95" + ratio, prefix + "LatencyP95" + ratio + "Ci95"));
        }
        StringBuilder text = new StringBuilder(csv(header.toArray()));
        for (ProfileSummary summary : summaries) {
            List<Object> row = new ArrayList<>(List.of(summary.profile(), summary.seeds().size()));
            for (Metric metric : Metric.values()) {
                estimate(row, summary.get(metric));
                if (metric.pairedWithBaseline()) {
                    estimate(row, summary.ratiosToBaseline().get(metric));
                }
            }
            for (PhaseSummary phase : summary.phases()) {
                estimate(row, phase.metrics().get(PhaseMetric.COMPLETED));
                estimate(row, phase.metrics().get(PhaseMetric.LATENCY_P95));
                estimate(row, phase.ratiosToBaseline().get(PhaseMetric.LATENCY_P95));
            }
            text.append(csv(row.toArray()));
        }
        return text.toString();
    }

    private static void estimate(List<Object> row, Estimate estimate) {
        row.add(estimate == null ? "" : number(estimate.mean()));
        row.add(estimate == null ? "" : number(estimate.halfWidth()));
    }

    /** A number as CSV text: empty when it does not exist; no exponent, no grouping. */
    static String number(double value) {
        if (!Double.isFinite(value)) {
            return "";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        // Ten significant digits, and no digits below 1e-9 (floating-point noise such as a 1e-16 interval).
        return new java.math.BigDecimal(value).round(new java.math.MathContext(10))
                .setScale(9, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    /** One CSV line (RFC 4180: a field with a comma, quote or line break is quoted). */
    static String csv(Object... fields) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            String field = String.valueOf(fields[i]);
            if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
                field = '"' + field.replace("\"", "\"\"") + '"';
            }
            line.append(field);
        }
        return line.append('\n').toString();
    }
}
