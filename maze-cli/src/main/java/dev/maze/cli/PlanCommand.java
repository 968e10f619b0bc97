package dev.maze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.maze.core.predict.HeuristicPredictor;
import dev.maze.core.predict.RuntimePredictor;
import dev.maze.core.workflow.ValidationException;
import dev.maze.offline.BatchFile;
import dev.maze.offline.Cluster;
import dev.maze.offline.GanttPng;
import dev.maze.offline.GanttSvg;
import dev.maze.offline.LowerBounds;
import dev.maze.offline.OnlineComparison;
import dev.maze.offline.Model;
import dev.maze.offline.Plan;
import dev.maze.offline.PlanExecution;
import dev.maze.offline.PlanJson;
import dev.maze.offline.Problem;
import dev.maze.offline.StgLoader;
import dev.maze.offline.Strategies;
import dev.maze.offline.Strategy;
import dev.maze.offline.Verifier;
import dev.maze.offline.WfCommonsLoader;
import dev.maze.predict.LearnedPredictor;
import dev.maze.predict.PredictorConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code maze plan FILE}: plans a backlog offline (maze-offline) with each strategy and compares the plans, every one
 * re-checked by the verifier; or, with {@code --verify}, re-checks a plan written earlier.
 */
@Command(name = "plan", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Plan a backlog of workflows offline for the least makespan, with each strategy, and compare the plans.",
                "FILE is a Maze batch file (YAML/JSON: cluster, models, requests), an STG task graph (.stg) or a",
                "WfCommons instance (WfFormat 1.5 JSON), detected or named by --format. Prints, per strategy, the",
                "makespan, switches, switch seconds, utilisation spread, lower bound, gap to it and planning time;",
                "every plan is verified (dependencies, one task per GPU at a time, contiguous GPU groups, switches",
                "charged) before it is reported."},
        footer = {"", "Exit codes: 0 planned (or --verify: the plan is valid), 1 --verify found violations, 2 invalid "
                + "input, 3 Maze failed (a strategy produced an invalid plan: a bug)."})
final class PlanCommand implements Callable<Integer> {

    /** The longest --time-limit, seconds. */
    static final double MAX_TIME_LIMIT = 3_600;

    enum Format { batch, stg, wfcommons }

