package dev.maze.predict.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.predict.data.Dataset;
import dev.maze.predict.data.DatasetGenerator;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The plain-Java tree evaluator computes what XGBoost computes. */
class XgboostAgreementTest {
    private static final int ROUNDS = 80;

    static Iterable<String> toolTypes() {
        return DatasetGenerator.toolTypes();
    }

    /** A copy with about a tenth of the cells missing, so that missing-value directions are exercised too. */
    private static Dataset withGaps(Dataset data, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] rows = data.rows();
        for (double[] row : rows) {
            for (int j = 0; j < row.length; j++) {
                if (random.nextDouble() < 0.1) {
                    row[j] = Double.NaN;
                }
            }
        }
        return Dataset.of(data.featureNames(), rows, data.targets());
    }

    private static void assertAgree(TreeEnsemble ensemble, Booster booster, Dataset rows, int treeLimit) throws Exception {
        DMatrix matrix = XgboostTrainer.matrix(rows);
        try {
            float[][] expected = treeLimit == 0 ? booster.predict(matrix) : booster.predict(matrix, false, treeLimit);
            for (int i = 0; i < rows.size(); i++) {
                double tolerance = 1e-5 * Math.max(1, Math.abs(expected[i][0]));
                assertThat(ensemble.predict(rows.row(i))).as("row %d", i).isCloseTo(expected[i][0], org.assertj.core.data.Offset.offset(tolerance));
            }
        } finally {
            matrix.dispose();
        }
    }

    @ParameterizedTest
    @MethodSource("toolTypes")
    void javaPredictionsMatchXgboostsOwn(String toolType) throws Exception {
        Dataset training = withGaps(DatasetGenerator.generate(toolType, 500, 21), 21);
        Dataset unseen = withGaps(DatasetGenerator.generate(toolType, 300, 22), 22);
        Booster booster = XgboostTrainer.fit(training, ROUNDS, 21);
        try {
            byte[] json = booster.toByteArray("json");

            TreeEnsemble all = XgboostJsonImporter.read(json, training.featureNames(), ROUNDS);
            TreeEnsemble firstTwenty = XgboostJsonImporter.read(json, training.featureNames(), 20);

            assertThat(all.treeCount()).isEqualTo(ROUNDS);
            assertAgree(all, booster, unseen, 0);
            assertAgree(all, booster, training, 0);
            assertAgree(firstTwenty, booster, unseen, 20);
        } finally {
            booster.dispose();
        }
    }

    @Test
    void theBaseScoreIsReadInBothTheThreeZeroAndTheListForm() throws Exception {
        Dataset training = DatasetGenerator.generate("speech_process", 300, 5);
        Booster booster = XgboostTrainer.fit(training, 10, 5);
        try {
            String json = new String(booster.toByteArray("json"), StandardCharsets.UTF_8);
            String listForm = json.replaceFirst("\"base_score\":\"([^\"]+)\"", "\"base_score\":\"[$1]\"");
            assertThat(listForm).isNotEqualTo(json);

            TreeEnsemble scalar = XgboostJsonImporter.read(json.getBytes(StandardCharsets.UTF_8), training.featureNames(), 10);
            TreeEnsemble list = XgboostJsonImporter.read(listForm.getBytes(StandardCharsets.UTF_8), training.featureNames(), 10);

            assertThat(list.predict(training.row(0))).isEqualTo(scalar.predict(training.row(0)));
            assertAgree(list, booster, training, 0);
        } finally {
            booster.dispose();
        }
    }

    @Test
    void modelsItCannotEvaluateFaithfullyAreRefused() throws Exception {
        Dataset training = DatasetGenerator.generate("speech_process", 300, 5);
        Booster booster = XgboostTrainer.fit(training, 3, 5);
        String json;
        try {
            json = new String(booster.toByteArray("json"), StandardCharsets.UTF_8);
        } finally {
            booster.dispose();
        }
        byte[] logistic = json.replace("\"reg:squarederror\"", "\"reg:logistic\"").getBytes(StandardCharsets.UTF_8);
        byte[] categorical = json.replaceFirst("\"split_type\":\\[0", "\"split_type\":[1").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> XgboostJsonImporter.read(logistic, training.featureNames(), 3))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("unsupported XGBoost model: objective is 'reg:logistic', expected reg:squarederror");
        assertThatThrownBy(() -> XgboostJsonImporter.read(categorical, training.featureNames(), 3))
                .isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("categorical split");
    }

    @Test
    void aTrainedGbtModelHoldsTheRoundsEarlyStoppingChose() throws Exception {
        Dataset training = DatasetGenerator.generate("llm_process", 600, 8);

        TreeEnsemble model = (TreeEnsemble) RegressorKind.GBT.train(training, 8);

        assertThat(model.treeCount()).isBetween(1, XgboostTrainer.MAX_ROUNDS);
        assertThat(model.treeCount()).isNotEqualTo(XgboostTrainer.FIXED_ROUNDS);
    }
}
