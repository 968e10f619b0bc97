package dev.maze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.endpoint.ModelRegistry;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.metrics.RunSummary;
import dev.maze.core.profile.SchedulerProfiles;
import dev.maze.core.sim.Simulation;
import dev.maze.core.sim.SimulationResult;
import dev.maze.core.sim.Workload;
import dev.maze.core.sim.WorkloadParser;
import dev.maze.core.workflow.ValidationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code maze bench serve}: the simulator's claim checked over real HTTP. A workload's arrivals (one seed, durations
 * drawn once, every time scaled) run with {@code maze run} against one {@code maze fake-llm} process per GPU of its
 * cluster — on-demand servers that load a model in its load time and hold what fits — once per profile, with fresh
 * servers each time; the same work and the same registry file are then simulated. Reported per profile, for both:
 * latency P50/P95/P99, throughput and the servers' model loads, and the ratios between profiles with how far the real
 * ratios are from the simulated ones. Decisions: maze-cli/README.md, "maze bench serve".
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check the simulator's claim over real HTTP.",
                "Runs maze run of a workload against maze fake-llm processes (one on-demand server per GPU) for",
                "each profile, and compares it with maze simulate of the same work and registry.",
                "Times are reported in the workload's seconds (wall seconds / --time-scale)."},
        footer = {"", "Exit codes: 0 measured (the targets are reported, not enforced), 1 a run or a server failed, "
                + "2 invalid input."})
