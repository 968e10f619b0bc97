package dev.maze.predict;

import dev.maze.core.predict.HeuristicPredictor;
import dev.maze.core.predict.RuntimePredictor;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.predict.data.Dataset;
import dev.maze.predict.model.Metrics;
import dev.maze.predict.model.Model;
import dev.maze.predict.model.ModelTrainingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maze's malearn on the JVM: one model per tool type, learned online from every finished task.
 *
 * <p>On the engine loop, {@link #predictSeconds(TaskSpec, List)} builds the task's feature row and asks the tool
 * type's current model (a plain-Java evaluation, about a microsecond); it never blocks and never throws. Learning
 * happens on one background thread: {@link #observe(TaskSpec, List, double)} queues the sample; the thread extracts
 * features (reading image and audio files if needed), appends the sample to the dataset (in memory and in
 * {@code dataset.csv}), and trains when a tool type reaches {@code minSamplesToTrain} samples and again after every
 * {@code minSamplesToRetrain} more. Training drops run-time outliers (Tukey's far-out fences, IQR x 3, on the log of the run
 * time), holds out a seeded validation split, and
 * replaces the current model only if the new one's mean absolute error on that split is lower. The engine keeps
 * predicting with the old model meanwhile.
 *
 * <p>Fallbacks, in order, when a model cannot answer (none yet, no feature known, a non-finite result, an exception):
 * the tool type's running average of observed times, then Maze's per-resource heuristic (GPU 15 s, CPU 3 s,
 * I/O 1 s). Predictions are at least 0.1 s.
 */
public final class LearnedPredictor implements RuntimePredictor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LearnedPredictor.class);
    private static final double MIN_SECONDS = 0.1;

    /** Where a prediction came from. */
    public enum Source {
        MODEL,
        RUNNING_AVERAGE,
        HEURISTIC
    }

    /** A prediction with its reasons, for {@code maze predictor predict}. */
    public record Explained(double seconds, Source source, String toolType, Map<String, Double> features) {}

    /** What {@code maze predictor info} shows for one tool type. */
    public record ToolStatus(String toolType, List<String> features, int samples, double averageSeconds,
            String regressor, Integer trainedOnSamples, Double validationMae, Double validationMape, Instant trainedAt,
            String lastTraining, List<String> problems) {}

    /** Problems logged once, with how often each happened (in order of first sight, for the summary at close). */
    private final java.util.Map<String, Integer> repeatedWarnings = new java.util.LinkedHashMap<>();
    private final PredictorConfig config;
    private final ToolTypes toolTypes;
    private final ExecutorService learner;
    private final FeatureAssembler assembler;
    private final Trainer trainer;
    private final Map<String, ToolState> states = new ConcurrentHashMap<>();

    /** Trains a candidate model; the configured regressor, or a stand-in in tests. */
    interface Trainer {
        Model train(Dataset training, long seed) throws ModelTrainingException;
    }

    /** One tool type's samples and model. The samples are touched only on the learner thread. */
    private final class ToolState {
        final ToolType type;
        final ModelStore store;
        final Deque<double[]> rows = new ArrayDeque<>();
        final Deque<Double> targets = new ArrayDeque<>();
        final List<String> problems = new ArrayList<>();
        volatile ModelStore.Trained trained;
        volatile double averageSeconds = Double.NaN;
        /** What the last training did, in words (null before the first). */
        volatile String lastTraining;
        volatile int samples;
        /** Samples added since the last training started. */
        int sinceTraining;
        double sumSeconds;

        ToolState(ToolType type) {
            this.type = type;
            this.store = config.modelDir() == null || type.features().isEmpty() ? null : new ModelStore(config.modelDir(), type);
        }

        void add(double[] row, double seconds) {
            rows.addLast(row);
            targets.addLast(seconds);
            sumSeconds += seconds;
            if (rows.size() > config.maxSamples()) {
                rows.removeFirst();
                sumSeconds -= targets.removeFirst();
            }
            samples = rows.size();
            sinceTraining++;
            averageSeconds = sumSeconds / rows.size();
        }

        Dataset dataset() {
            return Dataset.of(type.features(), rows.toArray(double[][]::new),
                    targets.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    private LearnedPredictor(PredictorConfig config, ToolTypes toolTypes, boolean inline, Trainer trainer) {
        this.config = config;
        this.trainer = trainer != null ? trainer : config.regressor()::train;
        this.toolTypes = toolTypes;
        this.learner = inline ? null : Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "maze-predictor");
            thread.setDaemon(true);
            return thread;
        });
        this.assembler = new FeatureAssembler(learner);
    }

    /**
     * A predictor that learns and trains on the caller's thread, for the simulator: there the engine's virtual
     * clock must not race a training thread, or the same seed would not give the same run. In memory only.
     */
    public static LearnedPredictor inline(PredictorConfig config, ToolTypes toolTypes) {
        return inline(config, toolTypes, null);
    }

    static LearnedPredictor inline(PredictorConfig config, ToolTypes toolTypes, Trainer trainer) {
        return new LearnedPredictor(new PredictorConfig(null, config.regressor(), config.minSamplesToTrain(),
                config.minSamplesToRetrain(), config.validationFraction(), config.outlierFactor(), config.maxSamples(),
                config.seed()), toolTypes, true, trainer);
    }

    /** Runs learning work on the learner thread, or now when inline. */
    private void learning(Runnable work) {
        if (learner == null) {
            work.run();
        } else {
            learner.execute(work);
        }
    }

    /**
     * A predictor over {@code config.modelDir()}: every tool type folder found there is loaded (dataset and model;
     * problems are reported in {@link #status()} and the log, never thrown), and a tool type with enough samples but
     * no usable model is trained in the background.
     */
    public static LearnedPredictor open(PredictorConfig config, ToolTypes toolTypes) {
        LearnedPredictor predictor = new LearnedPredictor(config, toolTypes, false, null);
        predictor.loadAll(true);
        return predictor;
    }

    /**
     * The state of {@code config.modelDir()} for reading only ({@code maze predictor info}): nothing is trained,
     * rewritten or set aside; problems are only reported.
     */
    public static LearnedPredictor inspect(PredictorConfig config, ToolTypes toolTypes) {
        LearnedPredictor predictor = new LearnedPredictor(config, toolTypes, true, null);
        predictor.loadAll(false);
        return predictor;
    }

    private void loadAll(boolean repair) {
        if (config.modelDir() != null && Files.isDirectory(config.modelDir())) {
            try (var folders = Files.list(config.modelDir())) {
                for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                    loadFolder(folder, repair);
                }
            } catch (IOException e) {
                LOG.warn("cannot list model directory {}: {}", config.modelDir(), e.getMessage());
            }
        }
    }

    private void loadFolder(Path folder, boolean repair) {
        String name = folder.getFileName().toString();
        ToolType type = toolTypes.get(name);
        if (type == null) {
            LOG.warn("{}: '{}' is not a configured tool type; its folder is ignored", folder, name);
            return;
        }
        ToolState state = state(type);
        ModelStore.Loaded loaded = state.store.load(repair);
        state.problems.addAll(loaded.problems());
        if (repair) {
            loaded.problems().forEach(problem -> LOG.warn("{}", problem));
        }
        if (loaded.dataset() != null) {
            for (int i = 0; i < loaded.dataset().size(); i++) {
                state.add(loaded.dataset().row(i), loaded.dataset().target(i));
            }
        }
        state.trained = loaded.trained();
        state.sinceTraining = 0;
        if (repair && loaded.trained() == null && state.samples >= config.minSamplesToTrain()) {
            learning(() -> train(state));
        }
    }

    private ToolState state(ToolType type) {
        return states.computeIfAbsent(type.name(), name -> new ToolState(type));
    }

    @Override
    public double predictSeconds(TaskSpec task) {
        return predictSeconds(task, List.of());
    }

    @Override
    public double predictSeconds(TaskSpec task, List<Map<String, Double>> fromPredecessors) {
        try {
            return answer(task, fromPredecessors, false).seconds();
        } catch (RuntimeException e) {
            LOG.debug("prediction failed for {}; using the heuristic", task.id(), e);
            return heuristic(task);
        }
    }

    /**
     * The prediction for {@code task} and where it came from, with the features it used by name.
     *
     * @param blocking whether media features may be extracted now (true off the engine loop, e.g. in the CLI)
     */
    public Explained explain(TaskSpec task, List<Map<String, Double>> fromPredecessors, boolean blocking) {
        Answer answer = answer(task, fromPredecessors, blocking);
        return new Explained(answer.seconds(), answer.source(), answer.type().name(),
                answer.row() == null ? Map.of() : named(answer.type(), answer.row()));
    }

    /** A prediction before it is explained: naming the features is left to {@link #explain}, off the hot path. */
    private record Answer(double seconds, Source source, ToolType type, double[] row) {}

    private Answer answer(TaskSpec task, List<Map<String, Double>> fromPredecessors, boolean blocking) {
        ToolType type = toolTypes.resolve(task);
        ToolState state = state(type);
        double[] row = type.features().isEmpty() ? null
                : assembler.row(type, task, fromPredecessors, blocking || learner == null);
        ModelStore.Trained trained = state.trained;
        if (row != null && trained != null) {
            double[] filled = row.clone();
            fill(filled, trained.fillValues());
            double seconds = trained.model().predict(filled);
            if (Double.isFinite(seconds)) {
                return new Answer(Math.max(MIN_SECONDS, seconds), Source.MODEL, type, filled);
            }
        }
        double average = state.averageSeconds;
        if (average > 0) {
            return new Answer(Math.max(MIN_SECONDS, average), Source.RUNNING_AVERAGE, type, row);
        }
        return new Answer(heuristic(task), Source.HEURISTIC, type, row);
    }

    private static double heuristic(TaskSpec task) {
        return HeuristicPredictor.CLASS_DEFAULTS.get(task.resources().resourceClass());
    }

    private static void fill(double[] row, double[] fillValues) {
        for (int i = 0; i < row.length; i++) {
            if (Double.isNaN(row[i])) {
                row[i] = fillValues[i];
            }
        }
    }

    private static Map<String, Double> named(ToolType type, double[] row) {
        Map<String, Double> named = new TreeMap<>();
        for (int i = 0; i < row.length; i++) {
            if (!Double.isNaN(row[i])) {
                named.put(type.features().get(i), row[i]);
            }
        }
        return named;
    }

    @Override
    public void observe(TaskSpec task, double actualSeconds) {
        observe(task, List.of(), actualSeconds);
    }

    @Override
    public void observe(TaskSpec task, List<Map<String, Double>> fromPredecessors, double actualSeconds) {
        if (!Double.isFinite(actualSeconds) || actualSeconds < 0) {
            return;
        }
        ToolType type = toolTypes.resolve(task);
        try {
            learning(() -> learn(type, task, fromPredecessors, actualSeconds));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("predictor closed; sample of {} not learned", task.id());
        }
    }

    private void learn(ToolType type, TaskSpec task, List<Map<String, Double>> fromPredecessors, double seconds) {
        ToolState state = state(type);
        double[] row = type.features().isEmpty() ? new double[0] : assembler.row(type, task, fromPredecessors, true);
        if (row == null) {
            row = new double[type.features().size()];
            java.util.Arrays.fill(row, Double.NaN);
        }
        record(state, row, seconds);
        boolean due = state.trained == null
                ? state.samples >= config.minSamplesToTrain() && state.sinceTraining >= Math.min(state.samples, config.minSamplesToRetrain())
                : state.sinceTraining >= config.minSamplesToRetrain();
        if (due && !type.features().isEmpty()) {
            train(state);
        }
    }

    /** Adds one sample in memory and to the dataset file. Runs on the learner thread. */
    private void record(ToolState state, double[] row, double seconds) {
        for (double value : row) {
            if (Math.abs(value) > Dataset.MAX_FEATURE_MAGNITUDE) { // NaN (missing) passes
                warnOnce("ignored " + state.type.name() + " samples with a feature beyond +-"
                        + Dataset.MAX_FEATURE_MAGNITUDE + " (training would overflow)");
                return;
            }
        }
        state.add(row, seconds);
        if (state.store != null) {
            try {
                state.store.append(row, seconds);
            } catch (IOException e) {
                warnOnce("cannot save " + state.type.name() + " samples to " + state.store.folder() + ": " + e.getMessage());
            }
        }
    }

    /** Trains a candidate on the current samples and keeps it if it validates better. Runs on the learner thread. */
    private void train(ToolState state) {
        state.sinceTraining = 0;
        String tooFew = tooFewInformative(state);
        if (tooFew != null) {
            // Runs whose tasks stated no feature teach a model nothing: their mean already predicts them.
            state.lastTraining = tooFew;
            return;
        }
        Dataset all = state.dataset();
        double[] fill = state.type.fillValues(all);
        Dataset clean = all.fillMissing(fill).filterTargetOutliers(config.outlierFactor(), true);
        if (clean.size() < config.minSamplesToTrain() / 2) {
            state.lastTraining = "not trained: " + (all.size() - clean.size()) + " of " + all.size()
                    + " samples are outliers; waiting for more";
            return;
        }
        Dataset.Split split = clean.split(1 - config.validationFraction(), config.seed());
        try {
            Model candidate = trainer.train(split.train(), config.seed());
            Metrics.Evaluation mine = Metrics.evaluate(candidate, split.test());
            ModelStore.Trained current = state.trained;
            if (current != null) {
                double theirs = Metrics.evaluate(current.model(), split.test()).mae();
                if (!(mine.mae() < theirs)) {
                    state.lastTraining = "kept the current model: a new " + config.regressor().id() + " model on "
                            + all.size() + " samples validates at MAE " + round(mine.mae()) + " s, the current one at "
                            + round(theirs) + " s";
                    LOG.info("{}: {}", state.type.name(), state.lastTraining);
                    return;
                }
            }
            ModelStore.Trained trained = new ModelStore.Trained(candidate, fill, all.size(), mine.mae(), mine.mape(),
                    Instant.now());
            state.trained = trained;
            state.lastTraining = "trained a " + config.regressor().id() + " model on " + all.size() + " samples ("
                    + (all.size() - clean.size()) + " outliers left out): validation MAE " + round(mine.mae()) + " s, MAPE "
                    + round(100 * mine.mape()) + "%";
            LOG.info("{}: {}", state.type.name(), state.lastTraining);
            if (state.store != null) {
                state.store.save(config.regressor(), trained);
            }
        } catch (ModelTrainingException | RuntimeException e) {
            state.lastTraining = "training failed (" + e.getMessage() + "); predictions keep the current model or the fallbacks";
            LOG.warn("{}: {}", state.type.name(), state.lastTraining);
        } catch (IOException e) {
            warnOnce(state.type.name() + ": cannot save the model to " + state.store.folder() + ": " + e.getMessage());
        }
    }

    /**
     * Why {@code state} cannot be trained although it has enough samples: too few of them have any feature (the
     * tasks' inputs give none, e.g. a prompt in a field its tool type does not read); null when enough do.
     */
    private String tooFewInformative(ToolState state) {
        long informative = state.rows.stream().filter(LearnedPredictor::anyKnown).count();
        if (informative >= config.minSamplesToTrain()) {
            return null;
        }
        List<String> inputs = state.type.sources().stream().map(source -> "inputs." + source.input()).toList();
        return "not trained: " + informative + " of " + state.samples + " samples have any feature; a model needs "
                + config.minSamplesToTrain() + ". " + state.type.name() + " reads its features from "
                + (inputs.isEmpty() ? "" : String.join(", ", inputs) + " and ") + "the task's features or its "
                + "predecessors' succ_task_feat: check that its tasks give them";
    }

    private static boolean anyKnown(double[] row) {
        for (double value : row) {
            if (!Double.isNaN(value)) {
                return true;
            }
        }
        return false;
    }

    /** Maze's defaults where the tool type has one, else the training median (0 for a feature never seen). */
    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /**
     * Adds {@code samples} (rows in the tool type's feature order) to {@code toolTypeName}'s dataset and trains now,
     * whatever the thresholds; returns when done ({@code maze predictor train}). Runs already in the dataset (the same
     * features and time) are not added again.
     *
     * @throws IllegalArgumentException for a tool type that is not configured or has no features, or fewer samples
     *     in all than {@code minSamplesToTrain}
     */
    public ToolStatus train(String toolTypeName, Dataset samples) throws InterruptedException {
        ToolType type = toolTypes.get(toolTypeName);
        if (type == null || type.features().isEmpty()) {
            throw new IllegalArgumentException(ToolTypes.unknownToolType(toolTypeName, toolTypes.names()));
        }
        if (!samples.featureNames().equals(type.features())) {
            throw new IllegalArgumentException("the samples' columns " + samples.featureNames() + " are not "
                    + toolTypeName + "'s features " + type.features());
        }
        ToolState state = state(type);
        // On the learner thread, which alone touches the samples; returns why it refused, or null.
        java.util.function.Supplier<String> work = () -> {
            // Importing the same file twice must not double its runs (and leak them into the validation split).
            java.util.Set<List<Double>> present = new java.util.HashSet<>();
            java.util.Iterator<Double> targets = state.targets.iterator();
            for (double[] row : state.rows) {
                present.add(signature(row, targets.next()));
            }
            List<Integer> fresh = new ArrayList<>();
            for (int i = 0; i < samples.size(); i++) {
                if (present.add(signature(samples.row(i), samples.target(i)))) {
                    fresh.add(i);
                }
            }
            if (state.samples + fresh.size() < config.minSamplesToTrain()) { // refused before anything is written
                return toolTypeName + " would have " + (state.samples + fresh.size())
                        + " samples; training needs at least " + config.minSamplesToTrain();
            }
            for (int i : fresh) {
                record(state, samples.row(i), samples.target(i));
            }
            train(state);
            return null;
        };
        String refused;
        try {
            refused = learner == null ? work.get() : learner.submit(work::get).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (refused != null) {
            throw new IllegalArgumentException(refused);
        }
        return status().stream().filter(s -> s.toolType().equals(toolTypeName)).findFirst().orElseThrow();
    }

    private static List<Double> signature(double[] row, double seconds) {
        List<Double> key = new ArrayList<>(row.length + 1);
        for (double value : row) {
            key.add(value);
        }
        key.add(seconds);
        return key;
    }

    /** Waits until every sample observed so far is learned and any training it started is done (tests, CLI). */
    public void awaitIdle() throws InterruptedException {
        if (learner == null) {
            return;
        }
        try {
            learner.submit(() -> {}).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** One line of status per tool type seen or loaded, sorted by name. */
    public List<ToolStatus> status() {
        List<ToolStatus> list = new ArrayList<>();
        for (ToolState state : new TreeMap<>(states).values()) {
            ModelStore.Trained trained = state.trained;
            if (trained == null && state.lastTraining == null && learner == null && !state.type.features().isEmpty()
                    && state.samples >= config.minSamplesToTrain()) {
                // Read only (predictor info) or inline: nothing trained yet, so say what training would say. The
                // samples are touched on this thread alone here.
                state.lastTraining = tooFewInformative(state);
            }
            list.add(new ToolStatus(state.type.name(), state.type.features(), state.samples, state.averageSeconds,
                    trained == null ? null : trained.model().kind(), trained == null ? null : trained.samples(),
                    trained == null ? null : trained.validationMae(), trained == null ? null : trained.validationMape(),
                    trained == null ? null : trained.trainedAt(), state.lastTraining, List.copyOf(state.problems)));
        }
        return list;
    }

    /** Finishes learning what was observed (saving it), then stops the background thread. */
    @Override
    public void close() {
        if (learner == null) {
            return;
        }
        learner.shutdown();
        try {
            if (!learner.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("predictor still learning after 60 s; samples not yet saved may be lost");
                learner.shutdownNow();
            }
        } catch (InterruptedException e) {
            learner.shutdownNow();
            Thread.currentThread().interrupt();
        }
        synchronized (repeatedWarnings) {
            repeatedWarnings.forEach((problem, count) -> {
                if (count > 1) {
                    LOG.warn("{} ({} times in all)", problem, count);
                }
            });
        }
    }

    /**
     * Logs a problem the first time it happens and counts its repeats, summed up at {@link #close()}: one failing
     * directory must not print one line per task.
     */
    private void warnOnce(String problem) {
        int seen;
        synchronized (repeatedWarnings) {
            seen = repeatedWarnings.merge(problem, 1, Integer::sum);
        }
        if (seen == 1) {
            LOG.warn("{} (repeats are counted, not printed)", problem);
        }
    }
}
