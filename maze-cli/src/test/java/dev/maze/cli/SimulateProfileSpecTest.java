package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.cli.InProcessMaze.Result;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code maze simulate --policy NAME:KEY=VALUE,...}: any profile with its own or its ordering's parameters overridden,
 * through the real command line and engine.
 */
class SimulateProfileSpecTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static String workload() {
        Path root = SimulateGoldenTest.projectRoot();
        return root.resolve("workloads/maze-dynamic.yaml").toString();
    }

    @Test
    void commasBetweenParametersStayInTheirSpec() {
        assertThat(SimulateCommand.specs(List.of("daps:w1=0,w2=1,mars", "agent:agents=per-node,ltf", "all")))
                .containsExactly("daps:w1=0,w2=1", "mars", "agent:agents=per-node", "ltf", "all");
        assertThat(SimulateCommand.specs(List.of("daps, fcfs ,", "mars:order=submit, w1=3")))
                .containsExactly("daps", "fcfs", "mars:order=submit,w1=3");
        assertThat(SimulateCommand.specs(List.of("daps,w1=0"))).as("no spec to continue").containsExactly("daps", "w1=0");
    }

    @Test
    void orderingParametersApplyOnTopOfTheProfile() throws Exception {
        Result result = maze("simulate", workload(), "--seeds", "2", "-q", "--json",
                "--policy", "daps,daps:w1=2,w2=1,daps:order=aging", "--profile", "mars");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode profiles = JSON.readTree(result.out());
        assertThat(profiles).extracting(p -> p.get("policy").asText())
                .containsExactly("daps", "daps:w1=2,w2=1", "daps:order=aging", "mars");
        // daps's own weights set again: the same scheduler, so the same figures, seed by seed.
        assertThat(profiles.get(1).get("latencyMean").asDouble()).isEqualTo(profiles.get(0).get("latencyMean").asDouble());
        assertThat(profiles.get(1).get("modelLoads").asDouble()).isEqualTo(profiles.get(0).get("modelLoads").asDouble());
        // Score first with aging instead of submission first: another order, other figures.
        assertThat(profiles.get(2).get("latencyMean").asDouble()).isNotEqualTo(profiles.get(0).get("latencyMean").asDouble());
        // Still daps's backend: every call loads its model.
        assertThat(profiles.get(2).get("modelLoads").asDouble()).isEqualTo(profiles.get(0).get("modelLoads").asDouble());
    }

    @Test
    void aMisspeltKeyIsAUsageErrorNamingTheProfileAndItsKeysBeforeAnythingRuns() {
        Result result = maze("simulate", workload(), "--policy", "mars,daps:w3=1");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("profile daps: unknown parameter 'w3'", "the profile has no parameters of its own",
                "its ordering daps takes w1, w2, order, aging, maxInferences, ema, expected");
        assertThat(result.err()).as("nothing ran").doesNotContain("workflows completed");

        Result value = maze("simulate", workload(), "--policy", "daps:w1=heavy");
        assertThat(value.exitCode()).isEqualTo(2);
        assertThat(value.err()).contains("profile daps: ", "w1 must be a number >= 0, got 'heavy'");
    }
}
