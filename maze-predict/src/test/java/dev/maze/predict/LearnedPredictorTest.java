package dev.maze.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.workflow.Resources;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.predict.LearnedPredictor.Source;
import dev.maze.predict.data.Dataset;
import dev.maze.predict.data.DatasetGenerator;
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

    @Test
    void retrainsAfterTwentyMoreSamplesAndKeepsTheBetterModel() throws Exception {
        // 50 samples in which the feature says nothing (token_count 1, times 1..10): the model can only learn the
        // mean. Then samples where time = token_count: a new model validates far better and replaces it.
        try (LearnedPredictor predictor = inMemory(RegressorKind.LINEAR)) {
            for (int i = 0; i < 50; i++) {
                predictor.observe(task("llm_process", GPU, Map.of("token_count", 1.0)), List.of(), 1 + i % 10);
            }
            predictor.awaitIdle();
            assertThat(predictor.status().get(0).trainedOnSamples()).isEqualTo(50);
            for (int i = 0; i < 19; i++) {
                predictor.observe(task("llm_process", GPU, Map.of("token_count", 20.0 + i)), List.of(), 20.0 + i);
            }
            predictor.awaitIdle();
            assertThat(predictor.status().get(0).trainedOnSamples()).as("19 new samples: not yet").isEqualTo(50);
            for (int i = 19; i < 60; i++) {
                predictor.observe(task("llm_process", GPU, Map.of("token_count", 20.0 + i)), List.of(), 20.0 + i);
            }
            predictor.awaitIdle();
            assertThat(predictor.status().get(0).trainedOnSamples()).isGreaterThan(50);
            assertThat(predictor.predictSeconds(task("llm_process", GPU, Map.of("token_count", 70.0)), List.of()))
                    .isCloseTo(70.0, within(15.0));
        }
    }

    @Test
    void aNewModelThatIsNotBetterDoesNotReplaceTheCurrentOne() throws Exception {
        // 50 samples with time = 2 * token_count, then 20 absurd ones (a million seconds). The outlier filter drops
        // those, so the candidate trains on the same 50 samples with the same split: its validation error is the
        // current model's, not lower, and the current model stays.
        try (LearnedPredictor predictor = inMemory(RegressorKind.LINEAR)) {
            for (int i = 0; i < 50; i++) {
                double tokens = 10 + i;
                predictor.observe(task("llm_process", GPU, Map.of("token_count", tokens)), List.of(), 2 * tokens);
            }
            predictor.awaitIdle();
            double before = predictor.predictSeconds(task("llm_process", GPU, Map.of("token_count", 30.0)), List.of());
            for (int i = 0; i < 20; i++) {
                predictor.observe(task("llm_process", GPU, Map.of("token_count", 30.0)), List.of(), 1e6);
            }
            predictor.awaitIdle();
            LearnedPredictor.ToolStatus status = predictor.status().get(0);
            assertThat(status.samples()).isEqualTo(70);
            assertThat(status.trainedOnSamples()).isEqualTo(50);
            assertThat(predictor.predictSeconds(task("llm_process", GPU, Map.of("token_count", 30.0)), List.of()))
                    .isEqualTo(before).isCloseTo(60.0, within(1.0));
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
