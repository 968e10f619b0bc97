package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins what {@code maze simulate --seeds 3 --json} reports for every profile on each shipped workload, so that a
 * change to the engine's shape that is not meant to move a scheduling decision proves it does not. The files under
 * {@code src/test/resources/golden/} were written by the engine before the seams of issue 15 (timing fields, which
 * depend on the machine, left out). When a change is meant to move a figure, regenerate the file and say in the
 * README which figure moved and why.
 */
class SimulateGoldenTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Wall-clock figures: they vary from run to run. */
    private static final Set<String> TIMING = Set.of("schedulingPassesPerSecond", "simulatedTasksPerSecond", "wallSeconds");

    @ParameterizedTest
    @ValueSource(strings = {"batch-40", "maze-dynamic", "maze-dynamic-vllm", "predictor-mix"})
    void simulateOutputIsUnchanged(String workload) throws IOException {
        Path file = projectRoot().resolve("workloads/" + workload + ".yaml");
        InProcessMaze.Result result = maze("simulate", file.toString(), "--seeds", "3", "-q", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode actual = withoutTiming(JSON.readTree(result.out()));
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/golden/simulate-" + workload + ".json")) {
            expected = JSON.readTree(in);
        }
        assertThat(actual.size()).as("profiles").isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("profile " + expected.get(i).path("policy").asText()).isEqualTo(expected.get(i));
        }
    }

    private static JsonNode withoutTiming(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (TIMING.contains(name)) {
                    names.remove();
                } else {
                    withoutTiming(object.get(name));
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(SimulateGoldenTest::withoutTiming);
        }
        return node;
    }

    static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("workloads")) && Files.exists(dir.resolve("mvnw"))) {
                return dir;
            }
        }
        throw new IllegalStateException("project root (with workloads/ and mvnw) not found above " + Path.of("").toAbsolutePath());
    }
}
