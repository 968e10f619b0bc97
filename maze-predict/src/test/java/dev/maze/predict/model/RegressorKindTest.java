package dev.maze.predict.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.predict.data.Dataset;
import dev.maze.predict.data.DatasetGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RegressorKindTest {
    @Test
    void kindsAreNamedInConfigurationByTheirIds() {
        assertThat(RegressorKind.values()).extracting(RegressorKind::id).containsExactly("gbt", "mlp", "linear");
        assertThat(RegressorKind.parse("gbt")).isEqualTo(RegressorKind.GBT);
        assertThat(RegressorKind.parse(" MLP ")).isEqualTo(RegressorKind.MLP);
        assertThat(RegressorKind.parse("Linear")).isEqualTo(RegressorKind.LINEAR);
    }

    @Test
    void anUnknownNameListsTheChoices() {
        assertThatThrownBy(() -> RegressorKind.parse("xgb"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown regressor 'xgb'; choose one of: gbt, mlp, linear");
        assertThatThrownBy(() -> RegressorKind.parse(null)).hasMessageContaining("choose one of");
    }

    @ParameterizedTest
    @EnumSource(RegressorKind.class)
    void trainingRefusesEmptyOrIncompleteData(RegressorKind kind) {
        Dataset empty = Dataset.of(List.of("x"), new double[0][], new double[0]);
        Dataset incomplete = Dataset.of(List.of("x", "y"), new double[][] {{1, 2}, {3, Double.NaN}}, new double[] {1, 2});

        assertThatThrownBy(() -> kind.train(empty, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty data set");
        assertThatThrownBy(() -> kind.train(incomplete, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing value at row 1, feature 'y': fill missing values (Dataset.fillMissing with Dataset.medians) before training");
    }

    @ParameterizedTest
    @EnumSource(RegressorKind.class)
    void aFewRowsAreEnoughToTrainWithoutAValidationSplit(RegressorKind kind) throws Exception {
        Dataset few = DatasetGenerator.generate("speech_process", 12, 4);

        Model model = kind.train(few, 4);

        assertThat(model.kind()).isEqualTo(kind.id());
        for (int i = 0; i < few.size(); i++) {
            assertThat(model.predict(few.row(i))).isFinite();
        }
    }
}
