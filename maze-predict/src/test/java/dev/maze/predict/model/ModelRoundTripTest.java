package dev.maze.predict.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.predict.data.Dataset;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelRoundTripTest {
    private static double[] predictions(Model model, Dataset data) {
        double[] predictions = new double[data.size()];
        for (int i = 0; i < predictions.length; i++) {
            predictions[i] = model.predict(data.row(i));
        }
        return predictions;
    }

    @ParameterizedTest
    @EnumSource(RegressorKind.class)
    void aLoadedModelPredictsExactlyAsTheTrainedOne(RegressorKind kind) throws Exception {
        Model trained = TrainedModels.of(kind);

        byte[] bytes = trained.toBytes();
        Model loaded = kind.load(bytes);

        assertThat(loaded.kind()).isEqualTo(kind.id());
        assertThat(loaded.features()).isEqualTo(TrainedModels.TRAINING.featureNames());
        assertThat(predictions(loaded, TrainedModels.UNSEEN)).containsExactly(predictions(trained, TrainedModels.UNSEEN));
        assertThat(loaded.toBytes()).isEqualTo(bytes);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("{\"format\":\"maze-model\",\"version\":1,\"kind\":\"" + kind.id() + "\"");
    }

    @ParameterizedTest
    @EnumSource(RegressorKind.class)
    void trainingIsDeterministicForASeed(RegressorKind kind) throws Exception {
        Model again = kind.train(TrainedModels.TRAINING, 1);

        assertThat(again.toBytes()).isEqualTo(TrainedModels.of(kind).toBytes());
    }

    @ParameterizedTest
    @EnumSource(RegressorKind.class)
    void modelsLearnTheTrainingData(RegressorKind kind) throws Exception {
        Model model = TrainedModels.of(kind);

        Metrics.Evaluation fit = Metrics.evaluate(model, TrainedModels.TRAINING);

        assertThat(fit.r2()).isGreaterThan(0.7);
    }

    @ParameterizedTest
    @EnumSource(RegressorKind.class)
    void aRowOfTheWrongLengthIsRejected(RegressorKind kind) throws Exception {
        Model model = TrainedModels.of(kind);

        assertThatThrownBy(() -> model.predict(new double[3]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("row has 3 values but the " + kind.id() + " model expects 13: [image_height,");
    }

    @ParameterizedTest
    @EnumSource(RegressorKind.class)
    void predictAllocatesNothingOnceWarm(RegressorKind kind) throws Exception {
        Model model = TrainedModels.of(kind);
        double[][] rows = TrainedModels.UNSEEN.rows();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        double sum = 0;
        for (int i = 0; i < 30_000; i++) {
            sum += model.predict(rows[i % rows.length]);
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            sum += model.predict(rows[i % rows.length]);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(sum).isFinite();
        assertThat(allocated).as("bytes allocated by 100,000 predictions").isLessThan(10_000);
    }

    @ParameterizedTest
    @EnumSource(RegressorKind.class)
    void concurrentPredictionsEqualSequentialOnes(RegressorKind kind) throws Exception {
        Model model = TrainedModels.of(kind);
        double[] expected = predictions(model, TrainedModels.UNSEEN);

        List<Future<double[]>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int t = 0; t < 8; t++) {
                results.add(pool.submit(() -> {
                    double[] last = null;
                    for (int repeat = 0; repeat < 50; repeat++) {
                        last = predictions(model, TrainedModels.UNSEEN);
                    }
                    return last;
                }));
            }
        }

        for (Future<double[]> result : results) {
            assertThat(result.get()).containsExactly(expected);
        }
    }
}
