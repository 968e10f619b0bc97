package dev.maze.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.sim.Estimate;
import dev.maze.core.sim.ProfileSummary;
import dev.maze.core.sim.ProfileSummary.PhaseSummary;
import dev.maze.core.sim.SimulationMetrics.Metric;
import dev.maze.core.sim.SimulationMetrics.PhaseMetric;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison of scheduler profiles: a table for people (a row per figure, a column per profile), JSON for
 * programs. With several seeds, figures are means; a table cell shows {@code mean ± half-width} of the 95% interval
 * and the JSON gives the half-widths under {@code ci95}.
 */
final class SimulateReport {

    /** Plain decimals ({@code 0.0007}, not {@code 7.0E-4}): people read this JSON too. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    /** Figures of the main table, in order; the phases follow the latencies. */
    private static final List<Metric> HEAD = List.of(Metric.SUBMITTED, Metric.COMPLETED, Metric.THROUGHPUT_PER_MIN,
            Metric.LATENCY_MEAN, Metric.LATENCY_P50, Metric.LATENCY_P95, Metric.LATENCY_P99);
    private static final List<Metric> TAIL = List.of(Metric.GPU_BUSY_PERCENT, Metric.MODEL_LOAD_SHARE_PERCENT,
            Metric.MODEL_LOADS, Metric.GPU_MEMORY_PERCENT, Metric.QUEUEING_MEAN_SECONDS, Metric.QUEUEING_P95_SECONDS,
            Metric.PREDICTION_ERROR_PERCENT,
            Metric.SCHEDULING_PASSES_PER_SECOND, Metric.SIMULATED_TASKS_PER_SECOND, Metric.WALL_SECONDS);

    /** "±" where stdout can encode it (a UTF-8 terminal), "+-" elsewhere (a C locale), never a "?". */
    private static final String PLUS_MINUS = OutputEncoding.choose(" \u00b1 ", " +- ");

    private SimulateReport() {}

    /**
     * A JSON array, one object per profile: {@code policy}, {@code seeds}, every {@link Metric} by its key (means
     * over the seeds), {@code phases} (in phase order: {@code name} and every {@link PhaseMetric}); with several
     * seeds {@code ci95} (half-widths of the 95% intervals, by key); where the baseline ran, {@code ratioToDaps}
     * (mean per-seed paired ratios) and with several seeds {@code ratioToDapsCi95}. Figures that do not exist are
     * null.
     */
    static String json(List<ProfileSummary> summaries) {
        return toJson(summaries).toPrettyString();
    }

    static ArrayNode toJson(List<ProfileSummary> summaries) {
        ArrayNode array = JSON.createArrayNode();
        for (ProfileSummary summary : summaries) {
            boolean several = summary.seeds().size() > 1;
            ObjectNode profile = array.addObject();
            profile.put("policy", summary.profile());
            ArrayNode seeds = profile.putArray("seeds");
            summary.seeds().forEach(seeds::add);
            for (Metric metric : Metric.values()) {
                put(profile, metric.key(), summary.get(metric).mean(), metric.decimals() == 0 && !several);
            }
            ArrayNode phases = profile.putArray("phases");
            for (PhaseSummary phase : summary.phases()) {
                ObjectNode entry = phases.addObject();
                entry.put("name", phase.name());
                for (PhaseMetric metric : PhaseMetric.values()) {
                    put(entry, metric.key(), phase.metrics().get(metric).mean(), metric.decimals() == 0 && !several);
                }
                extras(entry, phase.metrics(), phase.ratiosToBaseline(), several);
            }
            extras(profile, summary.metrics(), summary.ratiosToBaseline(), several);
        }
        return array;
    }

    /** {@code ci95}, {@code ratioToDaps} and {@code ratioToDapsCi95}, where they exist. */
    private static <K extends Enum<K>> void extras(ObjectNode node, Map<K, Estimate> metrics, Map<K, Estimate> ratios,
            boolean several) {
        if (several) {
            ObjectNode ci = node.putObject("ci95");
            metrics.forEach((metric, estimate) -> put(ci, key(metric), estimate.halfWidth(), false));
        }
        if (!ratios.isEmpty()) {
            ObjectNode ratio = node.putObject("ratioTo" + capitalised(SimulateCommand.BASELINE));
            ratios.forEach((metric, estimate) -> put(ratio, key(metric), estimate.mean(), false));
            if (several) {
                ObjectNode ci = node.putObject("ratioTo" + capitalised(SimulateCommand.BASELINE) + "Ci95");
                ratios.forEach((metric, estimate) -> put(ci, key(metric), estimate.halfWidth(), false));
            }
        }
    }

    private static String key(Enum<?> metric) {
        return metric instanceof Metric m ? m.key() : ((PhaseMetric) metric).key();
    }

    private static void put(ObjectNode node, String field, double value, boolean integral) {
        if (!Double.isFinite(value)) {
            node.putNull(field);
        } else if (integral) {
            node.put(field, Math.round(value));
        } else {
            node.put(field, round(value));
        }
    }

