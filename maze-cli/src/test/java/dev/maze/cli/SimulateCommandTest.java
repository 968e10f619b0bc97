package dev.maze.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.sim.Arrival;
import dev.maze.core.sim.Phase;
import dev.maze.core.sim.SimulationResult;
import dev.maze.core.sim.SimulationResult.TaskRecord;
import dev.maze.core.sim.SimulationResult.WorkflowRecord;
import dev.maze.core.sim.Workload;
import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.ValidationException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code maze simulate} in-process through the real command line, with a simulator that returns hand-built results
 * (the real simulator is tested on its own): arguments, errors, the table, the JSON and the files.
 */
class SimulateCommandTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<Phase> PHASES = List.of(new Phase("phase 1 (50%)", 0, 100, 0.01),
            new Phase("phase 2 (125%)", 100, 200, 0.025));

    @TempDir
    Path temp;

    Path workloadFile;
    final FakeSimulator simulator = new FakeSimulator();

    record Result(int exitCode, String out, String err) {}

    @BeforeEach
    void writeWorkload() throws Exception {
        workloadFile = temp.resolve("tiny.yaml");
        Files.writeString(workloadFile, "name: tiny\n");
    }

    private Result simulate(String... args) {
        CommandLine commandLine = MazeCommand.commandLine();
        ((SimulateCommand) commandLine.getSubcommands().get("simulate").getCommand()).simulator = simulator;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of("simulate"));
        all.addAll(List.of(args));
        int code = commandLine.execute(all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    /** Latency multiplier per profile: mine is 30% faster than daps, fcfs 20% slower. */
    private static double factor(String profile) {
        return switch (profile) {
            case "daps" -> 1.0;
            case "fcfs" -> 1.2;
            default -> 0.7;
        };
    }

    /** Profiles daps, fcfs, mine; four workflows (two per phase) whose latencies scale with the profile. */
    static final class FakeSimulator implements SimulateCommand.Simulator {
        final List<String> runs = new ArrayList<>();
        Map<String, String> overrides;
        ValidationException invalid;
        String refused;

        @Override
        public Set<String> profiles() {
            return new LinkedHashSet<>(List.of("fcfs", "daps", "mine"));
        }

        @Override
        public Workload load(Path file, Map<String, String> overrides) throws ValidationException {
            this.overrides = Map.copyOf(overrides);
            if (invalid != null) {
                throw invalid;
            }
            return new Workload() {
                @Override
                public String name() {
                    return "tiny";
                }

                @Override
                public List<NodeSpec> nodes() {
                    return List.of(NodeSpec.of("node-0", 8, 64, 2, 80));
                }

                @Override
                public Map<String, ModelSpec> models() {
                    return Map.of();
                }

                @Override
                public List<Phase> phases() {
                    return PHASES;
                }

                @Override
                public long defaultSeed() {
                    return 42;
                }

                @Override
                public List<Arrival> arrivals(long seed) {
                    return List.of();
                }
            };
        }

        @Override
        public SimulationResult run(Workload workload, String profile, long seed) {
            runs.add(profile + "@" + seed);
            if (refused != null) {
                throw new IllegalArgumentException(refused);
            }
            double f = factor(profile);
            double jitter = seed % 3; // seeds differ, so that intervals have a width
            List<WorkflowRecord> workflows = List.of(
                    new WorkflowRecord("w0", "chat", 0, 0, 10 * f + jitter, WorkflowState.FINISHED),
                    new WorkflowRecord("w1", "rag, long", 0, 50, 50 + 20 * f, WorkflowState.FINISHED),
                    new WorkflowRecord("w2", "chat", 1, 100, 100 + 40 * f + jitter, WorkflowState.FINISHED),
                    new WorkflowRecord("w3", "chat", 1, 150, 150 + 80 * f, WorkflowState.FINISHED));
            double end = 150 + 80 * f;
            List<TaskRecord> tasks = List.of(
                    new TaskRecord("w0", "a", "gpu", "qwen3-32b", 0, 0, 10 * f, 3, "node-0", 7),
                    new TaskRecord("w2", "a", "gpu", "qwen3-32b", 100, 102, 130, 0, "node-0", 28),
                    new TaskRecord("w3", "a", "cpu", null, 150, 155, 160, 0, "node-0", 5));
            return new SimulationResult("tiny", profile, seed, PHASES, workflows, tasks, 2, 160, end, 10 * f + 28,
                    profile.equals("daps") ? 4 : 2, 3, 1000, 100, 0.01);
        }
    }

    @Test
    void jsonIsAnArrayWithOneObjectPerProfileAndNothingElseOnStdout() throws Exception {
        Result result = simulate(workloadFile.toString(), "--policy", "daps,mine", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode array = JSON.readTree(result.out());
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(2);
        JsonNode daps = array.get(0);
        assertThat(daps.get("policy").asText()).isEqualTo("daps");
        for (String field : List.of("completed", "throughputPerMin", "latencyMean", "latencyP50", "latencyP95",
                "latencyP99", "gpuBusyPercent", "modelLoads")) {
            assertThat(daps.get(field)).as(field).isNotNull();
            assertThat(daps.get(field).isNumber()).as(field).isTrue();
        }
        assertThat(daps.get("completed").asInt()).isEqualTo(4);
        assertThat(daps.get("modelLoads").asInt()).isEqualTo(4);
        // daps, seed 42 (jitter 0): latencies 10, 20, 40, 80 -> P95 rank 2.85 -> 40 + 0.85 * 40 = 74.
        assertThat(daps.get("latencyP95").asDouble()).isCloseTo(74.0, within(1e-9));
        JsonNode phases = daps.get("phases");
        assertThat(phases.isArray()).isTrue();
        assertThat(phases).hasSize(2);
        assertThat(phases.get(0).get("name").asText()).isEqualTo("phase 1 (50%)");
        assertThat(phases.get(0).get("completed").asInt()).isEqualTo(2);
        assertThat(phases.get(0).get("latencyP95").asDouble()).isCloseTo(19.5, within(1e-9)); // 10 + 0.95 * 10
        assertThat(phases.get(1).get("latencyP95").asDouble()).isCloseTo(78.0, within(1e-9)); // 40 + 0.95 * 40
        // One seed: no intervals; mine is compared with daps on the same seed.
        assertThat(daps.has("ci95")).isFalse();
        JsonNode mine = array.get(1);
        assertThat(mine.get("ratioToDaps").get("latencyP95").asDouble()).isCloseTo(0.7, within(1e-4));
        assertThat(mine.get("phases").get(1).get("ratioToDaps").get("latencyP95").asDouble())
                .isCloseTo(0.7, within(1e-4));
        assertThat(mine.has("ratioToDapsCi95")).isFalse();
        assertThat(simulator.runs).containsExactly("daps@42", "mine@42");
    }

    @Test
    void severalSeedsGiveMeansIntervalsAndPairedRatios() throws Exception {
        Result result = simulate(workloadFile.toString(), "--policy", "mine,daps", "--seeds", "3", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(simulator.runs).containsExactly("mine@42", "mine@43", "mine@44", "daps@42", "daps@43", "daps@44");
        JsonNode array = JSON.readTree(result.out());
        JsonNode mine = array.get(0);
        assertThat(mine.get("policy").asText()).isEqualTo("mine");
        assertThat(mine.get("seeds")).hasSize(3);
        assertThat(mine.get("ci95").get("latencyP95").asDouble()).isPositive();
        assertThat(mine.get("phases").get(1).get("ci95").get("latencyP95").asDouble()).isPositive();
        assertThat(mine.get("ratioToDaps").get("latencyP95").asDouble()).isBetween(0.6, 0.8);
        assertThat(mine.get("ratioToDapsCi95").get("latencyP95").isNumber()).isTrue();
        assertThat(mine.get("ratioToDaps").get("modelLoads").asDouble()).isEqualTo(0.5);
        assertThat(mine.get("ratioToDapsCi95").get("modelLoads").asDouble()).isZero();
    }

    @Test
    void seedsStartAtTheGivenSeed() {
        Result result = simulate(workloadFile.toString(), "--policy", "daps", "--seed", "7", "--seeds", "2", "-q");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(simulator.runs).containsExactly("daps@7", "daps@8");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void allRunsEveryProfileWithTheBaselineFirst() {
        Result result = simulate(workloadFile.toString(), "--policy", "all", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(simulator.runs).containsExactly("daps@42", "fcfs@42", "mine@42");
        assertThat(result.err()).contains("maze: daps seed 42: 4/4 workflows completed");
    }

    @Test
    void theTableHasARowPerFigureAndAColumnPerProfile() {
        Result result = simulate(workloadFile.toString(), "--policy", "daps,fcfs,mine");
        assertThat(result.exitCode()).as(result.err()).isZero();
        String table = result.out();
        assertThat(table).contains("maze simulate: workload tiny, seed 42");
        assertThat(table.lines().filter(line -> line.contains("daps") && line.contains("fcfs") && line.contains("mine")))
                .hasSize(1);
        assertThat(table).contains("workflows completed", "throughput /min", "latency mean s", "latency P50 s",
                "latency P95 s", "latency P99 s", "phase 1 (50%): P95 s", "phase 2 (125%): completed", "GPU busy %",
                "of it loading models %", "model loads", "GPU memory %", "task queueing mean s",
                "scheduling passes /s wall", "simulated tasks /s wall", "ratio to daps, paired by seed");
        String p95 = table.lines().filter(line -> line.startsWith("latency P95 s")).findFirst().orElseThrow();
        assertThat(p95).contains("74.0", "51.8"); // daps 74, mine 0.7 x 74
        String ratio = table.lines().filter(line -> line.startsWith("phase 2 (125%): P95 ")
                && line.contains("(baseline)")).findFirst().orElseThrow();
        assertThat(ratio).contains("1.200", "0.700");
    }

    @Test
    void theTableShowsIntervalsWithSeveralSeeds() {
        Result result = simulate(workloadFile.toString(), "--policy", "daps,mine", "--seeds", "3");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("seeds 42..44 (3 per profile)", "half-width of the 95% interval");
        String p95 = result.out().lines().filter(line -> line.startsWith("latency P95 s")).findFirst().orElseThrow();
        assertThat(p95).containsPattern("\\d \\S{1,2} \\d");
    }

    @Test
    void anUnknownProfileIsAUsageErrorListingTheKnownOnes() {
        Result result = simulate(workloadFile.toString(), "--policy", "daps,nope");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown scheduler profile 'nope'", "known profiles: daps, fcfs, mine");
        assertThat(simulator.runs).isEmpty();
    }

    @Test
    void setNeedsKeyEqualsValue() {
        Result result = simulate(workloadFile.toString(), "--set", "loadSeconds");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("KEY=VALUE");
        Result emptyKey = simulate(workloadFile.toString(), "--set", "=30");
        assertThat(emptyKey.exitCode()).isEqualTo(2);
        assertThat(emptyKey.err()).contains("non-empty KEY");
        assertThat(simulator.runs).isEmpty();
    }

    @Test
    void overridesReachTheWorkloadParser() {
        Result result = simulate(workloadFile.toString(), "--policy", "daps", "--set", "models.qwen3-32b.loadSeconds=45",
                "--set", "arrivals.scale=1.5", "-q");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(simulator.overrides).containsExactlyInAnyOrderEntriesOf(
                Map.of("models.qwen3-32b.loadSeconds", "45", "arrivals.scale", "1.5"));
    }

    @Test
    void anInvalidWorkloadExitsWith2() {
        simulator.invalid = new ValidationException(
                List.of(new ValidationError("tiny.yaml", null, null, "arrivals.scale", "must be > 0")));
        Result result = simulate(workloadFile.toString(), "--policy", "daps");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("invalid input", "field 'arrivals.scale': must be > 0");
        assertThat(simulator.runs).isEmpty();
    }

    @Test
    void aWorkloadTheSimulatorRefusesExitsWith2() {
        simulator.refused = "workflow 'rag-1', task 'fuse': needs 2 GPUs, no node has more than 1";
        Result result = simulate(workloadFile.toString(), "--policy", "daps", "--json");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("profile daps, seed 42: workflow 'rag-1', task 'fuse': needs 2 GPUs");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void seedsMustBeAtLeastOne() {
        Result result = simulate(workloadFile.toString(), "--seeds", "0");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--seeds must be from 1 to 1000, was 0");
        assertThat(simulator.runs).isEmpty();
    }

    @Test
    void aMissingWorkloadFileIsAUsageError() {
        Result result = simulate(temp.resolve("nope.yaml").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("nope.yaml' does not exist");
    }

    @Test
    void anUnwritableOutFolderFailsBeforeAnythingRuns() throws Exception {
        Path file = temp.resolve("a-file");
        Files.writeString(file, "x");
        Result result = simulate(workloadFile.toString(), "--policy", "daps", "--out", file.resolve("charts").toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("cannot write to --out");
        assertThat(simulator.runs).isEmpty();
    }

    @Test
    void outWritesCsvJsonAndPngCharts() throws Exception {
        Path out = temp.resolve("results/run-1");
        Result result = simulate(workloadFile.toString(), "--policy", "daps,fcfs,mine", "--seeds", "2", "--out",
                out.toString(), "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("maze: wrote workflows.csv, runs.csv, summary.csv, summary.json");

        List<String> workflows = Files.readAllLines(out.resolve("workflows.csv"));
        assertThat(workflows.get(0)).isEqualTo(
                "profile,seed,workflow,type,phase,state,submittedAt,finishedAt,latencySeconds");
        assertThat(workflows).hasSize(1 + 3 * 2 * 4).contains("daps,42,w0,chat,1,FINISHED,0,10,10",
                "mine,43,w1,\"rag, long\",1,FINISHED,50,64,14");
        List<String> runs = Files.readAllLines(out.resolve("runs.csv"));
        assertThat(runs).hasSize(1 + 3 * 2);
        assertThat(runs.get(0)).startsWith("profile,seed,submitted,completed,throughputPerMin,")
                .endsWith(",phase1LatencyP95,phase1Completed,phase2LatencyP95,phase2Completed");
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertThat(summary).hasSize(1 + 3);
        assertThat(summary.get(0)).contains("latencyP95,latencyP95Ci95,latencyP95RatioToDaps,latencyP95RatioToDapsCi95");
        assertThat(JSON.readTree(out.resolve("summary.json").toFile())).isEqualTo(JSON.readTree(result.out()));

        for (String chart : List.of("latency-cdf.png", "phase-p95.png", "gpu-utilisation.png", "queue-length.png")) {
            byte[] png = Files.readAllBytes(out.resolve(chart));
            assertThat(png.length).as(chart).isGreaterThan(5_000);
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            assertThat(image).as(chart).isNotNull();
            assertThat(image.getWidth()).as(chart).isEqualTo(1000);
        }
    }

    @Test
    void helpNamesTheCommandAndItsOptions() {
        CommandLine commandLine = MazeCommand.commandLine();
        StringWriter out = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        assertThat(commandLine.execute("simulate", "--help")).isZero();
        assertThat(out.toString()).contains("WORKLOAD", "--policy", "--seeds", "--set", "--out", "--json");
        StringWriter top = new StringWriter();
        commandLine.setOut(new PrintWriter(top, true));
        commandLine.execute("--help");
        assertThat(top.toString()).contains("simulate");
    }
}
