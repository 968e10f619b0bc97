package dev.maze.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.predict.RuntimePredictor;
import dev.maze.core.workflow.TaskSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The batch file loader: the shipped example, JSON as well as YAML, and errors naming file, request/task, field. */
class BatchFileLoaderTest {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final Path EXAMPLE = ROOT.resolve("examples/plan/backlog.yaml");

    @TempDir
    Path dir;

    @Test
    void theExampleBacklogReadsWithScopedIdsAndItsCluster() throws IOException {
        Problem problem = BatchFile.read(EXAMPLE, null);
        assertThat(problem.size()).isEqualTo(21);
        assertThat(problem.gpus()).isEqualTo(4);
        assertThat(problem.models()).containsOnlyKeys("llama-8b", "qwen-32b", "llama-70b", "bge-embed");
        assertThat(problem.models().get("llama-70b").gpusRequired()).isEqualTo(2);
        assertThat(problem.cluster().initialModels()).containsExactly("llama-8b", "llama-8b", "bge-embed", null);
        PlanTask answer = problem.task(problem.indexOf("support-triage/answer"));
        assertThat(answer.after()).hasSize(4).allMatch(id -> id.startsWith("support-triage/classify-"));
        assertThat(problem.task(problem.indexOf("research-1/review")).after()).containsExactly("research-1/summarise");
        for (Strategy strategy : Strategies.all()) {
            Plan plan = strategy.plan(problem, Strategy.Budget.DEFAULT);
            assertThat(Verifier.violations(plan)).as(strategy.name()).isEmpty();
        }
        assertThat(BatchFile.read(EXAMPLE, 6).gpus()).as("--gpus overrides cluster.gpus").isEqualTo(6);
        assertThat(BatchFile.read(EXAMPLE, 2).cluster().initialModels()).containsExactly("llama-8b", "llama-8b");
    }

    @Test
    void jsonReadsTheSameAndDefaultsFillTheCluster() throws IOException {
        Path json = Files.writeString(dir.resolve("b.json"), """
                {"cluster": {"gpus": 2}, "models": [{"name": "m", "memoryGb": 10}],
                 "requests": [{"name": "r", "tasks": [{"id": "a", "model": "m", "seconds": 1},
                                                      {"id": "b", "model": "m", "seconds": 2, "dependsOn": ["a"]}]}]}
                """);
        Problem problem = BatchFile.read(json, null);
        assertThat(problem.size()).isEqualTo(2);
        assertThat(problem.cluster().pcieGbPerSecond()).isEqualTo(Cluster.DEFAULT_PCIE_GB_PER_SECOND);
        assertThat(problem.task(problem.indexOf("r/b")).after()).containsExactly("r/a");
        assertThat(problem.models().get("m").gpusRequired()).isEqualTo(1);
    }

