package dev.maze.cli;

import dev.maze.core.sim.Curve;
import dev.maze.core.sim.Estimate;
import dev.maze.core.sim.ProfileSummary;
import dev.maze.core.sim.SimulationMetrics.PhaseMetric;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    private Charts() {}

    /** Latency CDF, one line per profile: x latency in seconds, y the fraction of finished workflows. */
    static byte[] latencyCdf(Map<String, Curve> cdfs, String title) throws IOException {
        XYChart chart = xyChart(title, "latency (s)", "fraction of finished workflows");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.00");
        cdfs.forEach((profile, cdf) -> {
            if (cdf.size() > 0) {
                XYSeries series = chart.addSeries(profile, cdf.x(), cdf.y());
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
                series.setMarker(SeriesMarkers.NONE);
            }
        });
        return png(chart);
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
                List<Double> minutes = curve.x().stream().map(seconds -> seconds / 60).toList();
                XYSeries series = chart.addSeries(profile, minutes, curve.y());
                // Each value is the mean over [x, x + step): steps, not a line between samples.
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
                series.setMarker(SeriesMarkers.NONE);
            }
        });
        return png(chart);
    }

    private static XYChart xyChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisDecimalPattern("0.##");
        return chart;
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
