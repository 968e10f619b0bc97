package dev.maze.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.predict.LearnedPredictor;
import dev.maze.predict.PredictorConfig;
import dev.maze.predict.ToolTypes;
import dev.maze.predict.data.Dataset;
import dev.maze.predict.data.DatasetGenerator;
import dev.maze.predict.model.Model;
import dev.maze.predict.model.ModelTrainingException;
import dev.maze.predict.model.PredictionLatency;
import dev.maze.predict.model.RegressorKind;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code maze predictor bench}: what each regressor costs. Trains gbt, mlp and linear on generated rows of one tool
 * type (timed after an untimed warm-up training) and times single-row predictions with {@link PredictionLatency}: the figure
 * behind the target "single-row prediction under 20 µs median on 2 cores", since the scheduler predicts on its hot
 * path.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time training and single-row prediction of gbt, mlp and linear on generated data.",
                "Prediction: median over timed batches of single-row predict calls, after warm-up batches."},
        footer = {"", "Exit codes: 0 ok, 1 a regressor failed to train (the others are still reported), 2 invalid input."})
final class PredictorBenchmark implements Callable<Integer> {

    /** The target for one prediction on the scheduler's hot path. */
    static final double TARGET_MICROS = 20;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Timed (or warm-up) batches, and calls in one: beyond these a benchmark would run for days. */
    static final int MAX_BATCHES = 10_000;
    static final int MAX_BATCH_CALLS = 10_000_000;

    @Option(names = "--tool-type", defaultValue = "vlm_process", paramLabel = "T",
            description = "Tool type to generate: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE} (13 features).",
            completionCandidates = PredictorGenerateCommand.GeneratedToolTypes.class)
    String toolType;