    @Test
    void aTaskWithoutSecondsGetsThePredictorsEstimateFromWhatTheEngineWouldKnow() throws IOException {
        Path file = Files.writeString(dir.resolve("estimate.yaml"), """
                cluster: {gpus: 2}
                models: [{name: small, memoryGb: 16}, {name: big, memoryGb: 140, gpusRequired: 2}]
                requests:
                  - name: r
                    tasks:
                      - {id: plan, model: big, inputs: {text: plan it}}
                      - {id: act, model: small, seconds: 4, toolType: tool, after: [plan]}
                      - {id: sum, model: small, toolType: summarise, features: {prompt_tokens: 900}, after: [act]}
                """);
        List<TaskSpec> asked = new ArrayList<>();
        RuntimePredictor predictor = task -> {
            asked.add(task);
            return task.resources().gpus() * 10 + task.features().getOrDefault("prompt_tokens", 0.0) / 100;
        };
        Problem problem = BatchFile.read(file, null, predictor);
        assertThat(problem.seconds(problem.indexOf("r/plan"))).isEqualTo(20);
        assertThat(problem.seconds(problem.indexOf("r/act"))).as("stated seconds win").isEqualTo(4);
        assertThat(problem.seconds(problem.indexOf("r/sum"))).isEqualTo(19);
        assertThat(asked).extracting(TaskSpec::id).containsExactly("plan", "sum");
        TaskSpec plan = asked.get(0);
        assertThat(plan.toolType()).isEqualTo("llm_process");
        assertThat(plan.resources().model()).isEqualTo("big");
        assertThat(plan.inputs().get("text").asText()).isEqualTo("plan it");
        assertThat(asked.get(1).toolType()).isEqualTo("summarise");
        assertThatThrownBy(() -> BatchFile.read(file, null)).as("no predictor: seconds are required")
                .hasMessageContaining("request 'r' task 'plan': seconds is missing");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{id: a, model: m, features: {tokens: many}}|request 'r' task 'a' features: tokens must be a number",
        "{id: a, model: m, features: [1]}|request 'r' task 'a' features must be a mapping",
        "{id: a, model: m, inputs: text}|request 'r' task 'a': inputs must be a mapping",
        "{id: a, model: m, toolType: 3}|request 'r' task 'a': toolType must be a tool type name"})
    void badEstimateFieldsAreRefusedNamingTheTask(String task, String message) throws IOException {
        Path file = Files.writeString(dir.resolve("bad-estimate.yaml"),
                "cluster: {gpus: 2}\n" + GOOD_MODELS + "requests: [{name: r, tasks: [" + task + "]}]\n");
        assertThatThrownBy(() -> BatchFile.read(file, null, t -> 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ": ").hasMessageContaining(message);
    }

    private static final String GOOD_MODELS = "models: [{name: m, memoryGb: 10, gpusRequired: 1}]\n";

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "cluster: {gpus: 2, colour: red}|cluster: unknown field 'colour'",
        "cluster: {gpus: 0}|cluster: gpus must be a whole number from 1",
        "cluster: {gpuMemoryGb: 80}|cluster: gpus is missing",
        "cluster: {gpus: 2, pcieGbPerSecond: -1}|cluster: pcieGbPerSecond must be a number above 0",
        "cluster: {gpus: 2, initialModels: [x]}|cluster.initialModels[0]: model 'x' is not one of models [m]",
        "cluster: {gpus: 2}\\nmodels: []|models must be a non-empty list",
        "cluster: {gpus: 2}\\nmodels: [{name: m, memoryGb: 10, gpus: 1}]|model 'm': unknown field 'gpus'",
        "cluster: {gpus: 2}\\nmodels: [{name: m, memoryGb: 10, gpusRequired: 3}]|model m needs 3 GPUs; the cluster has 2",
        "cluster: {gpus: 2}\\nmodels: [{name: m, memoryGb: 200}]|does not fit GPUs of 80.0 GB",
        "cluster: {gpus: 2}\\nmodels: [{name: m, memoryGb: ten}]|model 'm': memoryGb must be a number of 0 or more",
        "REQ [{name: r, tasks: [{id: a, model: m}]}]|request 'r' task 'a': seconds is missing",
        "REQ [{name: r, tasks: [{id: a, model: m, seconds: -2}]}]|request 'r' task 'a': seconds must be a number of 0 or more",
        "REQ [{name: r, tasks: [{id: a, model: n, seconds: 1}]}]|request 'r' task 'a': model 'n' is not one of models [m]",
        "REQ [{name: r, tasks: [{id: a, model: m, seconds: 1, after: [z]}]}]|request 'r' task 'a': after names 'z', which is not a task of request 'r'",
        "REQ [{name: r, tasks: [{id: a, model: m, seconds: 1, depends: [z]}]}]|request 'r' task 'a': unknown field 'depends'",
        "REQ [{name: r, tasks: [{model: m, seconds: 1}]}]|request 'r' tasks[0]: id is missing",
        "REQ [{name: r, tasks: [{id: a, model: m, seconds: 1}, {id: a, model: m, seconds: 1}]}]|request 'r' task 'a' appears twice",
        "REQ [{name: r, tasks: [{id: a, model: m, seconds: 1, after: [b]}, {id: b, model: m, seconds: 1, after: [a]}]}]|the dependencies form a cycle",
        "REQ [{name: r, tasks: []}]|request 'r': tasks must be a non-empty list",
        "REQ [{name: r, tasks: [{id: a, model: m, seconds: 1}]}, {name: r, tasks: [{id: a, model: m, seconds: 1}]}]|request 'r' appears twice",
        "REQ [{tasks: [{id: a, model: m, seconds: 1}]}]|requests[0]: name is missing",
        "cluster: {gpus: 2}\\nextra: 1|the top level: unknown field 'extra'",
        "cluster: [1|not valid YAML"})
    void aBadFileIsRefusedNamingTheFileWhereAndTheField(String body, String message) throws IOException {
        String text = body.replace("\\n", "\n");
        if (text.startsWith("REQ ")) {
            text = "cluster: {gpus: 2}\n" + GOOD_MODELS + "requests: " + text.substring(4);
        }
        if (!text.contains("models:")) {
            text += "\n" + GOOD_MODELS;
        }
        if (!text.contains("requests:")) {
            text += "\nrequests: [{name: r, tasks: [{id: a, model: m, seconds: 1}]}]\n";
        }
        Path file = Files.writeString(dir.resolve("bad.yaml"), text);
        assertThatThrownBy(() -> BatchFile.read(file, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file + ": ").hasMessageContaining(message);
    }
}
