package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code maze explore bench}: one row per scheduler, the same figures for the same seeds, bad options exit 2; {@code
 * maze explore CONFIG} and {@code maze explore status} end to end.
 */
class ExploreCommandTest {

    @TempDir
    Path dir;

    @Test
    void jsonHasOneObjectPerSchedulerAndTheSameSeedsGiveTheSameFigures() throws Exception {
        String[] args = {"explore", "bench", "--seeds", "3", "--loops", "2", "--json"};
        InProcessMaze.Result result = maze(args);
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode rows = JsonMapper.builder().build().readTree(result.out());
        assertThat(rows.findValuesAsText("scheduler")).containsExactly("round-robin", "probabilistic", "trace-length",
                "sota", "random", "mcts");
        for (JsonNode row : rows) {
            assertThat(row.properties()).extracting(java.util.Map.Entry::getKey)
                    .containsExactly("scheduler", "accepted", "bestPathDepth", "bestScore", "shareBest");
            assertThat(row.path("shareBest").asDouble()).isBetween(0.0, 1.0);
            assertThat(row.path("accepted").asDouble()).isBetween(0.0, 60.0);
        }
        assertThat(maze(args).out()).isEqualTo(result.out());
    }

    @Test
    void theTableNamesTheSettingsAndEachScheduler() {
        InProcessMaze.Result result = maze("explore", "bench", "--hill-climb", "0,0.5", "--budget", "20", "--seeds", "2",
                "--scheduler", "sota:decay=0.5,inverse=true,mcts:c=2,round-robin");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("hill-climb means 0.0,0.5; budget 20, 1 loop, at most 2 traces, seeds 1-2")
                .contains("\nsota:decay=0.5,inverse=true ").contains("\nmcts:c=2 ").contains("\nround-robin ")
                .contains("best-path depth");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--probabilities 0.1,1.5 | --probabilities: 1.5 is not a probability (0 to 1)",
        "--probabilities 0.1,abc | Invalid value for option '--probabilities'",
        "--hill-climb NaN | --hill-climb: NaN is not a finite number",
        "--probabilities 0.5 --hill-climb 1 | give --probabilities or --hill-climb, not both",
        "--budget 0 | --budget must be from 1 to 10000, was 0",
        "--loops 65 | --loops must be from 1 to 64, was 65",
        "--max-traces 4 | --max-traces must be from 1 to 3, was 4",
        "--seeds 0 | --seeds must be from 1 to 10000, was 0",
        "--scheduler sota,greedy | --scheduler: no scheduler 'greedy'; known: round-robin, probabilistic",
        "--scheduler mcts:c=-1 | --scheduler: scheduler mcts: c must be a number >= 0, got '-1'"})
    void badOptionsExit2WithAMessage(String options, String message) {
        String[] args = ("explore bench " + options).split(" ");
        InProcessMaze.Result result = maze(args);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(message);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void exploreWithoutACommandPrintsItsUsageAndExits2() {
        InProcessMaze.Result result = maze("explore");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).startsWith("maze explore: missing command; give one of ");
    }

    @Test
    void exploreRunsAConfigurationToItsBudgetPrintsTheTreeAndStatusReadsItBack() throws Exception {
        Path config = dir.resolve("tune.yaml");
        Files.writeString(config, """
                direction: higher
                loops: 2
                maxTraces: 2
                scheduler: sota
                budget: {experiments: 4, time: 10m}
                run: {command: [sh, -c, 'echo "score: $MAZE_EXPERIMENT"']}
                sandbox: {pids: 64}
                """);
        assertThat(maze("explore", "status", config.toString()).err()).contains("nothing explored yet");
        InProcessMaze.Result result = maze("explore", config.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("tune: 4 experiment(s)").contains("<- best")
                .contains("stopped: the experiment budget (4) is spent");
        assertThat(result.err()).contains("maze explore: sandbox processes 64").contains("finished attempt 4");
        InProcessMaze.Result status = maze("explore", "status", config.toString());
        assertThat(status.exitCode()).isZero();
        assertThat(status.out()).startsWith("tune: 4 experiment(s)").contains("in flight 0; time used");
        JsonNode tree = JsonMapper.builder().build().readTree(maze("explore", config.toString(), "--json", "-q").out());
        assertThat(tree.get("experiments")).hasSize(4); // nothing left to do: the same tree
        assertThat(tree.get("experiments").get(tree.get("best").asInt()).get("score").asDouble()).isEqualTo(4);
    }

    @Test
    void aBadConfigurationExits2NamingTheFieldAndCreatesNothing() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "direction: higher\nbudget: {time: soon}\nrun: {command: [sh]}\n");
        InProcessMaze.Result result = maze("explore", config.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains(config + ": budget: time: 'soon' is not a duration");
        assertThat(dir.resolve("bad.explore")).doesNotExist();
        assertThat(maze("explore", dir.resolve("none.yaml").toString()).err()).contains("does not exist");
    }

    @Test
    void aModelCallMayProposeAndItsAnswerReachesTheRun() throws Exception {
        try (dev.maze.fakellm.FakeLlmServer server = dev.maze.fakellm.FakeLlmServer.start(
                dev.maze.fakellm.FakeLlmConfig.builder().models("qwen3-32b").timeScale(0.01).build())) {
            Path config = dir.resolve("llm.yaml");
            Files.writeString(config, """
                    direction: higher
                    budget: {experiments: 2}
                    maxTraces: 1
                    propose:
                      task:
                        kind: llm
                        inputs:
                          model: qwen3-32b
                          baseUrl: %s
                          prompt: 'Improve on ${MAZE_BASE_SCORE}: propose the next change.'
                          maxTokens: 20
                    run: {command: [sh, -c, 'test -n "$MAZE_PROPOSAL" && echo "score: $MAZE_EXPERIMENT"']}
                    """.formatted(server.baseUrl()));
            InProcessMaze.Result result = maze("explore", config.toString(), "-q");
            assertThat(result.exitCode()).as(result.err()).isZero();
            assertThat(result.out()).startsWith("llm: 2 experiment(s), 2 accepted");
            assertThat(server.stats().model("qwen3-32b").served()).isEqualTo(2);
        }
    }
}
