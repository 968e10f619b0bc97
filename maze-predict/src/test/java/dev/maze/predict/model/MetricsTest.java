package dev.maze.predict.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.maze.predict.data.Dataset;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final double[] ACTUAL = {2, 4, 6, 8};
    private static final double[] PREDICTED = {3, 4, 5, 10};

    @Test
    void maeIsTheMeanAbsoluteError() {
        // |2-3| + |4-4| + |6-5| + |8-10| = 4, over 4 rows
        assertThat(Metrics.mae(ACTUAL, PREDICTED)).isEqualTo(1.0);
    }

    @Test
    void mapeIsAFractionOverRowsWithANonZeroActualValue() {
        // (1/2 + 0/4 + 1/6 + 2/8) / 4 = 0.2291666...
        assertThat(Metrics.mape(ACTUAL, PREDICTED)).isCloseTo(0.22916666666666666, within(1e-15));
        assertThat(Metrics.mape(new double[] {0, 10}, new double[] {5, 12})).isCloseTo(0.2, within(1e-15));
        assertThat(Metrics.mape(new double[] {0, 1e-10}, new double[] {5, 12})).isNaN();
    }

    @Test
    void r2ComparesResidualsWithTheSpreadAroundTheMean() {
        // mean 5: SS_tot = 9 + 1 + 1 + 9 = 20; SS_res = 1 + 0 + 1 + 4 = 6; 1 - 6/20 = 0.7
        assertThat(Metrics.r2(ACTUAL, PREDICTED)).isCloseTo(0.7, within(1e-15));
        assertThat(Metrics.r2(ACTUAL, ACTUAL)).isEqualTo(1.0);
        assertThat(Metrics.r2(ACTUAL, new double[] {5, 5, 5, 5})).isEqualTo(0.0);
        assertThat(Metrics.r2(ACTUAL, new double[] {8, 6, 4, 2})).isCloseTo(-3.0, within(1e-15));
    }

    @Test
    void r2OfConstantActualValuesIsOneWhenExactAndZeroOtherwise() {
        assertThat(Metrics.r2(new double[] {3, 3}, new double[] {3, 3})).isEqualTo(1.0);
        assertThat(Metrics.r2(new double[] {3, 3}, new double[] {3, 4})).isEqualTo(0.0);
    }

    @Test
    void mismatchedOrEmptyInputsAreRejected() {
        assertThatThrownBy(() -> Metrics.mae(new double[] {1}, new double[] {1, 2}))
                .hasMessage("1 actual values but 2 predictions");
        assertThatThrownBy(() -> Metrics.r2(new double[0], new double[0])).hasMessage("no values to compare");
    }

    @Test
    void evaluateScoresAModelOnADataSetWithTheSameFeatures() {
        Model doubling = new Model() {
            @Override
            public String kind() {
                return "test";
            }

            @Override
            public List<String> features() {
                return List.of("x");
            }

            @Override
            public double predict(double[] row) {
                return 2 * row[0];
            }

            @Override
            public byte[] toBytes() {
                return new byte[0];
            }
        };
        Dataset data = Dataset.of(List.of("x"), new double[][] {{1}, {2}, {3}, {4}}, ACTUAL);
        Dataset other = Dataset.of(List.of("y"), new double[][] {{1}}, new double[] {1});

        assertThat(Metrics.evaluate(doubling, data)).isEqualTo(new Metrics.Evaluation(0, 0, 1));
        assertThatThrownBy(() -> Metrics.evaluate(doubling, other)).hasMessageContaining("differ");
    }
}
