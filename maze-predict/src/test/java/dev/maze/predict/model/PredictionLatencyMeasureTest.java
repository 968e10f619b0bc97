package dev.maze.predict.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionLatencyMeasureTest {

    @Test
    void callsTheFunctionForEveryWarmUpAndTimedCallCyclingTheRowsInOrder() {
        double[][] rows = {{0}, {1}, {2}};
        List<Double> seen = new ArrayList<>();
        PredictionLatency latency = PredictionLatency.measure(row -> {
            seen.add(row[0]);
            return row[0];
        }, rows, 2, 3, 5);
        assertThat(seen).hasSize((2 + 3) * 5);
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).isEqualTo(i % 3);
        }
        assertThat(latency.batches()).isEqualTo(3);
        assertThat(latency.callsPerBatch()).isEqualTo(5);
        assertThat(latency.medianNanos()).isPositive().isBetween(latency.minNanos(), latency.maxNanos());
    }

    @Test
    void aSlowerFunctionMeasuresSlower() {
        double[][] rows = {{1, 2, 3}};
        PredictionLatency fast = PredictionLatency.measure(row -> row[0], rows, 5, 11, 1_000);
        PredictionLatency slow = PredictionLatency.measure(row -> {
            long end = System.nanoTime() + 20_000;
            double x = 0;
            while (System.nanoTime() < end) {
                x += row[1];
            }
            return x;
        }, rows, 1, 11, 20);
        assertThat(slow.medianNanos()).isGreaterThanOrEqualTo(20_000).isGreaterThan(fast.medianNanos() * 10);
    }

    @Test
    void refusesNoRowsAndNoBatches() {
        assertThatThrownBy(() -> PredictionLatency.measure(row -> 0, new double[0][], 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PredictionLatency.measure(row -> 0, new double[][] {{0}}, 0, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
