package dev.maze.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.predict.HeuristicPredictor;
import dev.maze.core.workflow.ValidationException;
import dev.maze.predict.ToolType;
import dev.maze.predict.ToolTypes;
import dev.maze.predict.data.Dataset;
import dev.maze.predict.data.DatasetException;
import dev.maze.predict.model.Metrics;
import dev.maze.predict.model.Model;
import dev.maze.predict.model.ModelTrainingException;
import dev.maze.predict.model.RegressorKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code maze predictor eval}: how well each regressor would predict one tool type's execution times from a data
 * set, prepared as the online predictor prepares its training data. A seeded 80/20 split; on the 80%, target
 * outliers are dropped (Tukey's fences, k = 3, on the log of the run time) and missing features are filled (the tool type's default, else the
 * training median); every regressor trains on that and is scored on the 20%, next to Maze's per-resource constant.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare gbt, mlp, linear and Maze's heuristic on a CSV data set (train 80%%, test 20%%).",
                "A seeded 80/20 split; on the 80%%, target outliers are dropped (Tukey's fences, IQR factor 3, on log run time) and"
                        + " missing values filled with the tool type's defaults, else the training rows' medians; each"
                        + " regressor trains on that and is scored on the 20%%. The heuristic predicts the resource class's"
                        + " constant. Table (or --json) on stdout."},
        footer = {"", "Exit codes: 0 every regressor was evaluated, 1 a regressor failed to train (the others are still"
                + " reported), 2 invalid input (unknown tool type, unreadable or malformed CSV, fewer than "
                + PredictorEvalCommand.MIN_ROWS + " rows)."})
final class PredictorEvalCommand implements Callable<Integer> {

    /** Fewer rows leave a test part of one row: no measure of anything. */
    static final int MIN_ROWS = 10;

    static final double TRAIN_FRACTION = 0.8;

    /** Rows of the untimed warm-up training per regressor (class loading, JIT, XGBoost's native library). */
    static final int WARM_UP_ROWS = 64;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(names = "--tool-type", required = true, paramLabel = "T",
            description = "Tool type whose features the CSV holds (built-in: llm_process, vlm_process, llm_fuse2In1, "
                    + "speech_process; or one from --tool-types).")
    String toolType;

