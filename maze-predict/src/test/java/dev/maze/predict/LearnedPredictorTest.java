package dev.maze.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.predict.LearnedPredictor.Source;
import dev.maze.predict.data.Dataset;
import dev.maze.predict.data.DatasetGenerator;
import dev.maze.predict.model.Model;
import dev.maze.predict.model.RegressorKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Online learning: thresholds, background retraining, replacement only when better, persistence, fallbacks. */
class LearnedPredictorTest {

    static final Resources GPU = new Resources(0, 0, 1, 0, "m");
    private static final Resources CPU = new Resources(1, 0, 0, 0, null);

    static TaskSpec task(String toolType, Resources resources, Map<String, Double> features) {
        return new TaskSpec("t", "sim", toolType, List.of(), resources, JsonNodeFactory.instance.objectNode(), null,
                RetryPolicy.NONE, features, null);
    }

    /** The generated {@code llm_process} row {@code i} as a task. */
    static TaskSpec llmTask(Dataset data, int i) {
        Map<String, Double> features = new HashMap<>();
        for (int f = 0; f < data.featureCount(); f++) {
            features.put(data.featureNames().get(f), data.row(i)[f]);
        }
        return task("llm_process", GPU, features);
    }

    static void feed(LearnedPredictor predictor, Dataset data, int from, int to) throws InterruptedException {
        for (int i = from; i < to; i++) {
            predictor.observe(llmTask(data, i), List.of(), data.target(i));
        }
        predictor.awaitIdle();
    }

    private static LearnedPredictor inMemory(RegressorKind kind) {
        return LearnedPredictor.open(PredictorConfig.defaults(null).withRegressor(kind), ToolTypes.builtIn());
    }

    @Test
    void beforeAnySampleAToolTypeGetsTheResourceHeuristic() {
        try (LearnedPredictor predictor = inMemory(RegressorKind.GBT)) {
            assertThat(predictor.predictSeconds(task("llm_process", GPU, Map.of()), List.of())).isEqualTo(15.0);
            assertThat(predictor.predictSeconds(task("tokenize", CPU, Map.of()), List.of())).isEqualTo(3.0);
            assertThat(predictor.explain(task("llm_process", GPU, Map.of("token_count", 10.0)), List.of(), false).source())
                    .isEqualTo(Source.HEURISTIC);
        }
    }

    @Test
    void trainsAtFiftySamplesAndUsesTheRunningAverageBefore() throws Exception {
        Dataset data = DatasetGenerator.generate("llm_process", 200, 7);
        try (LearnedPredictor predictor = inMemory(RegressorKind.GBT)) {
            feed(predictor, data, 0, 49);
            LearnedPredictor.Explained before = predictor.explain(llmTask(data, 100), List.of(), false);
            assertThat(before.source()).isEqualTo(Source.RUNNING_AVERAGE);
            double mean = java.util.Arrays.stream(data.targets()).limit(49).average().orElseThrow();
            assertThat(before.seconds()).isCloseTo(mean, within(1e-9));

            feed(predictor, data, 49, 50);
            assertThat(predictor.explain(llmTask(data, 100), List.of(), false).source()).isEqualTo(Source.MODEL);
            assertThat(predictor.status()).singleElement().satisfies(status -> {
                assertThat(status.trainedOnSamples()).isEqualTo(50);
                assertThat(status.regressor()).isEqualTo("gbt");
            });
        }
    }

    /** A model that answers {@code seconds(token_count)}. */
    static Model model(java.util.function.DoubleUnaryOperator seconds) {
        return new Model() {
            @Override
            public String kind() {
                return "test";
            }

            @Override
            public List<String> features() {
                return ToolTypes.builtIn().get("llm_process").features();
            }

            @Override
            public double predict(double[] row) {
                return seconds.applyAsDouble(row[1]);
            }

            @Override
            public byte[] toBytes() {
                return new byte[0];
            }
        };
    }

    /** An inline predictor whose trainings return {@code models} in turn and record what they were given. */
    static LearnedPredictor scripted(List<Dataset> given, Model... models) {
        java.util.Iterator<Model> next = List.of(models).iterator();
        return LearnedPredictor.inline(PredictorConfig.defaults(null), ToolTypes.builtIn(), (training, seed) -> {
            given.add(training);
            return next.next();
        });
    }

    /** Samples with time = 2 x token_count, token counts 10+from..10+to-1. */
    static void feedLinear(LearnedPredictor predictor, int from, int to) {
        for (int i = from; i < to; i++) {
            predictor.observe(task("llm_process", GPU, Map.of("token_count", 10.0 + i)), List.of(), 2 * (10.0 + i));
        }
    }

