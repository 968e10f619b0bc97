package dev.maze.core.metrics;

import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import java.util.Arrays;
import java.util.List;

/**
 * What a run achieved: counts, latency percentiles of the workflows that finished, throughput and GPU use.
 * Latency is submission to the end of the last task. Percentiles interpolate linearly between order
 * statistics (the common "type 7" definition, as numpy's default); NaN when no workflow finished.
 *
 * @param workflows every workflow of the run, terminal
 * @param completed FINISHED workflows
 * @param failed FAILED workflows
 * @param cancelled CANCELLED workflows
 * @param makespanSeconds first submission to last completion
 * @param throughputPerMin completed workflows per minute of makespan
 * @param gpuBusyPercent share of GPU time (all GPUs over the makespan) during which a GPU ran a task; NaN without GPUs
 */
public record RunSummary(List<WorkflowSnapshot> workflows, int completed, int failed, int cancelled,
        double latencyMean, double latencyP50, double latencyP95, double latencyP99, double makespanSeconds,
        double throughputPerMin, double gpuBusyPercent) {

    /** Summarises terminal workflows; {@code gpuBusySeconds} and {@code gpus} come from the engine's stats. */
    public static RunSummary of(List<WorkflowSnapshot> workflows, double gpuBusySeconds, int gpus) {
        int completed = count(workflows, WorkflowState.FINISHED);
        double[] latencies = workflows.stream()
                .filter(w -> w.state() == WorkflowState.FINISHED)
                .mapToDouble(WorkflowSnapshot::latencySeconds)
                .sorted()
                .toArray();
        double start = workflows.stream().mapToDouble(WorkflowSnapshot::submittedAt).min().orElse(0);
        double end = workflows.stream().filter(w -> w.finishedAt() != null)
                .mapToDouble(WorkflowSnapshot::finishedAt).max().orElse(start);
        double makespan = end - start;
        return new RunSummary(List.copyOf(workflows), completed, count(workflows, WorkflowState.FAILED),
                count(workflows, WorkflowState.CANCELLED),
                latencies.length == 0 ? Double.NaN : Arrays.stream(latencies).average().orElseThrow(),
                percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99), makespan,
                makespan > 0 ? completed / (makespan / 60) : Double.NaN,
                gpus > 0 && makespan > 0 ? 100 * gpuBusySeconds / (gpus * makespan) : Double.NaN);
    }

    /** The {@code p}-th percentile (0..100) of sorted values, interpolating linearly; NaN if empty. */
    public static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double rank = p / 100 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }

    private static int count(List<WorkflowSnapshot> workflows, WorkflowState state) {
        return (int) workflows.stream().filter(w -> w.state() == state).count();
    }
}
