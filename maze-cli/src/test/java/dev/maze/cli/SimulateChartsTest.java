package dev.maze.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** The charts' axis workaround: XChart labels every value of an equally spaced axis unless its spacing is broken. */
class SimulateChartsTest {

    @Test
    void anEquallySpacedAxisStartsHalfAStepBelowItsData() {
        XYChart chart = new XYChartBuilder().build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        chart.addSeries("cdf", List.of(10.0, 20.0, 35.0, 70.0), List.of(0.25, 0.5, 0.75, 1.0));
        Charts.niceTicks(chart);
        // x (10, 20, 35, 70) is irregular: left alone. y (0, .25, .5, .75, 1) is equally spaced: moved by .125.
        assertThat(chart.getStyler().getXAxisMin()).isNull();
        assertThat(chart.getStyler().getYAxisMin()).isEqualTo(-0.125);
    }

    @Test
    void aTimeGridGetsRoundTicks() {
        XYChart chart = new XYChartBuilder().build();
        chart.addSeries("gpu", List.of(0.0, 10.0, 20.0, 30.0), List.of(50.0, 75.0, 0.0, 12.5));
        chart.addSeries("gpu-2", List.of(0.0, 10.0, 20.0, 30.0, 40.0), List.of(50.0, 70.0, 0.0, 12.5, 3.0));
        Charts.niceTicks(chart);
        assertThat(chart.getStyler().getXAxisMin()).isEqualTo(-5.0);
        assertThat(chart.getStyler().getYAxisMin()).isNull();
    }
}
