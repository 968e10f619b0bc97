package dev.maze.cli;

import dev.maze.core.sim.Curve;
import dev.maze.core.sim.Estimate;
import dev.maze.core.sim.ProfileSummary;
import dev.maze.core.sim.SimulationMetrics.PhaseMetric;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.knowm.xchart.internal.chartpart.Chart;

/** The PNG charts of {@code simulate --out}, drawn with XChart (no display needed). */
final class Charts {

    static {
        // Charts are drawn off-screen; without this, AWT looks for a display and fails on a server or in CI.
        System.setProperty("java.awt.headless", "true");
    }

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;

    /**
     * Line styles cycled through with the colours: profiles that behave alike (daps and fcfs when nothing queues)
     * draw identical lines, and only a different dash shows that the one underneath is there.
     */
    private static final BasicStroke[] LINES = {
        new BasicStroke(2f),
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 6f}, 0f),
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {2f, 4f}, 0f)
    };

    private Charts() {}

    /** Latency CDF, one line per profile: x latency in seconds, y the fraction of finished workflows. */
    static byte[] latencyCdf(Map<String, Curve> cdfs, String title) throws IOException {
        XYChart chart = xyChart(title, "latency (s)", "fraction of finished workflows");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.0");
        cdfs.forEach((profile, cdf) -> {
            if (cdf.size() > 0) {
                line(chart, profile, cdf.x(), cdf.y());
            }
        });
        return png(niceTicks(chart));
    }

    /** Mean P95 latency per submission phase, a bar per profile, with the 95% interval as error bars. */
    static byte[] phaseP95(List<ProfileSummary> summaries, String title) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("submission phase").yAxisTitle("P95 latency (s)").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setErrorBarsColor(Color.DARK_GRAY);
        chart.getStyler().setYAxisMin(0.0);
        List<String> phases = summaries.get(0).phases().stream().map(ProfileSummary.PhaseSummary::name).toList();
        for (ProfileSummary summary : summaries) {
            List<Double> means = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            for (ProfileSummary.PhaseSummary phase : summary.phases()) {
                Estimate p95 = phase.metrics().get(PhaseMetric.LATENCY_P95);
                // A phase without finished workflows has no P95: a zero bar, not a missing one, keeps bars aligned.
                means.add(Double.isFinite(p95.mean()) ? p95.mean() : 0.0);
                errors.add(Double.isFinite(p95.halfWidth()) ? p95.halfWidth() : 0.0);
            }
            chart.addSeries(summary.profile(), phases, means, errors);
        }
        return png(chart);
    }

    /** A value over virtual time, one line per profile; x in minutes. */
    static byte[] overTime(Map<String, Curve> curves, String title, String yTitle) throws IOException {
        XYChart chart = xyChart(title, "virtual time (min)", yTitle);
        chart.getStyler().setYAxisMin(0.0);
        curves.forEach((profile, curve) -> {
            if (curve.size() > 0) {
                // Each value is the mean over [x, x + step): steps, not a line between samples.
                line(chart, profile, curve.x().stream().map(seconds -> seconds / 60).toList(), curve.y());
            }
        });
        return png(niceTicks(chart));
    }

    /** A step line without markers, its dash chosen by its position among the chart's series. */
    private static void line(XYChart chart, String name, List<Double> x, List<Double> y) {
        BasicStroke stroke = LINES[chart.getSeriesMap().size() % LINES.length];
        XYSeries series = chart.addSeries(name, x, y);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineStyle(stroke);
    }

    private static XYChart xyChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisDecimalPattern("0.##");
        return chart;
    }

    /**
     * XChart 3.8 puts a tick at every data value when the distinct values of an axis (with its minimum and maximum)
     * are equally spaced (knowm/XChart#731): a time series on a 10 s grid, or a CDF's i/n, gets hundreds of
     * crammed labels. An axis minimum half a step below the data breaks the spacing, and XChart falls back to
     * round ticks; the plot moves by half a step at most.
     */
    static XYChart niceTicks(XYChart chart) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        chart.getSeriesMap().values().forEach(series -> {
            Arrays.stream(series.getXData()).forEach(xs::add);
            Arrays.stream(series.getYData()).forEach(ys::add);
        });
        double xStep = equalStep(xs, chart.getStyler().getXAxisMin(), chart.getStyler().getXAxisMax());
        if (xStep > 0) {
            chart.getStyler().setXAxisMin(xs.stream().mapToDouble(Double::doubleValue).min().orElse(0) - xStep / 2);
        }
        Double yMin = chart.getStyler().getYAxisMin();
        double yStep = equalStep(ys, yMin, chart.getStyler().getYAxisMax());
        if (yStep > 0) {
            double dataMin = ys.stream().mapToDouble(Double::doubleValue).min().orElse(0);
            chart.getStyler().setYAxisMin((yMin == null ? dataMin : Math.min(yMin, dataMin)) - yStep / 2);
        }
        return chart;
    }

    /** The common gap when XChart would see {@code values} as equally spaced (its own test), else 0. */
    private static double equalStep(List<Double> values, Double axisMin, Double axisMax) {
        if (values.isEmpty()) {
            return 0;
        }
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        Set<Double> distinct = new LinkedHashSet<>();
        distinct.add(axisMin != null ? Math.min(axisMin, min) : min);
        distinct.addAll(values);
        distinct.add(axisMax != null ? Math.max(axisMax, max) : max);
        List<Double> ordered = new ArrayList<>(distinct);
        if (ordered.size() < 3) {
            return 0;
        }
        double step = ordered.get(1) - ordered.get(0);
        for (int i = 2; i < ordered.size(); i++) {
            if (Math.abs(ordered.get(i) - ordered.get(i - 1) - step) >= 1e-4) {
                return 0;
            }
        }
        return Math.abs(step);
    }

    private static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setLegendBorderColor(Color.LIGHT_GRAY);
        styler.setAntiAlias(true);
    }

    private static byte[] png(Chart<?, ?> chart) throws IOException {
        return BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG);
    }
}
