package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

/** {@code maze bench plan}: every set measured for every strategy; bad options are usage errors. */
class PlanBenchmarkCommandTest {

    @Test
    void everySetReportsEveryStrategy() throws Exception {
        InProcessMaze.Result result = maze("bench", "plan", "--stg", DocumentedCommandsTest.ROOT.resolve(
                "benchmarks/stg").normalize().toString(), "--seeds", "1", "--gpus", "4", "--time-limit", "0", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode report = JsonMapper.builder().build().readTree(result.out());
        assertThat(report.path("stg").findValuesAsText("strategy")).containsExactly("dynamic", "batch", "heft", "affinity");
        for (JsonNode row : report.path("stg")) {
            assertThat(row.path("instances").asInt()).isEqualTo(120);
            assertThat(row.path("meanRatio").asDouble()).isGreaterThanOrEqualTo(1.0);
        }
        assertThat(report.path("stg").get(3).path("worseThanHeft").asInt()).as("affinity starts from heft's plan").isZero();
        assertThat(report.path("llm").path("rows")).hasSize(4);
        assertThat(report.path("llm").path("worstRatioToSeed").asDouble()).isLessThanOrEqualTo(1.0);
        assertThat(report.path("time")).hasSize(4);
    }

    @Test
    void anUnknownSetOrAMissingSampleIsAUsageError() {
        InProcessMaze.Result unknown = maze("bench", "plan", "--sets", "stg,fast");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("no set 'fast'");
        InProcessMaze.Result missing = maze("bench", "plan", "--sets", "stg", "--stg", "/nonexistent");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no optimal.csv in /nonexistent");
    }
}
