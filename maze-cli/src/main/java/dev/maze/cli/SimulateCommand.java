package dev.maze.cli;

import dev.maze.core.profile.SchedulerProfiles;
import dev.maze.core.sim.ProfileSummary;
import dev.maze.core.sim.Simulation;
import dev.maze.core.sim.SimulationMetrics;
import dev.maze.core.sim.SimulationResult;
import dev.maze.core.sim.Workload;
import dev.maze.core.sim.WorkloadParser;
import dev.maze.core.workflow.ValidationException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code maze simulate WORKLOAD}: runs a simulated workload with each listed scheduler profile on seeds
 * N..N+K−1 (the real engine on a virtual clock) and compares the profiles: a table or JSON on stdout, files and
 * charts with {@code --out}.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Simulate a workload (YAML/JSON) with scheduler profiles on a virtual clock and compare them.",
                "Each profile runs on seeds N..N+K-1; with K > 1 every figure is the mean with its 95%% confidence "
                        + "interval, and profiles are compared to daps seed by seed (paired ratios).",
                "Progress goes to stderr; the table (or --json) to stdout."},
        footer = {"", "Exit codes: 0 the simulations ran, 1 a simulation failed, 2 invalid input (nothing ran)."})
final class SimulateCommand implements Callable<Integer> {

