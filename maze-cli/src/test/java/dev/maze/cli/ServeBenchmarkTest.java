package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.core.endpoint.ModelRegistry;
import dev.maze.core.sim.Arrival;
import dev.maze.core.sim.Workload;
import dev.maze.core.sim.WorkloadParser;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.WorkflowParser;
import dev.maze.core.workflow.WorkflowSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maze bench serve}: what it runs, and one whole run over real processes and HTTP. */
class ServeBenchmarkTest {

    /** Two GPUs; two models of 60 GB on 80 GB GPUs (one resident each); calls alternate models along a chain. */
    static final String WORKLOAD = """
            name: tiny-serve
            seed: 7
            cluster: {nodes: [{count: 2, cpu: 2, memoryGb: 8, gpus: 1, gpuMemoryGb: 80}]}
            models:
              big-a: {memoryGb: 60, loadSeconds: 20}
              big-b: {memoryGb: 60, loadSeconds: 20}
              small: {memoryGb: 4, sizeGb: 0.5, bandwidthGbPerSec: 2}
            classes:
              call: {resources: {cpu: 0, gpus: 1, gpuMemoryGb: 0}, duration: {distribution: lognormal, mean: 30, p95: 45}}
              tool: {resources: {cpu: 0}, duration: 3}
              cpu: {resources: {cpu: 1}, duration: 0.5}
            types:
              - name: chain
                weight: 1
                tasks:
                  - {id: prep, class: cpu}
                  - {id: first, class: call, model: big-a, dependsOn: [prep]}
                  - {id: caption, class: tool, model: small, resources: {cpu: 0, gpus: 1, gpuMemoryGb: 4}, dependsOn: [prep]}
                  - {id: second, class: call, model: big-b, dependsOn: [first, caption]}
            arrivals:
              trace: [0, 200]
            """;

    @TempDir
    Path dir;

    private Path workload() throws Exception {
        Path file = dir.resolve("tiny-serve.yaml");
        Files.writeString(file, WORKLOAD);
        return file;
    }

    @Test
    void thePlanDrawsEachDurationOnceAndGivesTheSameWorkToBothSides() throws Exception {
        Workload workload = WorkloadParser.parseFile(workload(), Map.of());
        ServePlan plan = ServePlan.of(workload, 7, 0.1, List.of(9001, 9002));

        assertThat(plan.servers).extracting(ServePlan.Server::id).containsExactly("gpu-1", "gpu-2");
        assertThat(plan.serverModels).containsOnlyKeys("big-a", "big-b"); // small runs on a slice: not a server's
        assertThat(plan.residentPerServer).isEqualTo(1);
        assertThat(plan.local.cpu()).isEqualTo(4);
        assertThat(plan.local.gpus()).hasSize(2);
        for (int w = 0; w < 2; w++) {
            Arrival simulated = plan.simulated.get(w);
            WorkflowSpec real = plan.real.get(w);
            assertThat(real.submitAtSeconds()).isEqualTo(simulated.atSeconds()).isEqualTo(w * 200 * 0.1);
            for (TaskSpec task : real.tasks()) {
                TaskSpec simTask = simulated.spec().tasks().stream().filter(t -> t.id().equals(task.id())).findFirst()
                        .orElseThrow();
                double seconds = simTask.inputs().get("seconds").asDouble();
                assertThat(simTask.kind()).isEqualTo("sim");
                if (task.id().equals("first") || task.id().equals("second")) {
                    // The call takes its drawn duration on a server: one token at once, one per 100 ms after it.
                    assertThat(task.kind()).isEqualTo("llm");
                    assertThat(task.inputs().get("maxTokens").asInt())
                            .isEqualTo(ServePlan.tokensFor(seconds / 0.1));
                    assertThat(task.inputs().get("stream").asBoolean()).isFalse();
                } else {
                    assertThat(task.kind()).isEqualTo("sim");
                    assertThat(task.inputs().get("seconds").asDouble()).isEqualTo(seconds);
                }
            }
        }
        assertThat(plan.simulated.get(0).spec().tasks().get(0).inputs().get("seconds").asDouble()).isEqualTo(0.05);

        Path registryFile = dir.resolve("registry.yaml");
        plan.writeRegistry(registryFile);
        ModelRegistry registry = ModelRegistry.read(registryFile);
        assertThat(registry.endpoints()).hasSize(2).allSatisfy(endpoint -> {
            assertThat(endpoint.alwaysLoaded()).isFalse();
            assertThat(endpoint.maxConcurrency()).isEqualTo(1);
            assertThat(endpoint.url()).startsWith("http://127.0.0.1:900");
        });
        Path workflows = dir.resolve("workflows.yaml");
        plan.writeWorkflows(workflows);
        List<WorkflowSpec> read = WorkflowParser.parseFile(workflows);
        assertThat(read).extracting(WorkflowSpec::submitAtSeconds).containsExactly(0.0, 20.0);
        assertThat(read.get(0).tasks()).extracting(TaskSpec::kind).containsExactly("sim", "llm", "sim", "llm");
        assertThat(plan.fakeLlmArguments(plan.servers.get(0))).containsSubsequence("--port", "9001")
                .containsSubsequence("--load-seconds", "20.0").containsSubsequence("--time-scale", "0.1")
                .contains("--on-demand");
    }