    @Option(names = "--data", required = true, paramLabel = "FILE.csv",
            description = "Data set: a header row naming features and exec_time (seconds); unknown columns are ignored,"
                    + " missing ones are filled.")
    Path data;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Seed of the split and of training. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--tool-types", paramLabel = "CONFIG.yaml",
            description = "Tool type configuration (YAML/JSON) adding or redefining tool types."
                    + " Default: the built-in ones.")
    Path toolTypesFile;

    @Option(names = "--resource", defaultValue = "gpu", paramLabel = "CLASS",
            description = {"Resource class of the tool, for the heuristic: gpu (15 s), cpu (3 s) or io (1 s).",
                    "Default: ${DEFAULT-VALUE} (all four built-in tool types run on GPUs)."})
    String resource;

    @Option(names = "--outlier-factor", defaultValue = "3", paramLabel = "K",
            description = "Tukey's fence factor for training targets: rows outside [Q1 - K*IQR, Q3 + K*IQR] are dropped."
                    + " Default: ${DEFAULT-VALUE}, as the online predictor (Maze: 1.5 on seconds).")
    double outlierFactor;

    @Option(names = "--keep-outliers", description = "Train on every training row (no outlier filter).")
    boolean keepOutliers;

    @Option(names = "--outlier-scale", defaultValue = "log", paramLabel = "SCALE",
            description = {"Where the fences are computed: log (of the run time, as the online predictor does: drops runs out",
                    "of proportion, keeps the long tail) or raw (seconds, Maze's; drops the longest runs). Default: ${DEFAULT-VALUE}."})
    String outlierScale;

    @Option(names = "--json", description = "Print a JSON array (one object per regressor) instead of the table.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * One regressor's scores on the test rows; {@code NaN} figures when it failed to train.
     *
     * @param mape a fraction (0.12 is 12%)
     * @param trainRows rows it was trained on (0 for the heuristic, which learns nothing)
     */
    record Score(String regressor, double mae, double mape, double r2, double trainMillis, int trainRows, int testRows) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Double heuristicSeconds = HeuristicPredictor.CLASS_DEFAULTS.get(resource);
        if (heuristicSeconds == null) {
            throw usage("--resource must be gpu, cpu or io, was '" + resource + "'");
        }
        if (!outlierScale.equals("log") && !outlierScale.equals("raw")) {
            throw usage("--outlier-scale must be log or raw, was " + outlierScale);
        }
        if (!(outlierFactor >= 0) || Double.isInfinite(outlierFactor)) {
            throw usage("--outlier-factor must be a finite number >= 0, was " + outlierFactor);
        }
        ToolTypes toolTypes;
        try {
            toolTypes = toolTypesFile == null ? ToolTypes.builtIn() : ToolTypes.load(toolTypesFile);
        } catch (ValidationException e) {
            return WorkflowRunner.reportInvalid(e, err);
        }
        ToolType type = toolTypes.get(toolType);
        if (type == null) {
            throw usage(ToolTypes.unknownToolType(toolType, toolTypes.names())
                    + (toolTypesFile == null ? " (add others with --tool-types CONFIG.yaml)" : ""));
        }
        if (!Files.isRegularFile(data)) {
            throw usage("--data file '" + data + "' does not exist or is not a file");
        }
        Dataset all;
        try {
            all = Dataset.readCsv(data, type.features());
        } catch (DatasetException e) {
            // The message names the file, line and column and what to do.
            return invalid(err, e.getMessage());
        } catch (IOException e) {
            return invalid(err, "cannot read --data " + data + ": " + FileErrors.describe(e));
        }
        if (all.size() < MIN_ROWS) {
            return invalid(err, data + " has " + all.size() + (all.size() == 1 ? " row" : " rows")
                    + "; eval needs at least " + MIN_ROWS + " (it trains on " + Math.round(TRAIN_FRACTION * 100)
                    + "% of them and tests on the rest)");
        }

        Dataset.Split split = all.split(TRAIN_FRACTION, seed);
        Dataset kept = keepOutliers ? split.train() : split.train().filterTargetOutliers(outlierFactor, outlierScale.equals("log"));
        double[] fill = fillValues(type, kept, err);
        Dataset train = kept.fillMissing(fill);
        Dataset test = split.test().fillMissing(fill);

        List<Score> scores = new ArrayList<>();
        boolean failed = false;
        for (RegressorKind kind : RegressorKind.values()) {
            try {
                scores.add(evaluate(kind, train, test, seed));
            } catch (ModelTrainingException e) {
                err.println("maze: " + kind.id() + ": training failed: " + e.getMessage());
                err.flush();
                scores.add(new Score(kind.id(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, train.size(), test.size()));
                failed = true;
            }
        }
        scores.add(heuristic(heuristicSeconds, test));

        if (json) {
            out.println(json(scores));
        } else {
            out.printf("maze predictor eval: %s on %s, seed %d, heuristic %s %s s%n", toolType, data, seed, resource,
                    number(heuristicSeconds));
            out.printf("  %,d rows: %,d train (%s), %,d test%n", all.size(), split.train().size(),
                    keepOutliers ? "outliers kept" : String.format("%,d target outliers dropped, IQR factor %s on the %s scale",
                            split.train().size() - kept.size(), number(outlierFactor), outlierScale), test.size());
            table(scores, out);
        }
        out.flush();
        return failed ? MazeCommand.EXIT_FAILED : 0;
    }

    /**
     * Per feature, the value that replaces a missing one: the tool type's default where it has one (Maze's
     * {@code reason} 0, {@code batch_size} 1), else the median of the training rows, else (never present) 0.
     */
    private double[] fillValues(ToolType type, Dataset train, PrintWriter err) {
        double[] medians = train.medians();
        List<String> absent = new ArrayList<>();
        for (int j = 0; j < medians.length; j++) {
            String feature = train.featureNames().get(j);
            if (Double.isNaN(medians[j]) && !type.defaults().containsKey(feature)) {
                absent.add(feature);
            }
        }
        if (!absent.isEmpty()) {
            err.println("maze: note: " + data + ": no training row has a value for " + String.join(", ", absent)
                    + " (column missing or empty); using 0, so the regressors cannot learn from "
                    + (absent.size() == 1 ? "it" : "them"));
            err.flush();
        }
        return type.fillValues(train);
    }

    private static Score evaluate(RegressorKind kind, Dataset train, Dataset test, long seed)
            throws ModelTrainingException {
        warmUp(kind, train, seed);
        long start = System.nanoTime();
        Model model = kind.train(train, seed);
        double trainMillis = (System.nanoTime() - start) / 1e6;
        Metrics.Evaluation evaluation = Metrics.evaluate(model, test);
        return new Score(kind.id(), evaluation.mae(), evaluation.mape(), evaluation.r2(), trainMillis, train.size(),
                test.size());
    }

    /**
     * Trains once on a few rows, untimed, so that the timed training measures the work, not class loading, the JIT
     * or the extraction of XGBoost's native library (hundreds of milliseconds, once per JVM).
     */
    static void warmUp(RegressorKind kind, Dataset train, long seed) throws ModelTrainingException {
        int rows = Math.min(WARM_UP_ROWS, train.size());
        double[][] all = train.rows();
        double[] targets = train.targets();
        kind.train(Dataset.of(train.featureNames(), Arrays.copyOf(all, rows), Arrays.copyOf(targets, rows)), seed);
    }

    /** Maze's fallback: the same constant for every task of a resource class. */
    private static Score heuristic(double seconds, Dataset test) {
        double[] actual = test.targets();
        double[] predicted = new double[actual.length];
        Arrays.fill(predicted, seconds);
        return new Score("heuristic", Metrics.mae(actual, predicted), Metrics.mape(actual, predicted),
                Metrics.r2(actual, predicted), 0, 0, test.size());
    }

    /**
     * A JSON array, one object per regressor: {@code regressor}, {@code mae} (seconds), {@code mape} (a fraction),
     * {@code r2}, {@code trainMillis}, {@code trainRows}, {@code testRows}; figures of a regressor that failed to
     * train are null.
     */
    static String json(List<Score> scores) {
        ArrayNode array = JSON.createArrayNode();
        for (Score score : scores) {
            ObjectNode entry = array.addObject();
            entry.put("regressor", score.regressor());
            put(entry, "mae", score.mae());
            put(entry, "mape", score.mape());
            put(entry, "r2", score.r2());
            put(entry, "trainMillis", Double.isNaN(score.trainMillis()) ? Double.NaN
                    : Math.round(score.trainMillis() * 100) / 100.0);
            entry.put("trainRows", score.trainRows());
            entry.put("testRows", score.testRows());
        }
        return array.toPrettyString();
    }

    private static void put(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        } else {
            node.putNull(field);
        }
    }

    private static void table(List<Score> scores, PrintWriter out) {
        String r2 = OutputEncoding.choose("R\u00b2", "R2");
        out.printf("  %-10s %10s %9s %8s %11s %16s%n", "regressor", "MAE (s)", "MAPE (%)", r2, "train (ms)",
                "rows train/test");
        for (Score score : scores) {
            boolean trained = !Double.isNaN(score.trainMillis());
            out.printf("  %-10s %10s %9s %8s %11s %16s%n", score.regressor(),
                    trained ? fixed(score.mae(), 3) : "failed",
                    trained ? fixed(score.mape() * 100, 1) : "-",
                    trained ? fixed(score.r2(), 3) : "-",
                    trained ? fixed(score.trainMillis(), 1) : "-",
                    score.trainRows() + "/" + score.testRows());
        }
    }

    private static String fixed(double value, int decimals) {
        return Double.isFinite(value) ? String.format(java.util.Locale.ROOT, "%." + decimals + "f", value) : "-";
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static int invalid(PrintWriter err, String message) {
        err.println("maze: " + message);
        err.flush();
        return MazeCommand.EXIT_INVALID;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
