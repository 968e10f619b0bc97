package dev.maze.predict.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PredictionLatencyTest {
    @Test
    void measuresAPositiveTimePerPrediction() throws Exception {
        Model model = TrainedModels.of(RegressorKind.LINEAR);

        double nanos = PredictionLatency.medianNanos(model, TrainedModels.UNSEEN.rows(), 1000);

        assertThat(nanos).isPositive().isFinite();
        assertThatThrownBy(() -> PredictionLatency.medianNanos(model, new double[0][], 10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