    @Option(names = "--rows", defaultValue = "2000", paramLabel = "N",
            description = "Generated rows to train on (and to predict, cycled). Default: ${DEFAULT-VALUE}.")
    int rows;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Seed of the data and of training. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--batches", defaultValue = "50", paramLabel = "B",
            description = "Timed batches of predict calls per regressor. Default: ${DEFAULT-VALUE}.")
    int batches;

    @Option(names = "--batch-calls", defaultValue = "10000", paramLabel = "C",
            description = "Single-row predict calls per batch. Default: ${DEFAULT-VALUE}.")
    int callsPerBatch;

    @Option(names = "--warm-up-batches", defaultValue = "10", paramLabel = "W",
            description = "Untimed batches first, for the JIT. Default: ${DEFAULT-VALUE}.")
    int warmUpBatches;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One regressor's costs; NaN figures when it failed to train. */
    record Cost(String regressor, double trainMillis, PredictionLatency predict, int modelBytes, PredictionLatency engine) {}

    @Override
    public Integer call() throws InterruptedException {
        PredictorChecks.checkGeneratedToolType(spec, toolType);
        OptionRange.whole(spec, "--rows", rows, PredictorEvalCommand.MIN_ROWS, PredictorGenerateCommand.MAX_ROWS);
        OptionRange.whole(spec, "--batches", batches, 1, MAX_BATCHES);
        OptionRange.whole(spec, "--batch-calls", callsPerBatch, 1, MAX_BATCH_CALLS);
        OptionRange.whole(spec, "--warm-up-batches", warmUpBatches, 0, MAX_BATCHES);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Dataset data = DatasetGenerator.generate(toolType, rows, seed);
        double[][] inputs = data.rows();
        TaskSpec[] tasks = tasks(data);
        double[][] taskIndexes = new double[tasks.length][];
        for (int i = 0; i < tasks.length; i++) {
            taskIndexes[i] = new double[] {i};
        }
        List<Cost> costs = new ArrayList<>();
        boolean failed = false;
        for (RegressorKind kind : RegressorKind.values()) {
            try {
                PredictorEvalCommand.warmUp(kind, data, seed);
                long start = System.nanoTime();
                Model model = kind.train(data, seed);
                double trainMillis = (System.nanoTime() - start) / 1e6;
                PredictionLatency latency = PredictionLatency.measure(model::predict, inputs, warmUpBatches, batches, callsPerBatch);
                // What the engine calls for every ready task: tool type, feature row from the task, fill, model, clamp.
                LearnedPredictor predictor = LearnedPredictor.inline(
                        PredictorConfig.defaults(null).withRegressor(kind), ToolTypes.builtIn());
                predictor.train(toolType, data);
                PredictionLatency engine = PredictionLatency.measure(index -> predictor.predictSeconds(tasks[(int) index[0]], List.of()),
                        taskIndexes, warmUpBatches, batches, callsPerBatch);
                costs.add(new Cost(kind.id(), trainMillis, latency, model.toBytes().length, engine));
            } catch (ModelTrainingException e) {
                err.println("maze: " + kind.id() + ": training failed: " + e.getMessage());
                err.flush();
                costs.add(new Cost(kind.id(), Double.NaN, null, 0, null));
                failed = true;
            }
        }
        if (json) {
            out.println(json(costs));
        } else {
            table(costs, out);
        }
        out.flush();
        return failed ? MazeCommand.EXIT_FAILED : 0;
    }

    private String json(List<Cost> costs) {
        ObjectNode result = JSON.createObjectNode();
        result.put("toolType", toolType).put("rows", rows).put("seed", seed).put("warmUpBatches", warmUpBatches)
                .put("batches", batches).put("callsPerBatch", callsPerBatch).put("targetMicros", TARGET_MICROS)
                .put("cores", Runtime.getRuntime().availableProcessors()).put("java", Runtime.version().toString());
        ArrayNode regressors = result.putArray("regressors");
        for (Cost cost : costs) {
            ObjectNode entry = regressors.addObject();
            entry.put("regressor", cost.regressor());
            if (cost.predict() == null) {
                entry.putNull("trainMillis").putNull("predictMedianNanos").putNull("predictMinNanos")
                        .putNull("predictMaxNanos").putNull("modelBytes").putNull("predictorMedianNanos");
            } else {
                PredictionLatency predict = cost.predict();
                entry.put("trainMillis", round(cost.trainMillis())).put("predictMedianNanos", round(predict.medianNanos()))
                        .put("predictMinNanos", round(predict.minNanos()))
                        .put("predictMaxNanos", round(predict.maxNanos())).put("modelBytes", cost.modelBytes())
                        .put("predictorMedianNanos", round(cost.engine().medianNanos()));
            }
        }
        return result.toPrettyString();
    }

    private void table(List<Cost> costs, PrintWriter out) {
        String micros = OutputEncoding.choose("\u00b5s", "us");
        out.printf("maze predictor bench: %s, %,d generated rows (seed %d); predict: %d batches x %,d single-row calls"
                        + " after %d warm-up batches; %d cores, Java %s%n", toolType, rows, seed, batches, callsPerBatch,
                warmUpBatches, Runtime.getRuntime().availableProcessors(), Runtime.version());
        out.printf("  %-9s %11s %22s %22s %11s %24s%n", "regressor", "train (ms)", "predict median (" + micros + ")",
                "batch min-max (" + micros + ")", "model (KB)", "predictor path (" + micros + ")");
        List<String> met = new ArrayList<>();
        for (Cost cost : costs) {
            if (cost.predict() == null) {
                out.printf("  %-9s %11s%n", cost.regressor(), "failed");
                continue;
            }
            PredictionLatency predict = cost.predict();
            double median = predict.medianNanos() / 1e3;
            double path = cost.engine().medianNanos() / 1e3;
            if (Math.max(median, path) < TARGET_MICROS) {
                met.add(cost.regressor());
            }
            out.printf(Locale.ROOT, "  %-9s %11.1f %22.3f %22s %11.1f %24.3f%n", cost.regressor(), cost.trainMillis(), median,
                    String.format(Locale.ROOT, "%.3f-%.3f", predict.minNanos() / 1e3, predict.maxNanos() / 1e3),
                    cost.modelBytes() / 1024.0, path);
        }
        out.printf("  predictor path: LearnedPredictor.predictSeconds for a task with the row as its features (what the"
                + " engine calls per ready task)%n");
        out.printf("  target: single-row prediction under %.0f %s median (model and predictor path): %s%n", TARGET_MICROS, micros,
                met.isEmpty() ? "met by none" : "met by " + String.join(", ", met));
    }

    /** Each row as a task of the tool type whose features are the row's values. */
    private TaskSpec[] tasks(Dataset data) {
        TaskSpec[] tasks = new TaskSpec[data.size()];
        for (int i = 0; i < tasks.length; i++) {
            Map<String, Double> features = new HashMap<>();
            for (int f = 0; f < data.featureCount(); f++) {
                features.put(data.featureNames().get(f), data.row(i)[f]);
            }
            tasks[i] = new TaskSpec("t" + i, "sim", toolType, List.of(), new Resources(0, 0, 1, 0, null),
                    JsonNodeFactory.instance.objectNode(), null, RetryPolicy.NONE, features, null);
        }
        return tasks;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