    @Test
    void retrainsAfterTwentyMoreSamplesAndReplacesTheModelWhenTheNewOneValidatesBetter() {
        List<Dataset> given = new java.util.ArrayList<>();
        try (LearnedPredictor predictor = scripted(given, model(t -> 1000), model(t -> 2 * t))) {
            feedLinear(predictor, 0, 50);
            assertThat(given).hasSize(1);
            assertThat(predictor.predictSeconds(task("llm_process", GPU, Map.of("token_count", 30.0)), List.of())).isEqualTo(1000);
            feedLinear(predictor, 50, 69);
            assertThat(given).as("19 more samples: not yet").hasSize(1);
            feedLinear(predictor, 69, 70);
            assertThat(given).hasSize(2);
            assertThat(predictor.status().get(0).trainedOnSamples()).isEqualTo(70);
            assertThat(predictor.predictSeconds(task("llm_process", GPU, Map.of("token_count", 30.0)), List.of())).isEqualTo(60);
        }
    }

    @Test
    void aNewModelThatDoesNotValidateBetterDoesNotReplaceTheCurrentOne() {
        List<Dataset> given = new java.util.ArrayList<>();
        try (LearnedPredictor predictor = scripted(given, model(t -> 2 * t), model(t -> 1000), model(t -> 2 * t))) {
            feedLinear(predictor, 0, 70);
            assertThat(given).hasSize(2);
            assertThat(predictor.status().get(0).trainedOnSamples()).as("the worse candidate was dropped").isEqualTo(50);
            feedLinear(predictor, 70, 90);
            assertThat(given).hasSize(3);
            assertThat(predictor.status().get(0).trainedOnSamples()).as("an equal one is not better either").isEqualTo(50);
        }
    }

    @Test
    void runsOutOfProportionAreLeftOutOfTrainingButTheLongTailStays() {
        List<Dataset> given = new java.util.ArrayList<>();
        try (LearnedPredictor predictor = scripted(given, model(t -> 2 * t), model(t -> 2 * t))) {
            feedLinear(predictor, 0, 50);
            for (int i = 0; i < 3; i++) { // three hung runs among 70
                predictor.observe(task("llm_process", GPU, Map.of("token_count", 30.0)), List.of(), 1e6);
            }
            feedLinear(predictor, 50, 67);
            Dataset second = given.get(1);
            double longest = java.util.Arrays.stream(second.targets()).max().orElseThrow();
            assertThat(longest).as("no hung run, and the longest real runs (up to 152 s) stay").isBetween(140.0, 152.0);
        }
    }

    @Test
    void predictionsAreNeverBelowATenthOfASecond() throws Exception {
        try (LearnedPredictor predictor = inMemory(RegressorKind.LINEAR)) {
            for (int i = 0; i < 50; i++) {
                predictor.observe(task("llm_process", GPU, Map.of("token_count", (double) i)), List.of(), 0.001 * i);
            }
            predictor.awaitIdle();
            assertThat(predictor.predictSeconds(task("llm_process", GPU, Map.of("token_count", 0.0)), List.of())).isEqualTo(0.1);
        }
    }

    @Test
    void runsWithoutAnyFeatureTrainNoModel() {
        List<Dataset> given = new java.util.ArrayList<>();
        try (LearnedPredictor predictor = scripted(given, model(t -> 1))) {
            for (int i = 0; i < 70; i++) {
                predictor.observe(task("llm_process", GPU, Map.of()), List.of(), 10 + i % 3);
            }
            assertThat(given).as("nothing to learn from").isEmpty();
            LearnedPredictor.ToolStatus status = predictor.status().get(0);
            assertThat(status.lastTraining()).startsWith("not trained: 0 of 70 samples have any feature");
            assertThat(predictor.predictSeconds(task("llm_process", GPU, Map.of()), List.of())).as("their mean").isCloseTo(10.986, within(0.001));
        }
    }

    @Test
    void anUnmappedToolTypeLearnsItsRunningAverage() throws Exception {
        try (LearnedPredictor predictor = inMemory(RegressorKind.GBT)) {
            predictor.observe(task("web_search", CPU, Map.of()), List.of(), 2.0);
            predictor.observe(task("web_search", CPU, Map.of()), List.of(), 4.0);
            predictor.awaitIdle();
            LearnedPredictor.Explained explained = predictor.explain(task("web_search", CPU, Map.of()), List.of(), false);
            assertThat(explained.source()).isEqualTo(Source.RUNNING_AVERAGE);
            assertThat(explained.seconds()).isEqualTo(3.0);
        }
    }

