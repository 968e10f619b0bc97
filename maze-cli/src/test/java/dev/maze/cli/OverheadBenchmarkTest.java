package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

/** {@code maze bench overhead}: a node sweep in one run, and a simulator profile instead of a policy. */
class OverheadBenchmarkTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aNodeSweepReportsEachCountInOneRun() throws Exception {
        InProcessMaze.Result result = maze("bench", "overhead", "--workflows", "30", "--repeat", "1", "--nodes", "4,64",
                "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode bench = JSON.readTree(result.out());
        assertThat(bench.get("policy").asText()).isEqualTo("daps");
        assertThat(bench.has("microsPerTaskMedian")).as("one figure per count, in the sweep").isFalse();
        JsonNode sweep = bench.get("sweep");
        assertThat(sweep).hasSize(2);
        assertThat(sweep.get(0).get("nodes").asInt()).isEqualTo(4);
        assertThat(sweep.get(1).get("nodes").asInt()).isEqualTo(64);
        for (JsonNode count : sweep) {
            assertThat(count.get("microsPerTaskMedian").asDouble()).isPositive();
            assertThat(count.get("tasksPerSecond").asLong()).isPositive();
        }
        InProcessMaze.Result text = maze("bench", "overhead", "--workflows", "30", "--repeat", "1", "--nodes", "4,64");
        assertThat(text.out()).contains("policy daps", "     4 nodes: per task median", "    64 nodes: per task median");
    }

    @Test
    void aProfileSchedulesWithItsPolicyAndPlacement() throws Exception {
        InProcessMaze.Result result = maze("bench", "overhead", "--workflows", "30", "--repeat", "1", "--profile", "mars",
                "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode bench = JSON.readTree(result.out());
        assertThat(bench.get("profile").asText()).isEqualTo("mars");
        assertThat(bench.has("policy")).isFalse();
        assertThat(bench.get("nodes").asInt()).isEqualTo(16);
        assertThat(bench.get("microsPerTaskMedian").asDouble()).isPositive();
        assertThat(maze("bench", "overhead", "--workflows", "30", "--repeat", "1", "--profile", "agent").exitCode())
                .as("a profile with admission").isZero();
    }

    @Test
    void aProfileAndAPolicyExcludeEachOtherAndAnUnknownProfileListsTheKnownOnes() {
        InProcessMaze.Result both = maze("bench", "overhead", "--profile", "mars", "--policy", "fcfs");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--profile and --policy exclude each other");
        InProcessMaze.Result unknown = maze("bench", "overhead", "--profile", "marz");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown profile 'marz'", "mars");
        assertThat(maze("bench", "overhead", "--nodes", "16,0").exitCode()).isEqualTo(2);
    }

    @Test
    void aChainRunsOneLongWorkflowWhoseTemplatesAreChecked() throws Exception {
        InProcessMaze.Result result = maze("bench", "overhead", "--workflows", "2", "--tasks", "700", "--shape", "chain",
                "--repeat", "1", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode bench = JSON.readTree(result.out());
        assertThat(bench.get("shape").asText()).isEqualTo("chain");
        assertThat(bench.get("tasksPerWorkflow").asInt()).isEqualTo(700);
        InProcessMaze.Result unknown = maze("bench", "overhead", "--shape", "ring");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("--shape is random or chain");
    }
}