    @Parameters(index = "0", paramLabel = "FILE", description = "The backlog: batch YAML/JSON, .stg or WfCommons JSON.")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "batch, stg or wfcommons. Default: by extension and content (.stg; JSON with "
                    + "workflow.specification; else batch).")
    Format format;

    @Option(names = "--gpus", paramLabel = "G",
            description = "GPUs, 1 to 4,096: required for stg and wfcommons (they name no cluster); for a batch file it "
                    + "overrides cluster.gpus.")
    Integer gpus;

    @Option(names = "--strategy", defaultValue = "all", paramLabel = "NAME",
            description = "A strategy, comma-separated ones, or all. Known: ${COMPLETION-CANDIDATES}. "
                    + "Default: ${DEFAULT-VALUE}.", completionCandidates = StrategyNames.class)
    String strategy;

    @Option(names = "--time-limit", defaultValue = "5", paramLabel = "S",
            description = "Seconds a strategy's improvement phase may search (greedy ones ignore it). "
                    + "Default: ${DEFAULT-VALUE}.")
    double timeLimit;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Seed of every random choice. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--models", paramLabel = "FILE",
            description = "wfcommons only: models by task category (command.program), models: [{name, memoryGb, "
                    + "gpusRequired}]; others move 0 GB on 1 GPU.")
    Path modelsFile;

    @Option(names = "--predictor", defaultValue = "learned", paramLabel = "KIND",
            description = {"Batch files: how a task that states no seconds is estimated: learned (the predictor of",
                    "--model-dir, as maze run trains it; a tool type it has not learned gets the heuristic) or heuristic",
                    "(GPU 15 s). Stated seconds always win. Default: ${DEFAULT-VALUE}."})
    String predictor;

    @CommandLine.Mixin
    ModelOptions predictorModels;

    @Option(names = "--json", description = "Print a JSON array, one plan object per strategy, instead of the table.")
    boolean json;

    @Option(names = "--gantt", paramLabel = "FILE.svg|FILE.png|FILE.html",
            description = "Write a Gantt chart of the first strategy's plan: SVG, PNG, or HTML embedding the SVG.")
    Path gantt;

    @Option(names = "--verify", paramLabel = "PLAN.json",
            description = "Plan nothing: re-check PLAN.json (as --json wrote it: one plan object or the array) "
                    + "against FILE's problem and print its violations.")
    Path verify;

    @Option(names = "--compare-online",
            description = "Also run the backlog online through maze simulate's profiles (daps, daps-warm, mars) on the "
                    + "same GPUs and switch costs, and print their makespans beside the plans'.")
    boolean compareOnline;

    @Option(names = "--execute",
            description = "Also run each plan on the engine: its order as the ordering policy, its GPUs as the "
                    + "placement; prints planned against executed makespan. Needs --simulate.")
    boolean execute;

    @Option(names = "--simulate", description = "With --execute: on the virtual clock, each task a sim task of its time.")
    boolean simulate;

    @Option(names = "--time-factor", defaultValue = "1", paramLabel = "F",
            description = "With --execute: tasks run F times their estimate (estimates are never exact). Default: "
                    + "${DEFAULT-VALUE}.")
    double timeFactor;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The simulator's profiles --compare-online runs. */
    static final List<String> ONLINE_PROFILES = List.of("daps", "daps-warm", "mars");

    /** Strategies besides the registered ones, by name (tests put a broken one here). */
    Map<String, Strategy> extraStrategies = Map.of();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (gpus != null) {
            OptionRange.whole(spec, "--gpus", gpus, 1, 4_096);
        }
        OptionRange.positive(spec, "--time-limit", timeLimit, MAX_TIME_LIMIT, "seconds");
        if (!predictor.equals("learned") && !predictor.equals("heuristic")) {
            throw usage("--predictor must be 'learned' or 'heuristic', got '" + predictor + "'");
        }
        List<Strategy> strategies = strategies();
        if (verify != null && (json || gantt != null)) {
            throw usage("--verify checks a plan and writes none: drop " + (json ? "--json" : "--gantt"));
        }
        if (gantt != null) {
            String name = gantt.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!name.endsWith(".svg") && !name.endsWith(".png") && !name.endsWith(".html") && !name.endsWith(".htm")) {
                throw usage("--gantt " + gantt + ": write .svg, .png or .html");
            }
        }
        if ((simulate || timeFactor != 1) && !execute) {
            throw usage((simulate ? "--simulate" : "--time-factor") + " goes with --execute");
        }
        if (execute && !simulate) {
            throw usage("--execute runs a plan's tasks as simulated ones (a backlog holds estimates, not programs): "
                    + "add --simulate");
        }
        if (!(timeFactor > 0) || timeFactor > 100) {
            throw usage("--time-factor must be above 0 and at most 100, not " + timeFactor);
        }
        Problem problem = problem();
        if (verify != null) {
            return verify(problem, out);
        }
        LowerBounds bounds = LowerBounds.of(problem);
        Strategy.Budget budget = new Strategy.Budget(timeLimit, seed);
        List<Plan> plans = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        for (Strategy s : strategies) {
            long began = System.nanoTime();
            Plan plan = s.plan(problem, budget);
            millis.add((System.nanoTime() - began) / 1e6);
            List<String> violations = Verifier.violations(plan);
            if (!violations.isEmpty()) {
                err.println("maze: strategy " + s.name() + " produced an invalid plan (a bug in Maze): "
                        + String.join("; ", violations.subList(0, Math.min(5, violations.size())))
                        + (violations.size() > 5 ? "; and " + (violations.size() - 5) + " more" : ""));
                err.flush();
                return MazeCommand.EXIT_UNEXPECTED;
            }
            plans.add(plan);
        }
        if (gantt != null) {
            try {
                Path parent = gantt.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                String name = gantt.getFileName().toString().toLowerCase(Locale.ROOT);
                if (name.endsWith(".png")) {
                    Files.write(gantt, GanttPng.png(plans.get(0)));
                } else {
                    Files.writeString(gantt, name.endsWith(".svg") ? GanttSvg.svg(plans.get(0)) : GanttSvg.html(plans.get(0)));
                }
            } catch (IOException e) {
                throw usage("cannot write --gantt " + gantt + ": " + FileErrors.describe(e));
            }
        }
        Map<String, Double> online = new LinkedHashMap<>();
        if (compareOnline) {
            for (String profile : ONLINE_PROFILES) {
                online.put(profile, OnlineComparison.makespan(problem, profile, seed));
            }
        }
        List<PlanExecution.Result> executed = new ArrayList<>();
        if (execute) {
            for (Plan plan : plans) {
                executed.add(PlanExecution.run(plan, timeFactor));
            }
        }
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ArrayNode array = mapper.createArrayNode();
            for (int i = 0; i < plans.size(); i++) {
                var object = PlanJson.write(plans.get(i), bounds, millis.get(i));
                if (estimated > 0) {
                    object.put("estimatedTasks", estimated);
                }
                if (execute) {
                    object.putObject("executed").put("timeFactor", timeFactor)
                            .put("makespan", executed.get(i).actualMakespan())
                            .put("modelLoads", executed.get(i).modelLoads());
                }
                array.add(object);
            }
            online.forEach((profile, makespan) -> array.addObject().put("online", profile).put("makespan", makespan)
                    .putPOJO("gap", PlanJson.gap(makespan, bounds.withoutEvictionCharge())));
            out.println(mapper.writeValueAsString(array));
        } else {
            table(problem, bounds, plans, millis, out);
            if (execute) {
                out.printf(Locale.ROOT, "executed on the engine (virtual clock, tasks %s x their estimates):%n",
                        num(timeFactor));
                for (int i = 0; i < plans.size(); i++) {
                    PlanExecution.Result run = executed.get(i);
                    out.printf(Locale.ROOT, "  %-10s planned %s s, executed %s s (%+.1f%%), %d model loads%n",
                            plans.get(i).strategy(), num(run.plannedMakespan()), num(run.actualMakespan()),
                            100 * (run.actualMakespan() / run.plannedMakespan() - 1), run.modelLoads());
                }
            }
            if (!online.isEmpty()) {
                double best = plans.stream().mapToDouble(Plan::makespan).min().orElse(Double.NaN);
                out.println("online, the same backlog through maze simulate's profiles (all submitted at time 0):");
                online.forEach((profile, makespan) -> {
                    Double gap = PlanJson.gap(makespan, bounds.withoutEvictionCharge());
                    out.printf(Locale.ROOT, "  %-10s makespan %s s, gap %s%%, %.1f%% longer than the best plan%n",
                            profile, num(makespan), gap == null ? "-" : String.format(Locale.ROOT, "%.1f", 100 * gap),
                            100 * (makespan / best - 1));
                });
            }
        }
        out.flush();
        return 0;
    }

    private void table(Problem problem, LowerBounds bounds, List<Plan> plans, List<Double> millis, PrintWriter out) {
        out.printf(Locale.ROOT, "%s: %d tasks, %d models, %d GPUs; lower bound %s s (path %s, work %s, window %s, "
                + "loads %s)%n", file, problem.size(), problem.modelCount(), problem.gpus(), num(bounds.best()),
                num(bounds.path()), num(bounds.work()), num(bounds.window()), num(bounds.loads()));
        if (estimated > 0) {
            out.printf(Locale.ROOT, "%d task(s) state no seconds: estimated by the %s predictor%s%n", estimated, predictor,
                    predictor.equals("learned") ? " of " + predictorModels.modelDir() : "");
        }
        int width = Math.max("strategy".length(), plans.stream().mapToInt(p -> p.strategy().length()).max().orElse(0));
        String row = "%-" + width + "s  %12s  %8s  %10s  %7s  %12s  %7s  %10s%n";
        out.printf(Locale.ROOT, row, "strategy", "makespan s", "switches", "switch s", "spread", "lower bound", "gap %",
                "planning ms");
        for (int i = 0; i < plans.size(); i++) {
            Plan plan = plans.get(i);
            List<Plan.Switch> switches = plan.switches();
            Double gap = PlanJson.gap(plan.makespan(), bounds.best());
            out.printf(Locale.ROOT, row, plan.strategy(), num(plan.makespan()), switches.size(),
                    num(switches.stream().mapToDouble(Plan.Switch::seconds).sum()),
                    String.format(Locale.ROOT, "%.3f", plan.utilisationSpread()), num(bounds.best()),
                    gap == null ? "-" : String.format(Locale.ROOT, "%.1f", 100 * gap),
                    String.format(Locale.ROOT, "%.1f", millis.get(i)));
        }
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private int verify(Problem problem, PrintWriter out) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(verify.toFile());
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw usage("--verify " + verify + ": not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw usage("--verify " + verify + ": " + FileErrors.describe(e));
        }
        List<JsonNode> objects = new ArrayList<>();
        if (root != null && root.isArray()) {
            root.forEach(objects::add);
        } else {
            objects.add(root);
        }
        if (objects.isEmpty()) {
            throw usage("--verify " + verify + ": the array holds no plan");
        }
        int bad = 0;
        for (JsonNode node : objects) {
            PlanJson.Checked checked;
            try {
                checked = PlanJson.read(node, problem, verify.toString());
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            if (checked.violations().isEmpty()) {
                out.println(checked.strategy() + ": valid (makespan " + num(checked.plan().makespan()) + " s, "
                        + checked.plan().switches().size() + " switches)");
            } else {
                bad++;
                out.println(checked.strategy() + ": " + checked.violations().size() + " violation(s)");
                checked.violations().forEach(v -> out.println("  " + v));
            }
        }
        return bad == 0 ? 0 : MazeCommand.EXIT_FAILED;
    }

    private List<Strategy> strategies() {
        List<Strategy> chosen = new ArrayList<>();
        for (String name : strategy.split(",")) {
            String n = name.strip();
            if (n.equals("all")) {
                Strategies.all().stream().filter(s -> !chosen.contains(s)).forEach(chosen::add);
                continue;
            }
            if (extraStrategies.containsKey(n)) {
                chosen.add(extraStrategies.get(n));
                continue;
            }
            try {
                Strategy s = Strategies.named(n);
                if (!chosen.contains(s)) {
                    chosen.add(s);
                }
            } catch (IllegalArgumentException e) {
                throw usage("--strategy: " + e.getMessage());
            }
        }
        return chosen;
    }

    private Problem problem() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw usage("file '" + file + "' does not exist or is not a file");
        }
        if (modelsFile != null && !Files.isRegularFile(modelsFile)) {
            throw usage("--models file '" + modelsFile + "' does not exist or is not a file");
        }
        try {
            Format chosen = format != null ? format : detect(file);
            if (modelsFile != null && chosen != Format.wfcommons) {
                throw usage("--models applies to WfCommons instances only; " + file + " is read as " + chosen);
            }
            if (chosen != Format.batch && gpus == null) {
                throw usage(file + " is read as " + chosen + ", which names no cluster: give --gpus G");
            }
            return switch (chosen) {
                case batch -> batch();
                case stg -> StgLoader.problem(file, gpus);
                case wfcommons -> WfCommonsLoader.problem(file, Cluster.of(gpus),
                        modelsFile == null ? Map.<String, Model>of() : BatchFile.models(modelsFile));
            };
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** Tasks of the batch file whose seconds the predictor estimated (0 for other formats). */
    private int estimated;

    /** The batch file's problem, tasks without seconds estimated by {@code --predictor}. */
    private Problem batch() throws IOException {
        LearnedPredictor learned = null;
        try {
            if (predictor.equals("learned")) {
                // read-only: planning must not train, rewrite or set aside anything in the model directory
                learned = LearnedPredictor.inspect(PredictorConfig.defaults(predictorModels.modelDir()),
                        predictorModels.toolTypes());
            }
        } catch (ValidationException e) {
            throw usage(e.getMessage());
        }
        try (LearnedPredictor closing = learned) {
            RuntimePredictor base = learned != null ? learned : new HeuristicPredictor();
            return BatchFile.read(file, gpus, task -> {
                estimated++;
                return base.predictSeconds(task);
            });
        }
    }

    /** {@code .stg}: stg; a JSON document with a {@code workflow} object: wfcommons; anything else: batch. */
    static Format detect(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".stg")) {
            return Format.stg;
        }
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return Format.batch;
        }
        try {
            JsonNode root = new ObjectMapper().readTree(file.toFile());
            return WfCommonsLoader.looksLike(root) ? Format.wfcommons : Format.batch;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            return Format.batch; // the batch loader says what is wrong with it
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** The strategy names for help and completion. */
    static final class StrategyNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            List<String> names = new ArrayList<>(Strategies.all().stream().map(Strategy::name).toList());
            names.add("all");
            return names.iterator();
        }
    }
}