    /** The profile every other is compared to. */
    static final String BASELINE = "daps";
    /** The most seeds one command runs per profile (each is a whole simulation). */
    static final int MAX_SEEDS = 1_000;

    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "Workload file (.yaml, .yml, .json).")
    Path workloadFile;

    @Option(names = {"--policy", "--profile"}, defaultValue = "all", paramLabel = "PROFILE",
            description = {"Scheduler profiles to compare, comma-separated, or all (repeatable). Despite its historical",
                    "name --policy names whole profiles (ordering, placement, model residency, head-of-line rule,",
                    "predictor, admission), the same ones `maze run --profile` runs; --profile is the same option.",
                    "Known: ${COMPLETION-CANDIDATES}.",
                    "PROFILE:KEY=VALUE,... sets parameters: the profile's own (agent: agents=1|N|per-node) or its",
                    "ordering policy's (daps, daps-warm, mars-*: w1, w2, order, aging, maxInferences, ema, expected;",
                    "ltf: order=submit|longest), e.g. daps:w1=0,w2=1. Default: ${DEFAULT-VALUE}."},
            completionCandidates = ProfileNames.class)
    List<String> policies;

    @picocli.CommandLine.Mixin
    ModelsOption models;

    @Option(names = "--seed", paramLabel = "N", description = "First seed. Default: the workload's seed.")
    Long seed;

    @Option(names = "--seeds", defaultValue = "1", paramLabel = "K",
            description = "Seeds per profile (N..N+K-1), 1 to 1,000. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a workload value (repeatable), e.g. --set models.qwen3-32b.loadSeconds=45.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Also write CSV, JSON and PNG charts into DIR (created if missing).")
    Path outDir;

    @Option(names = "--export-workflows", paramLabel = "FILE",
            description = {"Write the workflows that arrive under the first seed as a workflow file for `maze run`",
                    "(YAML: same DAGs, resources, features and sim durations, each with its arrival time as submitAt,",
                    "so `maze run` replays the arrivals) and simulate nothing."})
    Path exportFile;

    @Option(names = "--time-scale", defaultValue = "1", paramLabel = "F",
            description = "With --export-workflows: multiply every duration and arrival time by F (e.g. 0.05 for a short real run). Default: 1.")
    double timeScale;

    @Option(names = "--json", description = "Print a JSON array (one object per profile) on stdout instead of the table.")
    boolean json;

    @Option(names = "--sample-seconds", defaultValue = "10", paramLabel = "S",
            description = "Grid of the GPU and queue charts, virtual seconds. Default: ${DEFAULT-VALUE}.")
    double sampleSeconds;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Where workloads and runs come from; tests put hand-built results here. */
    Simulator simulator = Simulator.ENGINE;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OptionRange.whole(spec, "--seeds", seeds, 1, MAX_SEEDS);
        if (seed != null && seed > Long.MAX_VALUE - (seeds - 1)) {
            throw usage("--seed " + seed + " with --seeds " + seeds + " runs past the largest seed, "
                    + Long.MAX_VALUE + "; start lower");
        }
        OptionRange.positive(spec, "--sample-seconds", sampleSeconds, dev.maze.core.clock.Clock.MAX_DURATION_SECONDS,
                "seconds");
        overrides.keySet().stream().filter(key -> key.isBlank()).findFirst().ifPresent(key -> {
            throw usage("--set needs KEY=VALUE with a non-empty KEY");
        });
        List<String> profiles = profiles();
        if (!Files.isRegularFile(workloadFile)) {
            throw usage("workload file '" + workloadFile + "' does not exist or is not a file");
        }
        if (outDir != null) {
            prepareOutDir();
        }
        Workload workload;
        try {
            workload = simulator.load(workloadFile, overrides);
            dev.maze.core.endpoint.ModelRegistry registry = models.registry();
            if (registry != null) {
                workload = registry.simulated(workload);
            }
        } catch (ValidationException e) {
            return WorkflowRunner.reportInvalid(e, err);
        } catch (IllegalArgumentException e) {
            throw usage(workloadFile + ": " + e.getMessage());
        }
        long firstSeed = seed != null ? seed : workload.defaultSeed();
        if (exportFile != null) {
            if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
                throw usage("--time-scale must be a positive number, was " + timeScale);
            }
            var arrivals = workload.arrivals(firstSeed);
            try {
                WorkflowExport.write(arrivals, timeScale, exportFile);
            } catch (java.io.IOException e) {
                throw usage("cannot write --export-workflows " + exportFile + ": " + FileErrors.describe(e));
            }
            err.println("maze: wrote the " + arrivals.size() + " workflows of seed " + firstSeed
                    + " (durations x " + timeScale + ") to " + exportFile);
            err.flush();
            return 0;
        }

        List<SimulationMetrics> runs = new ArrayList<>();
        try (SimulateFiles files = outDir == null ? null : new SimulateFiles(outDir, sampleSeconds)) {
            for (String profile : profiles) {
                for (int k = 0; k < seeds; k++) {
                    long runSeed = firstSeed + k;
                    SimulationResult result;
                    try {
                        result = simulator.run(workload, profile, runSeed);
                    } catch (IllegalArgumentException e) {
                        // The simulator refuses a workload the cluster cannot run: invalid input, not a crash.
                        throw usage(workloadFile + ", profile " + profile + ", seed " + runSeed + ": " + e.getMessage());
                    }
                    SimulationMetrics metrics = SimulationMetrics.of(result);
                    runs.add(metrics);
                    if (files != null) {
                        files.add(result, k == 0);
                    }
                    if (!quiet) {
                        err.printf("maze: %s seed %d: %d/%d workflows completed, %,d tasks simulated in %.2f s%n",
                                profile, runSeed, metrics.completed(), metrics.submitted(), metrics.tasks(),
                                metrics.wallSeconds());
                        err.flush();
                    }
                }
            }
            List<ProfileSummary> summaries = ProfileSummary.summarise(runs, BASELINE);
            String seedRange = seeds == 1 ? "seed " + firstSeed
                    : "seeds " + firstSeed + ".." + (firstSeed + seeds - 1) + " (" + seeds + " per profile)";
            if (json) {
                out.println(SimulateReport.json(summaries));
            } else {
                SimulateReport.table(workload.name(), seedRange, summaries, out);
            }
            out.flush();
            if (files != null) {
                files.finish(summaries);
                if (!quiet) {
                    err.println("maze: wrote " + String.join(", ", files.written()) + " to " + outDir);
                    err.flush();
                }
            }
        }
        return 0;
    }

    /**
     * The profile specs to run, in order, duplicates dropped; {@code all} means every known profile, the baseline
     * first. A spec's parameters are checked here, so that a misspelt key fails before anything runs.
     */
    private List<String> profiles() {
        Set<String> known = simulator.profiles();
        List<String> ordered = new ArrayList<>();
        if (known.contains(BASELINE)) {
            ordered.add(BASELINE);
        }
        // A set without an order (Set.of) iterates differently from run to run; runs must not.
        (known instanceof SequencedSet<String> sequenced ? sequenced : new TreeSet<>(known)).stream()
                .filter(name -> !name.equals(BASELINE)).forEach(ordered::add);
        Set<String> chosen = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String profile : specs(policies)) {
            int colon = profile.indexOf(':');
            String name = colon < 0 ? profile : profile.substring(0, colon).trim();
            if (profile.equals("all")) {
                chosen.addAll(ordered);
            } else if (!known.contains(name)) {
                unknown.add("'" + name + "'");
            } else if (colon < 0) {
                chosen.add(name);
            } else {
                try {
                    simulator.check(profile);
                } catch (IllegalArgumentException e) {
                    throw usage(e.getMessage());
                }
                chosen.add(profile);
            }
        }
        if (!unknown.isEmpty()) {
            throw usage("unknown scheduler profile" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown)
                    + "; known profiles: " + String.join(", ", ordered) + " (or all)");
        }
        if (chosen.isEmpty()) {
            throw usage("--policy names no profile; known profiles: " + String.join(", ", ordered) + " (or all)");
        }
        return List.copyOf(chosen);
    }

    /**
     * Splits {@code --policy} values into profile specs at commas, except a comma that separates one parameter of a
     * spec from the next: {@code daps:w1=0,w2=1,mars} is {@code daps:w1=0,w2=1} and {@code mars}. A piece with a
     * {@code =} and no {@code :} before it continues the spec before it.
     */
    static List<String> specs(List<String> values) {
        List<String> specs = new ArrayList<>();
        for (String value : values) {
            boolean continues = false;
            for (String piece : value.split(",", -1)) {
                String trimmed = piece.trim();
                int equals = trimmed.indexOf('=');
                boolean parameter = equals > 0 && trimmed.lastIndexOf(':', equals) < 0;
                if (parameter && continues) {
                    specs.set(specs.size() - 1, specs.get(specs.size() - 1) + "," + trimmed);
                } else if (!trimmed.isEmpty()) {
                    specs.add(trimmed);
                    continues = trimmed.indexOf(':') >= 0;
                }
            }
        }
        return specs;
    }

    /** Creates the output folder now, so that a path that cannot be written fails before anything runs. */
    private void prepareOutDir() {
        try {
            Files.createDirectories(outDir);
            Path probe = Files.createTempFile(outDir, ".maze-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw usage("cannot write to --out " + outDir + ": " + FileErrors.describe(e));
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * What {@code simulate} needs from the simulator, so that the command can be tested with hand-built results.
     * {@link #ENGINE} is the real thing.
     */
    interface Simulator {

        /** The scheduler profiles {@link #run} accepts, by name. */
        Set<String> profiles();

        /**
         * Checks a spec with parameters ({@code name:key=value,...}) of a known profile.
         *
         * @throws IllegalArgumentException naming what is wrong and what is accepted
         */
        default void check(String spec) {}

        /** Reads a workload file with {@code --set} overrides applied. */
        Workload load(Path file, Map<String, String> overrides) throws ValidationException;

        /** Runs {@code workload} with the profile {@code profile} names (a spec, maybe with parameters) on {@code seed}. */
        SimulationResult run(Workload workload, String profile, long seed);

        Simulator ENGINE = new Simulator() {
            @Override
            public Set<String> profiles() {
                return Simulation.profiles();
            }

            @Override
            public void check(String spec) {
                SchedulerProfiles.get(spec);
            }

            @Override
            public Workload load(Path file, Map<String, String> overrides) throws ValidationException {
                return WorkloadParser.parseFile(file, overrides);
            }

            @Override
            public SimulationResult run(Workload workload, String profile, long seed) {
                return Simulation.run(workload, profile, seed);
            }
        };
    }

    /** Profile names for help and completion. */
    static final class ProfileNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return new TreeSet<>(Simulation.profiles()).iterator();
        }
    }
}
