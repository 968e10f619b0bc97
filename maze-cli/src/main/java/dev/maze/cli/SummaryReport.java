package dev.maze.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.engine.TaskState;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.metrics.RunSummary;
import java.io.PrintWriter;

/** The end-of-run summary: a table for people, JSON for programs. */
final class SummaryReport {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private SummaryReport() {}

    /**
     * {@code {"workflows": [{"id", "name", "status", "latencySeconds", "submittedAt", "finishedAt"}], "completed",
     * "failed", "cancelled",
     * "latencyP50", "latencyP95", "latencyP99", "throughputPerMin", "gpuBusyPercent"}}; NaN values become null.
     */
    static String json(RunSummary summary) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode workflows = root.putArray("workflows");
        for (WorkflowSnapshot workflow : summary.workflows()) {
            ObjectNode entry = workflows.addObject();
            entry.put("id", workflow.id());
            entry.put("name", workflow.name());
            entry.put("status", workflow.state().name());
            putNumber(entry, "latencySeconds", workflow.latencySeconds() == null ? Double.NaN : workflow.latencySeconds());
            putNumber(entry, "submittedAt", workflow.submittedAt());
            putNumber(entry, "finishedAt", workflow.finishedAt() == null ? Double.NaN : workflow.finishedAt());
            if (workflow.error() != null) {
                entry.put("error", workflow.error());
            }
        }
        root.put("completed", summary.completed());
        root.put("failed", summary.failed());
        root.put("cancelled", summary.cancelled());
        putNumber(root, "latencyMean", summary.latencyMean());
        putNumber(root, "latencyP50", summary.latencyP50());
        putNumber(root, "latencyP95", summary.latencyP95());
        putNumber(root, "latencyP99", summary.latencyP99());
        putNumber(root, "makespanSeconds", summary.makespanSeconds());
        putNumber(root, "throughputPerMin", summary.throughputPerMin());
        putNumber(root, "gpuBusyPercent", summary.gpuBusyPercent());
        return root.toPrettyString();
    }

    private static void putNumber(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, Math.round(value * 1000) / 1000.0);
        } else {
            node.putNull(field);
        }
    }

    /** A table with one row per workflow, then the totals. */
    static void table(RunSummary summary, String scheduler, PrintWriter out) {
        out.println();
        out.println(String.format("%-28s %-22s %-10s %9s %7s  %s", "WORKFLOW", "NAME", "STATUS", "LATENCY", "TASKS", "NOTE"));
        for (WorkflowSnapshot workflow : summary.workflows()) {
            long done = workflow.tasks().stream().filter(t -> t.state() == TaskState.FINISHED).count();
            // Ids and names are the user's text: padded by the columns they take, not by UTF-16 units (DisplayWidth).
            out.println((DisplayWidth.padRight(workflow.id(), 28) + " " + DisplayWidth.padRight(workflow.name(), 22) + " "
                    + String.format("%-10s %9s %7s  %s", workflow.state(),
                    workflow.latencySeconds() == null ? "-" : String.format("%.1f s", workflow.latencySeconds()),
                    done + "/" + workflow.tasks().size(), workflow.error() == null ? "" : oneLine(workflow.error())))
                    .stripTrailing());
        }
        out.println();
        int count = summary.workflows().size();
        out.println(String.format("%d workflow%s: %d finished, %d failed, %d cancelled  |  %s", count,
                count == 1 ? "" : "s", summary.completed(), summary.failed(), summary.cancelled(), scheduler));
        out.println(String.format("latency (finished): mean %s, p50 %s, p95 %s, p99 %s  |  makespan %s  |  %s workflows/min  |  GPU busy %s",
                seconds(summary.latencyMean()), seconds(summary.latencyP50()), seconds(summary.latencyP95()),
                seconds(summary.latencyP99()), seconds(summary.makespanSeconds()), number(summary.throughputPerMin()),
                Double.isFinite(summary.gpuBusyPercent()) ? String.format("%.0f%%", summary.gpuBusyPercent()) : "n/a (no GPUs)"));
    }

    private static String oneLine(String text) {
        String flat = DisplayWidth.printable(text.replaceAll("\\s+", " "));
        return DisplayWidth.of(flat) > 110 ? DisplayWidth.truncate(flat, 108) + ".." : flat;
    }

    private static String seconds(double value) {
        return Double.isFinite(value) ? String.format("%.1f s", value) : "-";
    }

    private static String number(double value) {
        return Double.isFinite(value) ? String.format("%.1f", value) : "-";
    }
}
