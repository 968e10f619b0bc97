package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.fakellm.FakeLlmConfig;
import dev.maze.fakellm.FakeLlmServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real model calls from the command line: --llm-base-url, and the demo's fake server when none is given. */
class ModelCallCommandTest {

    private static final String EXAMPLE = "../examples/models/ask-and-summarize.yaml";

    @Test
    void runCallsTheServerItIsPointedAt() {
        try (FakeLlmServer server = FakeLlmServer.start(FakeLlmConfig.builder().models("qwen3-32b").timeScale(0.01).build())) {
            InProcessMaze.Result result = maze("run", EXAMPLE, "--llm-base-url", server.baseUrl().toString(), "-q", "--json");

            assertThat(result.exitCode()).as(result.err() + result.out()).isZero();
            assertThat(result.out()).contains("\"completed\" : 1");
            assertThat(server.stats().model("qwen3-32b").served()).isEqualTo(2);
        }
    }

    @Test
    void withoutAServerTheModelCallsAreInvalidInputSayingHowToGiveOneAndNothingRuns() {
        InProcessMaze.Result result = maze("run", EXAMPLE, "-q", "--json");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("invalid input", "nothing was run", "inputs.baseUrl",
                "no endpoint for model 'qwen3-32b'", "--llm-base-url");
        assertThat(result.out()).isEmpty();
        InProcessMaze.Result validate = maze("validate", EXAMPLE);
        assertThat(validate.exitCode()).isEqualTo(2);
        assertThat(validate.err()).contains("no endpoint for model 'qwen3-32b'");
    }

    @Test
    void aBaseUrlThatIsNotHttpIsAUsageError() {
        InProcessMaze.Result result = maze("run", EXAMPLE, "--llm-base-url", "ftp://models.example.com");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--llm-base-url: expected an http or https URL");
    }

    @Test
    void theDemoStartsTheFakeServerWhenNoneIsGiven() {
        InProcessMaze.Result result = maze("demo", "--examples", "../examples", "--copies", "1", "-q");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("maze: no model server given; started maze fake-llm on http://127.0.0.1:",
                "for qwen3-32b", "--llm-base-url", "--models FILE");
        assertThat(result.out()).contains("ask-and-summarize", "FINISHED");
    }

    @Test
    void thePredictorLearnsFromRealCallsWithTemplatedPrompts(@org.junit.jupiter.api.io.TempDir java.nio.file.Path temp)
            throws Exception {
        // 60 calls whose prompts only exist once their predecessor ran: what they measured is what is learned.
        StringBuilder yaml = new StringBuilder("name: learn\ntasks:\n");
        for (int i = 0; i < 60; i++) {
            yaml.append("  - {id: seed").append(i).append(", kind: sim, inputs: {seconds: 0, output: {text: \"")
                    .append("word ".repeat(1 + i * 7)).append("\"}}}\n");
            yaml.append("  - {id: call").append(i).append(", kind: llm, toolType: llm_process, dependsOn: seed").append(i)
                    .append(", inputs: {model: qwen3-32b, maxTokens: 4, prompt: \"Summarise: {{tasks.seed").append(i)
                    .append(".output.text}}\"}}\n");
        }
        java.nio.file.Path workflow = java.nio.file.Files.writeString(temp.resolve("learn.yaml"), yaml);
        java.nio.file.Path models = temp.resolve("models");
        try (FakeLlmServer server = FakeLlmServer.start(FakeLlmConfig.builder().models("qwen3-32b").timeScale(0.01).build())) {
            InProcessMaze.Result run = maze("run", workflow.toString(), "--llm-base-url", server.baseUrl().toString(),
                    "--model-dir", models.toString(), "-q");
            assertThat(run.exitCode()).as(run.err()).isZero();
        }

        InProcessMaze.Result info = maze("predictor", "info", "--model-dir", models.toString(), "--json");
        assertThat(info.exitCode()).isZero();
        var types = new com.fasterxml.jackson.databind.ObjectMapper().readTree(info.out());
        var llm = java.util.stream.StreamSupport.stream(types.spliterator(), false)
                .filter(t -> t.path("toolType").asText().equals("llm_process")).findFirst().orElseThrow();
        assertThat(llm.path("samples").asInt()).isEqualTo(60);
        assertThat(llm.path("trainedOnSamples").asInt()).as("a model was trained").isGreaterThanOrEqualTo(50);
        List<String> rows = java.nio.file.Files.readAllLines(models.resolve("llm_process/dataset.csv"));
        int tokens = List.of(rows.get(0).split(",")).indexOf("token_count");
        assertThat(tokens).as(rows.get(0)).isNotNegative();
        assertThat(rows.subList(1, rows.size())).as("every row has the prompt tokens the call measured")
                .allSatisfy(row -> assertThat(Double.parseDouble(row.split(",")[tokens])).isPositive());
    }
}
