package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maze place} end to end: the examples, --json, infeasibility (exit 1), bad input (exit 2), simulate. */
class PlaceCommandTest {

    static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    static final String MODEL = ROOT.resolve("examples/place/llama-70b.yaml").toString();
    static final String NODES = ROOT.resolve("examples/place/nodes.yaml").toString();

    @TempDir
    Path dir;

    @Test
    void theJsonHasThePipelinesAndFiguresTheIssueNames() throws Exception {
        InProcessMaze.Result result = maze("place", "--model", MODEL, "--nodes", NODES, "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(result.out());
        assertThat(root.get("feasible").asBoolean()).isTrue();
        JsonNode stages = root.get("pipelines").get(0);
        assertThat(stages.get(0).get("startLayer").asInt()).isZero();
        assertThat(stages.get(stages.size() - 1).get("endLayer").asInt()).isEqualTo(80);
        double bottleneck = 0;
        for (JsonNode stage : stages) {
            assertThat(stage.has("node")).isTrue();
            bottleneck = Math.max(bottleneck, stage.get("stageMs").asDouble());
        }
        assertThat(root.get("bottleneckMs").asDouble()).isEqualTo(bottleneck);
        assertThat(root.get("throughputTokensPerSec").asDouble()).isCloseTo(1000 / bottleneck,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(root.get("latencyMs").asDouble()).isGreaterThan(bottleneck);
        // The KV cache for the default context bounds the requests every stage holds; the pipeline's is the least.
        assertThat(root.get("contextTokens").asInt()).isEqualTo(4096);
        int least = Integer.MAX_VALUE;
        for (JsonNode stage : stages) {
            least = Math.min(least, stage.get("maxRequests").asInt());
        }
        assertThat(least).isPositive();
        assertThat(root.get("maxConcurrentRequests").asInt()).isEqualTo(least);
        JsonNode without = new ObjectMapper().readTree(maze("place", "--model", MODEL, "--nodes", NODES,
                "--context-tokens", "0", "--json").out());
        assertThat(without.get("maxConcurrentRequests").isNull()).isTrue();
        assertThat(ranges(without)).isEqualTo(ranges(root)); // these nodes' KV shares do not change the placement
        assertThat(without.get("pipelines").get(0).get(0).get("maxRequests").isNull()).isTrue();
    }

    @Test
    void anInfeasibleClusterExits1WithTheMissingCapacity() throws Exception {
        Path nodes = dir.resolve("one.yaml");
        Files.writeString(nodes, "- {id: small, tflops: 100, memoryGb: 40}\n");
        InProcessMaze.Result result = maze("place", "--model", MODEL, "--nodes", nodes.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains("maze: infeasible: no pipeline holds all 80 layers")
                .contains("60 layer(s), 102.7 GB of weight memory, missing");
        InProcessMaze.Result json = maze("place", "--model", MODEL, "--nodes", nodes.toString(), "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        assertThat(new ObjectMapper().readTree(json.out()).get("feasible").asBoolean()).isFalse();
    }

    @Test
    void badInputExits2NamingTheFileAndFieldAndNothingIsPrintedOnStdout() throws Exception {
        Path nodes = dir.resolve("bad.yaml");
        Files.writeString(nodes, "- {id: a, tflops: 100, memoryGb: 40, memoryGB: 4}\n");
        InProcessMaze.Result result = maze("place", "--model", MODEL, "--nodes", nodes.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains(nodes + ": node 'a': unknown field 'memoryGB'");
        assertThat(maze("place", "--nodes", NODES).err()).contains("give the model (--model FILE)");
        assertThat(maze("place", "--model", MODEL, "--nodes", NODES, "--allocator", "best").err())
                .contains("--allocator: no allocator 'best'; known: dp, greedy, waterfill");
        assertThat(maze("place", "--model", MODEL, "--nodes", NODES, "--batch-tokens", "0").exitCode()).isEqualTo(2);
        assertThat(maze("place", "--model", MODEL, "--nodes", NODES, "--context-tokens", "-1").err())
                .contains("--context-tokens");
    }

    @Test
    void simulateComparesEveryRouter() {
        InProcessMaze.Result result = maze("place", "simulate", "--model", MODEL, "--nodes",
                ROOT.resolve("examples/place/pool.yaml").toString(), "--objective", "replicas", "--requests",
                ROOT.resolve("examples/place/simulate.yaml").toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        for (String router : new String[] {"round-robin", "dp", "dp-mid", "max-flow"}) {
            assertThat(result.out()).containsPattern("(?m)^" + router + " +400 +0 ");
        }
        assertThat(result.out()).contains("expired     a100-a").contains("moved GB");
        InProcessMaze.Result bad = maze("place", "simulate", "--model", MODEL, "--nodes",
                ROOT.resolve("examples/place/pool.yaml").toString(), "--requests",
                ROOT.resolve("examples/place/simulate.yaml").toString(), "--load-gb-per-sec", "-1");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("--load-gb-per-sec");
    }

    private static java.util.List<String> ranges(JsonNode root) {
        java.util.List<String> ranges = new java.util.ArrayList<>();
        root.get("pipelines").forEach(p -> p.forEach(stage -> ranges.add(stage.get("node").asText() + " "
                + stage.get("startLayer").asInt() + "-" + stage.get("endLayer").asInt())));
        return ranges;
    }
}
