package dev.maze.predict.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.predict.data.Dataset;
import dev.maze.predict.data.DatasetGenerator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On the generator's non-linear data, held out 20%: the non-linear regressors explain most of the variance
 * and beat the linear baseline, which is what justifies their cost. Figures for seed 42 are in MODELS.md.
 */
class AccuracyTest {
    static Iterable<String> toolTypes() {
        return DatasetGenerator.toolTypes();
    }

    @ParameterizedTest
    @MethodSource("toolTypes")
    void nonLinearRegressorsBeatTheLinearBaselineOnHeldOutData(String toolType) throws Exception {
        Dataset.Split split = DatasetGenerator.generate(toolType, 2000, 42).split(0.8, 42);

        double gbt = Metrics.evaluate(RegressorKind.GBT.train(split.train(), 42), split.test()).r2();
        double mlp = Metrics.evaluate(RegressorKind.MLP.train(split.train(), 42), split.test()).r2();
        double linear = Metrics.evaluate(RegressorKind.LINEAR.train(split.train(), 42), split.test()).r2();

        assertThat(gbt).as("gbt R²").isGreaterThan(0.8).isGreaterThan(linear);
        assertThat(mlp).as("mlp R²").isGreaterThan(0.8).isGreaterThan(linear);
    }
}
