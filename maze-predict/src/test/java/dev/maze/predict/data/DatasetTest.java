package dev.maze.predict.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetTest {
    private static Dataset withTargets(double... targets) {
        double[][] rows = new double[targets.length][];
        for (int i = 0; i < targets.length; i++) {
            rows[i] = new double[] {i};
        }
        return Dataset.of(List.of("index"), rows, targets);
    }

    @Test
    void shapesAndValuesAreCheckedOnConstruction() {
        assertThatThrownBy(() -> Dataset.of(List.of("a", "b"), new double[][] {{1}}, new double[] {1}))
                .hasMessage("row 0 has 1 values for 2 features [a, b]");
        assertThatThrownBy(() -> Dataset.of(List.of("a"), new double[][] {{1}}, new double[] {1, 2}))
                .hasMessageContaining("1 rows but 2 targets");
        assertThatThrownBy(() -> Dataset.of(List.of("a"), new double[][] {{1}}, new double[] {-1}))
                .hasMessageContaining("execution time must be a finite number of seconds >= 0");
        assertThatThrownBy(() -> Dataset.of(List.of("a", "a"), new double[][] {}, new double[] {}))
                .hasMessageContaining("distinct");
        assertThatThrownBy(() -> Dataset.of(List.of("exec_time"), new double[][] {}, new double[] {}))
                .hasMessageContaining("target column");
        assertThatThrownBy(() -> Dataset.of(List.of("a"), new double[][] {{Double.POSITIVE_INFINITY}}, new double[] {1}))
                .hasMessageContaining("infinite");
    }

    @Test
    void callersCannotChangeADataSetThroughArraysTheyPassOrReceive() {
        double[][] rows = {{1, 2}};
        double[] targets = {3};
        Dataset data = Dataset.of(List.of("a", "b"), rows, targets);

        rows[0][0] = 99;
        targets[0] = 99;
        data.row(0)[1] = 99;
        data.rows()[0][1] = 99;
        data.targets()[0] = 99;

        assertThat(data.row(0)).containsExactly(1, 2);
        assertThat(data.target(0)).isEqualTo(3);
    }

    @Test
    void splitPartitionsTheRowsReproduciblyFromTheSeed() {
        Dataset data = withTargets(new double[100]);

        Dataset.Split split = data.split(0.8, 7);

        assertThat(split.train().size()).isEqualTo(80);
        assertThat(split.test().size()).isEqualTo(20);
        Set<Double> indices = new HashSet<>();
        for (Dataset part : List.of(split.train(), split.test())) {
            for (int i = 0; i < part.size(); i++) {
                indices.add(part.row(i)[0]);
            }
        }
        assertThat(indices).hasSize(100);
        assertThat(data.split(0.8, 7)).isEqualTo(split);
        assertThat(data.split(0.8, 8).test()).isNotEqualTo(split.test());
    }

    @Test
    void splitKeepsARowOnEachSideOfTinyDataSets() {
        Dataset.Split split = withTargets(1, 2).split(0.9, 1);

        assertThat(split.train().size()).isEqualTo(1);
        assertThat(split.test().size()).isEqualTo(1);
        assertThatThrownBy(() -> withTargets(1, 2).split(1.0, 1)).hasMessageContaining("strictly between 0 and 1");
    }

    @Test
    void outlierFilterKeepsTargetsWithinTukeysFences() {
        // Sorted: 1 2 3 4 5 6 7 8 9 100. Type-7 quartiles: Q1 = 3.25, Q3 = 7.75, IQR = 4.5,
        // fences at k = 1.5: [-3.5, 14.5], so only 100 goes.
        Dataset data = withTargets(5, 100, 1, 2, 3, 4, 6, 7, 8, 9);

        Dataset kept = data.filterTargetOutliers();

        assertThat(kept.targets()).containsExactly(5, 1, 2, 3, 4, 6, 7, 8, 9);
        // At k = 0 the fences are the quartiles themselves: 4, 5, 6, 7 remain.
        assertThat(data.filterTargetOutliers(0).targets()).containsExactly(5, 4, 6, 7);
        // A fence exactly on a value keeps it: Q3 + 1·IQR = 12.25 with 12.25 present.
        assertThat(withTargets(1, 2, 3, 4, 5, 6, 7, 8, 9, 12.25).filterTargetOutliers(1).size()).isEqualTo(10);
        assertThatThrownBy(() -> data.filterTargetOutliers(-1)).hasMessageContaining("at least 0");
    }

    @Test
    void mediansSkipMissingValuesAndFillMissingUsesThem() {
        double nan = Double.NaN;
        Dataset data = Dataset.of(List.of("a", "b", "c"),
                new double[][] {{1, nan, nan}, {3, 10, nan}, {2, 20, nan}, {10, nan, nan}},
                new double[] {1, 2, 3, 4});

        double[] medians = data.medians();

        assertThat(medians[0]).isEqualTo(2.5);
        assertThat(medians[1]).isEqualTo(15);
        assertThat(medians[2]).isNaN();
        assertThat(data.firstMissingValue()).contains("row 0, feature 'b'");
        assertThatThrownBy(() -> data.fillMissing(medians))
                .hasMessageContaining("default for feature 'c' is NaN");

        Dataset filled = data.fillMissing(new double[] {medians[0], medians[1], 0});

        assertThat(filled.rows()).isDeepEqualTo(new double[][] {{1, 15, 0}, {3, 10, 0}, {2, 20, 0}, {10, 15, 0}});
        assertThat(filled.firstMissingValue()).isEmpty();
        assertThat(data.row(0)[1]).as("the original is unchanged").isNaN();
        assertThat(Arrays.equals(filled.targets(), data.targets())).isTrue();
    }
}