    @Test
    void aWholeRunMeasuresBothSidesAndTheServersLoadWhatTheSimulatorSays() throws Exception {
        Path out = dir.resolve("out");
        InProcessMaze.Result result = maze("bench", "serve", workload().toString(), "--profiles", "daps,daps-warm",
                "--time-scale", "0.02", "--out", out.toString(), "--json", "-q");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode report = JsonMapper.builder().build().readTree(result.out());
        assertThat(report.path("workflows").asInt()).isEqualTo(2);
        for (String profile : List.of("daps", "daps-warm")) {
            JsonNode real = report.path("profiles").path(profile).path("real");
            JsonNode simulated = report.path("profiles").path(profile).path("simulated");
            assertThat(real.path("finished").asInt()).isEqualTo(2);
            assertThat(simulated.path("finished").asInt()).isEqualTo(2);
            // Well-separated arrivals leave no choice to timing: the servers load exactly what the simulation loads.
            assertThat(real.path("loads").asLong()).as(profile).isEqualTo(simulated.path("loads").asLong());
        }
        // daps unloads after every call (the engine tells the servers so), so each of the 4 calls loads its model.
        assertThat(report.path("profiles").path("daps").path("real").path("loads").asLong()).isEqualTo(4);
        assertThat(report.path("ratios")).hasSize(4);
        assertThat(out.resolve("workflows.csv")).content().contains("7,daps-warm,real,chain-1,chain");
        assertThat(out).isDirectoryContaining(p -> p.getFileName().toString().equals("report.json"))
                .isDirectoryContaining(p -> p.getFileName().toString().equals("servers-7-daps.json"));
    }

    @Test
    void aWorkloadWithNothingForAServerIsRefusedAndNothingStarts() throws Exception {
        Path file = dir.resolve("cpu-only.yaml");
        Files.writeString(file, """
                name: cpu-only
                cluster: {nodes: [{count: 1, cpu: 2, memoryGb: 8, gpus: 1, gpuMemoryGb: 80}]}
                classes: {step: {resources: {cpu: 1}, duration: 1}}
                types: [{name: t, weight: 1, tasks: [{id: a, class: step}]}]
                arrivals: {trace: [0]}
                """);
        InProcessMaze.Result result = maze("bench", "serve", file.toString(), "-q");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("cpu-only.yaml", "no task calls a model on a whole GPU");
    }

    @Test
    void badOptionsAreUsageErrors() throws Exception {
        String file = workload().toString();
        assertThat(maze("bench", "serve", file, "--profiles", "daps,nope").err()).contains("--profiles", "nope");
        assertThat(maze("bench", "serve", file, "--profiles", "daps,daps").err()).contains("names a profile twice");
        assertThat(maze("bench", "serve", file, "--time-scale", "0").exitCode()).isEqualTo(2);
        assertThat(maze("bench", "serve", dir.resolve("missing.yaml").toString()).err()).contains("does not exist");
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "");
        InProcessMaze.Result out = maze("bench", "serve", file, "--out", notADirectory.toString());
        assertThat(out.exitCode()).isEqualTo(2);
        assertThat(out.err()).contains("cannot create --out");
        Path big = dir.resolve("big.yaml");
        Files.writeString(big, WORKLOAD.replace("count: 2,", "count: 65,"));
        InProcessMaze.Result tooMany = maze("bench", "serve", big.toString());
        assertThat(tooMany.exitCode()).isEqualTo(2);
        assertThat(tooMany.err()).contains("65 GPUs", "at most 64");
    }
}