    /** Four decimals for small numbers (ratios, shares), three otherwise. */
    private static java.math.BigDecimal round(double value) {
        int decimals = Math.abs(value) < 10 ? 4 : 3;
        java.math.BigDecimal rounded = java.math.BigDecimal.valueOf(value)
                .setScale(decimals, java.math.RoundingMode.HALF_EVEN).stripTrailingZeros();
        return rounded.scale() < 1 ? rounded.setScale(1) : rounded;
    }

    private static String capitalised(String word) {
        return word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
    }

    /** The table: one column per profile, one row per figure, then the paired ratios to the baseline. */
    static void table(String workload, String seedRange, List<ProfileSummary> summaries, PrintWriter out) {
        boolean several = summaries.stream().anyMatch(s -> s.seeds().size() > 1);
        List<String> header = new ArrayList<>();
        header.add("");
        summaries.forEach(s -> header.add(s.profile()));
        List<List<String>> rows = new ArrayList<>();
        rows.add(header);
        for (Metric metric : HEAD) {
            rows.add(row(metric.label(), summaries, s -> s.get(metric), metric.decimals(), several));
        }
        int phaseCount = summaries.get(0).phases().size();
        for (int i = 0; i < phaseCount; i++) {
            int phase = i;
            String name = summaries.get(0).phases().get(i).name();
            rows.add(row(name + ": P95 s", summaries,
                    s -> s.phases().get(phase).metrics().get(PhaseMetric.LATENCY_P95), 1, several));
            rows.add(row(name + ": completed", summaries,
                    s -> s.phases().get(phase).metrics().get(PhaseMetric.COMPLETED), 0, several));
        }
        for (Metric metric : TAIL) {
            rows.add(row(metric.label(), summaries, s -> s.get(metric), metric.decimals(), several));
        }

        boolean ratios = summaries.stream().anyMatch(s -> !s.ratiosToBaseline().isEmpty());
        int ratioStart = rows.size();
        if (ratios) {
            rows.add(List.of("ratio to " + SimulateCommand.BASELINE + ", paired by seed"));
            for (Metric metric : Metric.values()) {
                if (metric.pairedWithBaseline()) {
                    rows.add(ratioRow(metric.label(), summaries, s -> s.ratiosToBaseline().get(metric), several));
                }
            }
            for (int i = 0; i < phaseCount; i++) {
                int phase = i;
                rows.add(ratioRow(summaries.get(0).phases().get(i).name() + ": P95 s", summaries,
                        s -> s.phases().get(phase).ratiosToBaseline().get(PhaseMetric.LATENCY_P95), several));
            }
        }

        int[] widths = new int[header.size()];
        for (List<String> row : rows) {
            if (row.size() == 1) {
                continue; // a section title spans the columns
            }
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], DisplayWidth.of(row.get(i))); // phase and profile names are the user's
            }
        }
        out.println();
        out.println("maze simulate: workload " + workload + ", " + seedRange
                + (several ? "; cells are mean" + PLUS_MINUS + "half-width of the 95% interval over seeds" : ""));
        out.println();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (r == ratioStart) {
                out.println();
            }
            if (row.size() == 1) {
                out.println(row.get(0) + " (< 1: lower than " + SimulateCommand.BASELINE + ")");
                continue;
            }
            StringBuilder line = new StringBuilder(DisplayWidth.padRight(row.get(0), widths[0]));
            for (int i = 1; i < row.size(); i++) {
                line.append("  ").append(DisplayWidth.padLeft(row.get(i), widths[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static List<String> row(String label, List<ProfileSummary> summaries,
            java.util.function.Function<ProfileSummary, Estimate> estimate, int decimals, boolean several) {
        List<String> row = new ArrayList<>();
        row.add(label);
        for (ProfileSummary summary : summaries) {
            row.add(cell(estimate.apply(summary), several && decimals == 0 ? 1 : decimals));
        }
        return row;
    }

    private static List<String> ratioRow(String label, List<ProfileSummary> summaries,
            java.util.function.Function<ProfileSummary, Estimate> estimate, boolean several) {
        List<String> row = new ArrayList<>();
        row.add(label.replaceAll(" (s|%|/min)$", ""));
        for (ProfileSummary summary : summaries) {
            if (summary.profile().equals(SimulateCommand.BASELINE)) {
                row.add("(baseline)");
            } else {
                Estimate value = summary.ratiosToBaseline().isEmpty() ? null : estimate.apply(summary);
                row.add(value == null ? "-" : cell(value, 3));
            }
        }
        return row;
    }

    /** {@code 606.2}, or {@code 606.2 ± 12.3} when there is an interval; {@code -} when the figure does not exist. */
    static String cell(Estimate estimate, int decimals) {
        if (!Double.isFinite(estimate.mean())) {
            return "-";
        }
        String format = "%,." + decimals + "f";
        String mean = String.format(Locale.ROOT, format, estimate.mean());
        return Double.isFinite(estimate.halfWidth())
                ? mean + PLUS_MINUS + String.format(Locale.ROOT, format, estimate.halfWidth())
                : mean;
    }
}
