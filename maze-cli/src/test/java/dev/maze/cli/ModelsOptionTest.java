package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --models FILE}: the model registry, the same for {@code run}, {@code demo} and {@code simulate}. */
class ModelsOptionTest {

    private static final Path ROOT = DocumentedCommandsTest.ROOT;

    @TempDir
    Path temp;

    private static String file(String relative) {
        return ROOT.resolve(relative).toString();
    }

    @Test
    void anInvalidRegistryIsInvalidInputWithEveryFieldNamedAndNothingRuns() throws Exception {
        Path models = temp.resolve("models.yaml");
        Files.writeString(models, """
                endpoints:
                  - id: a
                    url: ftp://host/v1
                    maxConcurrency: 0
                    holds: on-demand
                    apiKey: sk-literal-999
                    models: {qwen3-32b: {memoryGb: 20}}
                """);
        String[][] commands = {
            {"run", file("examples/llm-chain.yaml"), "--gpus", "1", "--model-dir", temp.resolve("m").toString()},
            {"demo", "--copies", "1", "--examples", file("examples")},
            {"simulate", file("workloads/batch-40.yaml"), "--policy", "daps"},
        };
        for (String[] command : commands) {
            String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(command),
                    java.util.stream.Stream.of("--models", models.toString(), "-q")).toArray(String[]::new);
            InProcessMaze.Result result = maze(args);
            String name = command[0];
            assertThat(result.exitCode()).as(name + ": " + result.err()).isEqualTo(2);
            assertThat(result.err()).as(name)
                    .contains("invalid input (5 problems); nothing was run")
                    .contains(models + ": field 'endpoints[0].url': expected an http or https URL")
                    .contains(models + ": field 'endpoints[0].maxConcurrency'")
                    .contains(models + ": field 'endpoints[0].memoryGb': missing")
                    .contains(models + ": field 'endpoints[0].apiKey': a key is never written in a file")
                    .contains(models + ": field 'endpoints[0].models.qwen3-32b.loadSeconds': missing")
                    .doesNotContain("sk-literal-999");
            assertThat(result.out()).as(name).doesNotContain("sk-literal-999").doesNotContain("WORKFLOW");
        }
        InProcessMaze.Result missing = maze("simulate", file("workloads/batch-40.yaml"), "--policy", "daps", "--models",
                temp.resolve("nope.yaml").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("nope.yaml: file not found");
    }

    @Test
    void runSendsTheModelCallsToTheEndpoints() {
        InProcessMaze.Result result = maze("run", file("examples/llm-chain.yaml"), "--models", file("examples/registries/vllm.yaml"),
                "--config", file("examples/config/maze.yaml"), "--model-dir", temp.resolve("m").toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        // No GPU on this node: the chain's qwen3-32b calls could only run on the endpoints.
        assertThat(result.err()).contains("endpoint vllm-a (qwen3-32b, 8 at once); endpoint vllm-b");
        assertThat(result.err()).doesNotContain("10.0.0.5");
    }

    @Test
    void validateChecksTheRegistryAndTheWorkflowsTogether() throws Exception {
        Path models = temp.resolve("bad.yaml");
        Files.writeString(models, "endpoints:\n  - {id: a, url: http://h/v1, maxConcurrency: 2, holds: always}\n");
        Path workflow = temp.resolve("w.yaml");
        Files.writeString(workflow, "name: w\ntasks:\n  - {id: t, kind: sim, resources: {gpus: 2, model: qwen3-32b}}\n");

        InProcessMaze.Result bad = maze("validate", workflow.toString(), "--models", models.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains(models + ": field 'endpoints[0].models': missing");

        InProcessMaze.Result twoSlots = maze("validate", workflow.toString(), "--gpus", "2", "--models",
                file("examples/registries/vllm.yaml"));
        assertThat(twoSlots.exitCode()).isEqualTo(2);
        assertThat(twoSlots.err()).contains("workflow 'w', task 't', field 'resources': model 'qwen3-32b' is served by the"
                + " endpoints of the model registry, which take a call in one slot");

        assertThat(maze("validate", file("examples/llm-chain.yaml"), "--models", file("examples/registries/vllm.yaml"))
                .exitCode()).as("no GPU here: the endpoints run the chain's calls").isZero();
        assertThat(maze("validate", file("examples/llm-chain.yaml")).exitCode()).as("without them nothing could").isEqualTo(2);
    }
}
