package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.fakellm.FakeLlmConfig;
import dev.maze.fakellm.FakeLlmServer;
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
    void withoutAServerTheModelCallsFailSayingHowToGiveOne() {
        InProcessMaze.Result result = maze("run", EXAMPLE, "-q", "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("no endpoint for model 'qwen3-32b'", "--llm-base-url");
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
                "for qwen3-32b", "--llm-base-url");
        assertThat(result.out()).contains("ask-and-summarize", "FINISHED");
    }
}
