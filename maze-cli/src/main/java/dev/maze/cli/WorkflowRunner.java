package dev.maze.cli;

import dev.maze.core.endpoint.ModelRegistry;
import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EngineStats;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.metrics.RunSummary;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.profile.SchedulerProfile;
import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser;
import dev.maze.core.workflow.WorkflowSpec;
import dev.maze.predict.LearnedPredictor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Shared by {@code run} and {@code demo}: load, validate, run on the embedded engine, report. */
final class WorkflowRunner {

    private WorkflowRunner() {}

    /** Parses every file; all problems of all files are reported together. */
    static List<WorkflowSpec> load(List<Path> files) throws ValidationException {
        List<WorkflowSpec> specs = new ArrayList<>();
        List<ValidationError> errors = new ArrayList<>();
        for (Path file : files) {
            try {
                specs.addAll(WorkflowParser.parseFile(file));
            } catch (ValidationException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return specs;
    }

    /** Prints validation problems the way every command does; returns the exit code for invalid input. */
    static int reportInvalid(ValidationException e, PrintWriter err) {
        int count = e.errors().size();
        err.println("maze: invalid input (" + count + (count == 1 ? " problem" : " problems") + "); nothing was run:");
        for (ValidationError error : e.errors()) {
            err.println("  " + error);
        }
        err.flush();
        return MazeCommand.EXIT_INVALID;
    }

    /**
     * Options of one run.
     *
     * @param scheduler what schedules: a profile, or an ordering alone on run's defaults
     * @param chosenBy "profile" or "policy": which option chose it, for messages
     * @param predictor the predictor options; a scheduler whose predictor is the learned one opens it with them
     * @param models the model registry's file, if any: its endpoints join {@code nodes}, model calls go to them
     */
    record Settings(SchedulerProfile scheduler, String chosenBy, List<NodeSpec> nodes, long seed, boolean json,
            boolean quiet, PredictorOptions predictor, Map<String, TaskExecutor> executors, ModelsOption models) {

        /** "policy daps", "profile mars": what the summary names. */
        String label() {
            return chosenBy + " " + scheduler.name();
        }
    }

    /** What a run stopped by a signal had done: one line, so that it is seen under a terminal's ^C. */
    static String interruptedSummary(List<CompletableFuture<WorkflowSnapshot>> ends) {
        Map<WorkflowState, Integer> counts = new EnumMap<>(WorkflowState.class);
        for (CompletableFuture<WorkflowSnapshot> end : ends) {
            WorkflowSnapshot snapshot = end.getNow(null);
            WorkflowState state = snapshot == null ? WorkflowState.CANCELLED : snapshot.state();
            counts.merge(state, 1, Integer::sum);
        }
        return "\nmaze: stopped by a signal: " + counts.getOrDefault(WorkflowState.FINISHED, 0) + " finished, "
                + counts.getOrDefault(WorkflowState.FAILED, 0) + " failed, "
                + counts.getOrDefault(WorkflowState.CANCELLED, 0) + " cancelled of " + ends.size()
                + " workflow(s); running tasks were stopped";
    }

    /**
     * How a run's workflows reach its engine: through its Java API ({@link #direct}, {@code maze run}), or through
     * the HTTP API of a server around it ({@code maze demo}).
     */
    interface Submission extends AutoCloseable {
        /** What the engine needs for this way of submitting (a journal, a listener); by default nothing. */
        default Engine.Builder configure(Engine.Builder builder) throws Exception {
            return builder;
        }

        /**
         * Hands the batch to the started engine.
         *
         * @param registry the model registry, or null: model calls are routed to its endpoints
         * @param err where to say anything the user should know first
         * @return each workflow's end
         */
        List<CompletableFuture<WorkflowSnapshot>> submit(Engine engine, ModelRegistry registry, PrintWriter err)
                throws Exception;

        /** Called once every workflow ended and the summary is printed, before the engine stops. */
        default void finished(PrintWriter err) throws InterruptedException {}

        /** Called after the engine stopped. */
        @Override
        default void close() {}
    }

    /** Submits {@code specs} through the engine's Java API, routed by the registry. */
    static Submission direct(List<WorkflowSpec> specs) {
        return (engine, registry, err) -> engine.submitAll(registry == null ? specs : registry.routeAll(specs)).stream()
                .map(WorkflowHandle::result).toList();
    }

    /** The engine a command schedules with: its profile on these nodes, with its executors and seed. */
    static Engine.Builder engine(Settings settings, List<NodeSpec> nodes, LearnedPredictor learned) {
        return settings.scheduler().configure(Engine.builder(), nodes, learned).executors(settings.executors())
                .seed(settings.seed());
    }

    /** The nodes a command schedules on: the settings' and, with a registry, its endpoints. */
    static List<NodeSpec> nodes(Settings settings, ModelRegistry registry) {
        List<NodeSpec> nodes = new ArrayList<>(settings.nodes());
        if (registry != null) {
            nodes.addAll(registry.nodes());
        }
        return nodes;
    }

    /**
     * Runs the workflows to completion on an embedded engine and prints the summary (a table, or JSON on stdout).
     *
     * @throws ValidationException when the batch is invalid; nothing ran
     */
    static RunSummary run(List<WorkflowSpec> specs, Settings settings, PrintWriter out, PrintWriter err)
            throws Exception {
        return run(direct(specs), settings, out, err);
    }

    /** As {@link #run(List, Settings, PrintWriter, PrintWriter)}, the workflows handed over by {@code submission}. */
    static RunSummary run(Submission submission, Settings settings, PrintWriter out, PrintWriter err)
            throws Exception {
        ModelRegistry registry = settings.models() == null ? null : settings.models().registry();
        List<NodeSpec> nodes = nodes(settings, registry);
        Progress progress = new Progress(err, Progress.stderrIsTerminal(), !settings.quiet());
        List<WorkflowSnapshot> results = new ArrayList<>();
        SchedulerProfile scheduler = settings.scheduler();
        LearnedPredictor learned = scheduler.predictor().learned() ? settings.predictor().open() : null;
        RunSummary summary;
        // The predictor closes last: it saves what it learned from this run's tasks before the command exits.
        try (submission;
                progress;
                LearnedPredictor closedLast = learned;
                Engine engine = submission.configure(engine(settings, nodes, learned).listener(progress)).build()) {
            engine.start();
            List<CompletableFuture<WorkflowSnapshot>> ends = submission.submit(engine, registry, err);
            if (!settings.json() && !settings.quiet()) {
                err.println("maze: running " + ends.size() + " workflow(s) with " + describe(settings, engine.policyName())
                        + " on " + describe(nodes) + "; predictor "
                        + (scheduler.predictor().learned() ? settings.predictor().describe(learned) : scheduler.predictor().name()));
                err.flush();
            }
            // Ctrl-C (or a kill) cancels the run: running processes and their children are stopped, not orphaned, and
            // the user hears what finished and what was cancelled (the JVM then exits 128 + the signal's number).
            Thread onExit = new Thread(() -> {
                engine.close();
                err.println(interruptedSummary(ends));
                err.flush();
            }, "maze-shutdown");
            Runtime.getRuntime().addShutdownHook(onExit);
            progress.start(); // after the line above: a line printed under the first frame would leave it stale
            progress.watchWaiting(engine); // tasks that wait long say why
            for (CompletableFuture<WorkflowSnapshot> end : ends) {
                results.add(end.join());
            }
            EngineStats stats = engine.stats().join();
            Runtime.getRuntime().removeShutdownHook(onExit);
            progress.close(); // the live table ends before the summary
            summary = RunSummary.of(results, stats.gpuBusySeconds(), stats.gpus());
            if (settings.json()) {
                out.println(SummaryReport.json(summary));
            } else {
                SummaryReport.table(summary, settings.label(), out);
            }
            out.flush();
            submission.finished(err);
        }
        return summary;
    }

    /** 0 when every workflow finished, 1 otherwise. */
    static int exitCode(RunSummary summary) {
        return summary.completed() == summary.workflows().size() ? 0 : MazeCommand.EXIT_FAILED;
    }

    /** "policy daps" for --policy; "profile mars (its description)" for --profile. */
    private static String describe(Settings settings, String policyName) {
        return settings.chosenBy().equals("policy") ? "policy " + policyName
                : "profile " + settings.scheduler().name() + " (" + settings.scheduler().description() + ")";
    }

    static String describe(List<NodeSpec> nodes) {
        StringBuilder text = new StringBuilder();
        for (NodeSpec node : nodes) {
            if (!text.isEmpty()) {
                text.append("; ");
            }
            if (node.endpoint() != null) { // its URL is not shown: it may hold a key
                text.append(String.format("endpoint %s (%s, %d at once)", node.endpoint().id(),
                        String.join(", ", new java.util.TreeSet<>(node.endpoint().models().keySet())),
                        node.endpoint().maxConcurrency()));
                continue;
            }
            text.append(String.format("node %s (%s cores, %.0f GB, %d GPU%s%s)", node.id(), trim(node.cpu()), node.memoryGb(),
                    node.gpus().size(), node.gpus().size() == 1 ? "" : "s",
                    node.gpus().isEmpty() ? "" : " of " + trim(node.gpus().get(0).memoryGb()) + " GB, " + node.gpus().get(0).name()));
        }
        return text.toString();
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