final class ServeBenchmark implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** How long a server may take to start listening. */
    private static final Duration SERVER_START = Duration.ofSeconds(60);
    /** How far apart a real ratio may be from the simulated one and still meet the target. */
    static final double RATIO_TOLERANCE = 0.10;
    /** The most seeds one benchmark runs (each costs a real run per profile). */
    static final int MAX_SEEDS = 100;
    /** The most server processes it starts (one per GPU of the workload's cluster, all on this machine). */
    static final int MAX_SERVERS = 64;

    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "A workload file (docs/workload-format.md), "
            + "e.g. workloads/maze-dynamic.yaml.")
    Path workloadFile;

    @Option(names = "--profiles", split = ",", defaultValue = "daps,daps-warm,mars", paramLabel = "NAME,...",
            description = "Profiles to run, in order; each later one is compared with each earlier one. "
                    + "Default: ${DEFAULT-VALUE}.")
    List<String> profiles;

    @Option(names = "--seed", paramLabel = "S", description = "The arrivals' seed. Default: the workload's.")
    Long seed;

    @Option(names = "--seeds", defaultValue = "1", paramLabel = "K",
            description = "Run seeds S, S+1, ..., S+K-1 and pool their workflows (the percentiles are over all of them; "
                    + "throughput and loads are means per run). Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--simulated-only", description = "Only the simulated side (seconds, not minutes): what the "
            + "simulator predicts for these seeds and this time scale.")
    boolean simulatedOnly;

    @Option(names = "--time-scale", defaultValue = "0.01", paramLabel = "F",
            description = "Wall seconds per workload second (0.01: a 3,000 s workload in under a minute per profile). "
                    + "Default: ${DEFAULT-VALUE}.")
    double timeScale;

    @Option(names = "--set", paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Override a workload value (repeatable), as in simulate, e.g. --set loadSeconds=45.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Keep what ran in DIR: workflows.yaml, registry.yaml, each run's JSON and log, each server's "
                    + "stats and log, report.json. Default: a temporary folder, removed afterwards.")
    Path outDir;

    @Option(names = "--json", description = "Print the report as JSON on stdout.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress on stderr.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One workflow's run: times on its run's clock (wall or virtual seconds). */
    record Outcome(String id, String type, double submittedAt, double finishedAt, boolean finished) {}

    /** One side's run of one profile under one seed: its workflows and the servers' model loads. */
    record Run(long seed, List<Outcome> outcomes, long loads) {}

    /**
     * One side's figures for one profile, in workload seconds: percentiles and mean over the workflows of all its runs
     * together; throughput (finished workflows per minute, first submission to last end) and loads the mean per run.
     */
    record Figures(int workflows, int finished, double p50, double p95, double p99, double mean,
            double throughputPerMin, double loads) {

        static Figures of(List<Run> runs, double timeScale) {
            List<Double> latencies = new ArrayList<>();
            double throughput = 0;
            double loads = 0;
            int workflows = 0;
            for (Run run : runs) {
                double first = run.outcomes().stream().mapToDouble(Outcome::submittedAt).min().orElse(0);
                double last = first;
                for (Outcome o : run.outcomes()) {
                    if (o.finished()) {
                        latencies.add((o.finishedAt() - o.submittedAt()) / timeScale);
                        last = Math.max(last, o.finishedAt());
                    }
                }
                long finished = run.outcomes().stream().filter(Outcome::finished).count();
                double span = (last - first) / timeScale;
                throughput += span > 0 ? finished / (span / 60) : Double.NaN;
                loads += run.loads();
                workflows += run.outcomes().size();
            }
            double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Figures(workflows, sorted.length, RunSummary.percentile(sorted, 50),
                    RunSummary.percentile(sorted, 95), RunSummary.percentile(sorted, 99),
                    Arrays.stream(sorted).average().orElse(Double.NaN), throughput / runs.size(), loads / runs.size());
        }

        double metric(String name) {
            return switch (name) {
                case "p50" -> p50;
                case "p95" -> p95;
                case "p99" -> p99;
                case "throughput" -> throughputPerMin;
                default -> throw new IllegalArgumentException(name);
            };
        }
    }

    /** The metrics whose ratios are compared. */
    static final List<String> METRICS = List.of("p50", "p95", "p99", "throughput");

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        OptionRange.positive(spec, "--time-scale", timeScale, 1, "wall seconds per workload second");
        OptionRange.whole(spec, "--seeds", seeds, 1, MAX_SEEDS);
        for (String profile : profiles) {
            try {
                SchedulerProfiles.get(profile);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--profiles: " + e.getMessage());
            }
        }
        if (profiles.stream().distinct().count() != profiles.size()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--profiles names a profile twice: " + profiles);
        }
        if (!Files.isRegularFile(workloadFile)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "workload file '" + workloadFile + "' does not exist or is not a file");
        }
        Workload workload;
        try {
            workload = WorkloadParser.parseFile(workloadFile, overrides);
        } catch (ValidationException e) {
            return WorkflowRunner.reportInvalid(e, err);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), workloadFile + ": " + e.getMessage());
        }
        long firstSeed = seed != null ? seed : workload.defaultSeed();
        if (firstSeed > Long.MAX_VALUE - (seeds - 1)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seed " + firstSeed + " with --seeds " + seeds
                    + " runs past the largest seed; start lower");
        }
        int gpus = workload.nodes().stream().mapToInt(n -> n.gpus().size()).sum();
        if (gpus > MAX_SERVERS) {
            throw new CommandLine.ParameterException(spec.commandLine(), workloadFile + ": its cluster has " + gpus
                    + " GPUs, and the benchmark starts a server process for each; at most " + MAX_SERVERS
                    + " (one machine runs them all): use a smaller cluster");
        }
        List<ServePlan> plans = new ArrayList<>();
        try {
            List<Integer> ports = freePorts(gpus);
            for (int k = 0; k < seeds; k++) {
                plans.add(ServePlan.of(workload, firstSeed + k, timeScale, ports));
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), workloadFile + ": " + e.getMessage());
        }
        boolean keep = outDir != null;
        Path dir;
        try {
            dir = keep ? Files.createDirectories(outDir) : Files.createTempDirectory("maze-bench-serve");
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot create --out " + outDir + ": "
                    + FileErrors.describe(e));
        }
        try {
            return measure(plans, dir, out, err);
        } finally {
            if (!keep) {
                deleteTree(dir);
            }
        }
    }

    private int measure(List<ServePlan> plans, Path dir, PrintWriter out, PrintWriter err) throws Exception {
        ServePlan first = plans.get(0);
        Path registryFile = dir.resolve("registry.yaml");
        first.writeRegistry(registryFile); // every seed's plan has the same servers
        ModelRegistry registry = ModelRegistry.read(registryFile);
        Map<String, List<Run>> real = new LinkedHashMap<>();
        Map<String, List<Run>> simulated = new LinkedHashMap<>();
        StringBuilder csv = new StringBuilder("seed,profile,side,workflow,type,submittedAt,finishedAt,latencySeconds\n");
        for (ServePlan plan : plans) {
            progress(err, "maze bench serve: seed " + plan.seed + ": " + plan.size() + " workflows of "
                    + plan.workload.name() + " at time scale " + plan.timeScale + "; "
                    + (simulatedOnly ? "simulated only" : plan.servers.size() + " fake-llm servers; files in " + dir));
            Workload simWorkload = registry.simulated(plan.simulatedWorkload());
            for (String profile : profiles) {
                SimulationResult result = Simulation.run(simWorkload, profile, plan.seed);
                Run run = new Run(plan.seed, outcomes(result), serverLoads(result, plan));
                simulated.computeIfAbsent(profile, p -> new ArrayList<>()).add(run);
                csv(csv, profile, "simulated", run, plan.timeScale);
            }
            if (simulatedOnly) {
                continue;
            }
            Path workflows = dir.resolve("workflows-" + plan.seed + ".yaml");
            plan.writeWorkflows(workflows);
            for (String profile : profiles) {
                progress(err, "maze bench serve: seed " + plan.seed + ", " + profile + ": starting "
                        + plan.servers.size() + " servers, then maze run");
                long started = System.nanoTime();
                Run run = realRun(plan, profile, workflows, registryFile, dir, err);
                if (run == null) {
                    return MazeCommand.EXIT_FAILED;
                }
                real.computeIfAbsent(profile, p -> new ArrayList<>()).add(run);
                csv(csv, profile, "real", run, plan.timeScale);
                progress(err, String.format("maze bench serve: seed %d, %s: done in %.0f s wall", plan.seed, profile,
                        (System.nanoTime() - started) / 1e9));
            }
        }
        Files.writeString(dir.resolve("workflows.csv"), csv);
        Map<String, Figures> realFigures = figures(real, first.timeScale);
        Map<String, Figures> simulatedFigures = figures(simulated, first.timeScale);
        ObjectNode report = report(plans, realFigures, simulatedFigures, real, simulated);
        Files.writeString(dir.resolve("report.json"), report.toPrettyString());
        if (json) {
            out.println(report.toPrettyString());
        } else {
            table(plans, realFigures, simulatedFigures, real, simulated, out);
        }
        out.flush();
        return 0;
    }

    private static Map<String, Figures> figures(Map<String, List<Run>> runs, double timeScale) {
        Map<String, Figures> figures = new LinkedHashMap<>();
        runs.forEach((profile, list) -> figures.put(profile, Figures.of(list, timeScale)));
        return figures;
    }

    private void progress(PrintWriter err, String line) {
        if (!quiet) {
            err.println(line);
            err.flush();
        }
    }

    private static List<Outcome> outcomes(SimulationResult result) {
        List<Outcome> outcomes = new ArrayList<>();
        for (SimulationResult.WorkflowRecord workflow : result.workflows()) {
            outcomes.add(new Outcome(workflow.id(), workflow.type(), workflow.submittedAt(), workflow.finishedAt(),
                    workflow.state() == WorkflowState.FINISHED));
        }
        return outcomes;
    }

    /** The simulated calls that loaded a server's model. */
    private static long serverLoads(SimulationResult result, ServePlan plan) {
        return result.tasks().stream()
                .filter(t -> t.model() != null && plan.serverModels.containsKey(t.model()) && t.modelLoadSeconds() > 0)
                .count();
    }

    /** One profile over real HTTP: fresh servers, {@code maze run}, the servers' stats; null (and why, on stderr) on failure. */
    private Run realRun(ServePlan plan, String profile, Path workflows, Path registry, Path dir, PrintWriter err)
            throws IOException, InterruptedException {
        String name = plan.seed + "-" + profile;
        List<Outcome> outcomes = new ArrayList<>();
        List<ChildJvm> servers = new ArrayList<>();
        try {
            for (ServePlan.Server server : plan.servers) {
                servers.add(ChildJvm.start(plan.fakeLlmArguments(server), List.of("-Xmx128m"),
                        dir.resolve("fake-llm-" + name + "-" + server.id() + ".log")));
            }
            for (int i = 0; i < servers.size(); i++) {
                if (!servers.get(i).awaitLine("fake-llm listening on", SERVER_START)) {
                    err.println("maze bench serve: fake-llm " + plan.servers.get(i).id() + " did not start; see "
                            + servers.get(i).log());
                    return null;
                }
            }
            Path runJson = dir.resolve("run-" + name + ".json");
            Path runLog = dir.resolve("run-" + name + ".log");
            double lastArrival = plan.real.stream().mapToDouble(w -> w.submitAtSeconds()).max().orElse(0);
            ChildJvm run = ChildJvm.start(plan.runArguments(workflows, registry, profile), List.of(), runLog, runJson);
            // Generous: an overloaded profile drains its backlog after the last arrival, several times the arrivals' span.
            Duration limit = Duration.ofSeconds((long) (lastArrival * 10 + 300));
            int code = run.await(limit);
            if (code != 0 && code != MazeCommand.EXIT_FAILED) {
                err.println("maze bench serve: maze run --profile " + profile + " ended with exit code " + code
                        + (code == ChildJvm.TIMED_OUT ? " (stopped after " + limit.toSeconds() + " s)" : "") + "; see "
                        + runLog);
                return null;
            }
            JsonNode summary = JSON.readTree(Files.readString(runJson));
            for (JsonNode workflow : summary.path("workflows")) {
                outcomes.add(new Outcome(workflow.path("id").asText(), workflow.path("name").asText(),
                        workflow.path("submittedAt").asDouble(), workflow.path("finishedAt").asDouble(Double.NaN),
                        workflow.path("status").asText().equals("FINISHED")));
            }
            long unfinished = outcomes.stream().filter(o -> !o.finished()).count();
            if (unfinished > 0) {
                err.println("maze bench serve: " + unfinished + " of " + outcomes.size() + " workflows did not finish "
                        + "under " + profile + "; see " + runJson);
                return null;
            }
            long loads = 0;
            ArrayNode stats = JSON.createArrayNode();
            for (ServePlan.Server server : plan.servers) {
                JsonNode serverStats = stats(server);
                stats.addObject().put("server", server.id()).set("stats", serverStats);
                for (String model : plan.serverModels.keySet()) {
                    loads += serverStats.path("models").path(model).path("loads").asLong();
                }
            }
            Files.writeString(dir.resolve("servers-" + name + ".json"), stats.toPrettyString());
            return new Run(plan.seed, outcomes, loads);
        } finally {
            for (ChildJvm server : servers) {
                server.stop();
            }
        }
    }

    private static JsonNode stats(ServePlan.Server server) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/fake/stats")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    // ------------------------------------------------------------------ the report

    private ObjectNode report(List<ServePlan> plans, Map<String, Figures> real, Map<String, Figures> simulated,
            Map<String, List<Run>> realRuns, Map<String, List<Run>> simulatedRuns) {
        ServePlan first = plans.get(0);
        ObjectNode root = JSON.createObjectNode();
        root.put("workload", first.workload.name());
        ArrayNode seedList = root.putArray("seeds");
        plans.forEach(plan -> seedList.add(plan.seed));
        root.put("timeScale", first.timeScale);
        root.put("workflows", plans.stream().mapToInt(ServePlan::size).sum());
        root.put("servers", first.servers.size());
        ObjectNode models = root.putObject("serverModels");
        first.serverModels.forEach((name, model) -> models.putObject(name).put("memoryGb", model.memoryGb())
                .put("loadSeconds", model.loadSeconds()));
        ObjectNode byProfile = root.putObject("profiles");
        for (String profile : profiles) {
            ObjectNode entry = byProfile.putObject(profile);
            if (real.containsKey(profile)) {
                entry.set("real", JSON.valueToTree(real.get(profile)));
            }
            entry.set("simulated", JSON.valueToTree(simulated.get(profile)));
            ArrayNode perSeed = entry.putArray("perSeed");
            for (int k = 0; k < plans.size(); k++) {
                ObjectNode run = perSeed.addObject().put("seed", plans.get(k).seed);
                if (realRuns.containsKey(profile)) {
                    run.set("real", JSON.valueToTree(Figures.of(List.of(realRuns.get(profile).get(k)), first.timeScale)));
                }
                run.set("simulated", JSON.valueToTree(
                        Figures.of(List.of(simulatedRuns.get(profile).get(k)), first.timeScale)));
            }
        }
        ArrayNode ratios = root.putArray("ratios");
        for (Ratio ratio : ratios(real, simulated)) {
            ObjectNode entry = ratios.addObject().put("profile", ratio.profile).put("baseline", ratio.baseline)
                    .put("metric", ratio.metric).put("simulated", ratio.simulated);
            if (!real.isEmpty()) {
                entry.put("real", ratio.real).put("difference", ratio.difference());
            }
        }
        if (!real.isEmpty()) {
            ObjectNode targets = root.putObject("targets");
            if (real.containsKey("mars") && real.containsKey("daps-warm")) {
                targets.put("marsP95BelowDapsWarm", real.get("mars").p95() < real.get("daps-warm").p95());
            }
            double worst = worstDifference(real, simulated);
            targets.put("worstRatioDifference", worst);
            targets.put("ratiosWithinTolerance", worst <= RATIO_TOLERANCE);
        }
        return root;
    }

    /** A later profile's metric over an earlier one's, real (NaN in a simulated-only run) and simulated. */
    record Ratio(String profile, String baseline, String metric, double real, double simulated) {
        double difference() {
            return real / simulated - 1;
        }
    }

    private List<Ratio> ratios(Map<String, Figures> real, Map<String, Figures> simulated) {
        List<Ratio> ratios = new ArrayList<>();
        for (int j = 1; j < profiles.size(); j++) {
            for (int i = 0; i < j; i++) {
                String profile = profiles.get(j);
                String baseline = profiles.get(i);
                for (String metric : METRICS) {
                    ratios.add(new Ratio(profile, baseline, metric,
                            real.isEmpty() ? Double.NaN : real.get(profile).metric(metric) / real.get(baseline).metric(metric),
                            simulated.get(profile).metric(metric) / simulated.get(baseline).metric(metric)));
                }
            }
        }
        return ratios;
    }

    private double worstDifference(Map<String, Figures> real, Map<String, Figures> simulated) {
        return ratios(real, simulated).stream().mapToDouble(r -> Math.abs(r.difference())).max().orElse(0);
    }

    private void table(List<ServePlan> plans, Map<String, Figures> real, Map<String, Figures> simulated,
            Map<String, List<Run>> realRuns, Map<String, List<Run>> simulatedRuns, PrintWriter out) {
        ServePlan plan = plans.get(0);
        out.printf("%s, seed%s %s: %d workflows at time scale %s; %d maze fake-llm servers (on-demand, %d resident of "
                        + "%s, load %.0f s), node local (%.0f cores, %d GPUs) for the other steps%n",
                plan.workload.name(), plans.size() == 1 ? "" : "s", plans.size() == 1 ? String.valueOf(plan.seed)
                        : plan.seed + "-" + plans.get(plans.size() - 1).seed,
                plans.stream().mapToInt(ServePlan::size).sum(), plan.timeScale, plan.servers.size(),
                plan.residentPerServer, String.join(", ", plan.serverModels.keySet()), plan.loadSeconds,
                plan.local.cpu(), plan.local.gpus().size());
        out.println("latency and throughput in workload seconds (wall / time scale); percentiles over all workflows, "
                + "throughput and the servers' model loads per run");
        out.println();
        out.printf("%-12s | %-46s | %-46s%n", "", "real HTTP (maze run + fake-llm)", "simulated (same work, same registry)");
        out.printf("%-12s | %8s %8s %8s %8s %9s | %8s %8s %8s %8s %9s%n", "PROFILE", "P50", "P95", "P99", "WF/MIN",
                "LOADS", "P50", "P95", "P99", "WF/MIN", "LOADS");
        for (String profile : profiles) {
            out.printf("%-12s | %s | %s%n", profile, row(real.get(profile)), row(simulated.get(profile)));
        }
        if (plans.size() > 1) {
            out.println();
            out.println("P95 per seed (real / simulated)");
            for (int k = 0; k < plans.size(); k++) {
                StringBuilder line = new StringBuilder(String.format("  seed %-6d", plans.get(k).seed));
                for (String profile : profiles) {
                    double sim = Figures.of(List.of(simulatedRuns.get(profile).get(k)), plan.timeScale).p95();
                    String realP95 = realRuns.containsKey(profile) ? String.format("%.1f",
                            Figures.of(List.of(realRuns.get(profile).get(k)), plan.timeScale).p95()) : "-";
                    line.append(String.format("  %s %s / %.1f", profile, realP95, sim));
                }
                out.println(line);
            }
        }
        out.println();
        out.println(real.isEmpty() ? "ratios (simulated)" : "ratios (real / simulated, difference)");
        for (Ratio ratio : ratios(real, simulated)) {
            out.printf(real.isEmpty() ? "  %-22s %-10s %6.3f%n" : "  %-22s %-10s %6.3f / %6.3f  %+5.1f%%%n",
                    ratio.profile + " / " + ratio.baseline, ratio.metric,
                    real.isEmpty() ? ratio.simulated : ratio.real, ratio.simulated, 100 * ratio.difference());
        }
        if (real.isEmpty()) {
            return;
        }
        out.println();
        if (real.containsKey("mars") && real.containsKey("daps-warm")) {
            boolean below = real.get("mars").p95() < real.get("daps-warm").p95();
            out.printf("target: mars P95 below daps-warm's over real HTTP: %s (%.1f vs %.1f s)%n", below ? "met" : "NOT met",
                    real.get("mars").p95(), real.get("daps-warm").p95());
        }
        double worst = worstDifference(real, simulated);
        out.printf("target: real ratios within %.0f%% of the simulated: %s (largest difference %.1f%%)%n",
                100 * RATIO_TOLERANCE, worst <= RATIO_TOLERANCE ? "met" : "NOT met", 100 * worst);
    }

    private static String row(Figures figures) {
        if (figures == null) {
            return String.format("%8s %8s %8s %8s %9s", "-", "-", "-", "-", "-");
        }
        return String.format("%8.1f %8.1f %8.1f %8.3f %9.1f", figures.p50(), figures.p95(), figures.p99(),
                figures.throughputPerMin(), figures.loads());
    }

    // ------------------------------------------------------------------ helpers

    /** One row per workflow, times in workload seconds (the clock's seconds / the time scale). */
    private static void csv(StringBuilder csv, String profile, String side, Run run, double timeScale) {
        for (Outcome o : run.outcomes()) {
            csv.append(String.format(java.util.Locale.ROOT, "%d,%s,%s,%s,%s,%.3f,%.3f,%.3f%n", run.seed(), profile, side,
                    o.id(), o.type(), o.submittedAt() / timeScale, o.finishedAt() / timeScale,
                    (o.finishedAt() - o.submittedAt()) / timeScale));
        }
    }

    private static List<Integer> freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }

    /** Deletes {@code dir} and everything under it. */
    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** A {@code maze} command in a JVM of its own (the same Java and class path as this one). */
    static final class ChildJvm {
        static final int TIMED_OUT = 124;

        private final Process process;
        private final Path log;
        private final List<String> lines = new ArrayList<>();

        private ChildJvm(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        /** Starts {@code maze ARGS}; stderr goes to {@code log}, stdout is read here (or goes to {@code stdoutFile}). */
        static ChildJvm start(List<String> arguments, List<String> jvmOptions, Path log, Path... stdoutFile)
                throws IOException {
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            command.addAll(jvmOptions);
            String home = System.getProperty("maze.home");
            if (home != null) {
                command.add("-Dmaze.home=" + home);
            }
            command.add("-Dmaze.tty=false");
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add(MazeCommand.class.getName());
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command).redirectError(log.toFile());
            if (stdoutFile.length > 0) {
                builder.redirectOutput(stdoutFile[0].toFile());
            }
            ChildJvm child = new ChildJvm(builder.start(), log);
            if (stdoutFile.length == 0) {
                Thread reader = new Thread(child::readOutput, "maze-bench-child-stdout");
                reader.setDaemon(true);
                reader.start();
            }
            return child;
        }

        private void readOutput() {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended; what it printed is in lines
            }
        }

        /** Waits until a line of stdout starts with {@code prefix}; false if the process ended or the time ran out. */
        boolean awaitLine(String prefix, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            synchronized (lines) {
                while (true) {
                    if (lines.stream().anyMatch(l -> l.startsWith(prefix))) {
                        return true;
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0 || !process.isAlive()) {
                        return false;
                    }
                    lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
                }
            }
        }

        /** The exit code, or {@link #TIMED_OUT} after stopping it when {@code limit} passed. */
        int await(Duration limit) throws InterruptedException {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                stop();
                return TIMED_OUT;
            }
            return process.exitValue();
        }

        /** SIGTERM, then SIGKILL after 10 s. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }

        Path log() {
            return log;
        }
    }
}