    @Test
    void aMissingMediaFileNeitherThrowsNorBlocks() throws Exception {
        ObjectNode inputs = JsonNodeFactory.instance.objectNode().put("image", "/no/such/image.png").put("prompt", "hi");
        TaskSpec vlm = new TaskSpec("v", "sim", "vlm_process", List.of(), GPU, inputs, null, RetryPolicy.NONE, Map.of(), null);
        try (LearnedPredictor predictor = inMemory(RegressorKind.GBT)) {
            assertThat(predictor.predictSeconds(vlm, List.of())).isEqualTo(15.0);
            predictor.observe(vlm, List.of(), 5.0);
            predictor.awaitIdle();
            assertThat(predictor.predictSeconds(vlm, List.of())).isEqualTo(5.0);
        }
    }

    @Test
    void modelsAndDatasetsSurviveARestart(@TempDir Path dir) throws Exception {
        Dataset data = DatasetGenerator.generate("llm_process", 120, 3);
        double before;
        try (LearnedPredictor predictor = LearnedPredictor.open(PredictorConfig.defaults(dir), ToolTypes.builtIn())) {
            feed(predictor, data, 0, 60);
            before = predictor.predictSeconds(llmTask(data, 100), List.of());
        }
        assertThat(dir.resolve("llm_process")).isDirectoryContaining(p -> p.endsWith(ModelStore.DATASET))
                .isDirectoryContaining(p -> p.endsWith(ModelStore.MODEL)).isDirectoryContaining(p -> p.endsWith(ModelStore.META));
        assertThat(Files.readAllLines(dir.resolve("llm_process").resolve(ModelStore.DATASET))).hasSize(61);
        try (LearnedPredictor predictor = LearnedPredictor.open(PredictorConfig.defaults(dir), ToolTypes.builtIn())) {
            assertThat(predictor.predictSeconds(llmTask(data, 100), List.of())).isEqualTo(before);
            LearnedPredictor.ToolStatus status = predictor.status().get(0);
            assertThat(status.samples()).isEqualTo(60);
            assertThat(status.trainedOnSamples()).isEqualTo(50);
            assertThat(status.problems()).isEmpty();
        }
    }

    @Test
    void aCorruptModelIsReportedSetAsideAndRetrained(@TempDir Path dir) throws Exception {
        Dataset data = DatasetGenerator.generate("llm_process", 80, 5);
        try (LearnedPredictor predictor = LearnedPredictor.open(PredictorConfig.defaults(dir), ToolTypes.builtIn())) {
            feed(predictor, data, 0, 55);
        }
        Path folder = dir.resolve("llm_process");
        Files.writeString(folder.resolve(ModelStore.MODEL), "{ not a model");
        try (LearnedPredictor predictor = LearnedPredictor.open(PredictorConfig.defaults(dir), ToolTypes.builtIn())) {
            predictor.awaitIdle();
            LearnedPredictor.ToolStatus status = predictor.status().get(0);
            assertThat(status.problems()).singleElement().asString().contains("model.json").contains("moved to model.json.corrupt");
            assertThat(folder.resolve("model.json.corrupt")).exists();
            assertThat(status.trainedOnSamples()).as("retrained from the dataset").isEqualTo(55);
            assertThat(predictor.explain(llmTask(data, 70), List.of(), false).source()).isEqualTo(Source.MODEL);
        }
    }

    @Test
    void aCorruptDatasetIsReportedAndTheToolTypeStartsAfresh(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("llm_process"));
        Files.writeString(folder.resolve(ModelStore.DATASET), "text_length,token_count,batch_size,reason,exec_time\n1,2,1,0,abc\n");
        try (LearnedPredictor predictor = LearnedPredictor.open(PredictorConfig.defaults(dir), ToolTypes.builtIn())) {
            LearnedPredictor.ToolStatus status = predictor.status().get(0);
            assertThat(status.problems()).singleElement().asString().contains("line 2").contains("dataset.csv.corrupt");
            assertThat(status.samples()).isZero();
            predictor.observe(task("llm_process", GPU, Map.of("token_count", 5.0)), List.of(), 1.0);
            predictor.awaitIdle();
        }
        assertThat(Files.readAllLines(folder.resolve(ModelStore.DATASET))).hasSize(2);
    }
}
