package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pins what {@code maze simulate --seeds 3 --json} reports for every profile on each shipped workload, so that a
 * change to the engine's shape that is not meant to move a scheduling decision proves it does not. The files under
 * {@code src/test/resources/golden/} were first written by the engine before the seams of issue 15 (timing fields,
 * which depend on the machine, left out); profiles are matched by name, so a new profile shows up as one added entry.
 *
 * <p>When a change is meant to move a figure (or adds a profile), regenerate the files from the build's output with
 * {@code ./mvnw -q test -pl maze-cli -am -Dtest=SimulateGoldenTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dgolden.update=true}, check with {@code git diff} that only the intended profiles moved, and say in the README which
 * figure moved and why. The files are written as {@code python3 -m json.tool --indent 1 --sort-keys} writes them, so
 * the diff shows only values that changed.
 */
class SimulateGoldenTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Wall-clock figures: they vary from run to run. */
    private static final Set<String> TIMING = Set.of("schedulingPassesPerSecond", "simulatedTasksPerSecond", "wallSeconds");
    /** {@code -Dgolden.update=true}: rewrite the golden files instead of comparing. */
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");

    @ParameterizedTest
    @ValueSource(strings = {"batch-40", "maze-dynamic", "maze-dynamic-vllm", "predictor-mix"})
    void simulateOutputIsUnchanged(String workload) throws IOException {
        Path file = projectRoot().resolve("workloads/" + workload + ".yaml");
        InProcessMaze.Result result = maze("simulate", file.toString(), "--seeds", "3", "-q", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode actual = withoutTiming(JSON.readTree(result.out()));
        if (UPDATE) {
            Path golden = projectRoot().resolve("maze-cli/src/test/resources/golden/simulate-" + workload + ".json");
            Files.writeString(golden, pretty(actual), StandardCharsets.UTF_8);
            System.err.println("SimulateGoldenTest: wrote " + golden);
            return;
        }
        JsonNode expected;
        try (InputStream in = getClass().getResourceAsStream("/golden/simulate-" + workload + ".json")) {
            expected = JSON.readTree(in);
        }
        Map<String, JsonNode> expectedByProfile = byProfile(expected);
        Map<String, JsonNode> actualByProfile = byProfile(actual);
        assertThat(actualByProfile.keySet()).as("profiles, in report order").containsExactlyElementsOf(expectedByProfile.keySet());
        for (Map.Entry<String, JsonNode> entry : expectedByProfile.entrySet()) {
            assertThat(actualByProfile.get(entry.getKey())).as("profile " + entry.getKey()).isEqualTo(entry.getValue());
        }
    }

    private static Map<String, JsonNode> byProfile(JsonNode profiles) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        profiles.forEach(profile -> byName.put(profile.path("policy").asText(), profile));
        return byName;
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

    /** The tree with keys sorted, one-space indents and decimals in plain notation, as the files were first written. */
    private static String pretty(JsonNode node) throws IOException {
        return JSON.writer(new OneSpaceIndent()).with(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
                .writeValueAsString(sorted(node));
    }

    private static JsonNode sorted(JsonNode node) {
        JsonNodeFactory nodes = JsonNodeFactory.withExactBigDecimals(true);
        if (node instanceof ObjectNode object) {
            ObjectNode copy = nodes.objectNode();
            List<String> names = new ArrayList<>(new TreeSet<>(iterable(object.fieldNames())));
            names.forEach(name -> copy.set(name, sorted(object.get(name))));
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = nodes.arrayNode();
            array.forEach(element -> copy.add(sorted(element)));
            return copy;
        }
        if (node.isDouble()) {
            return nodes.numberNode(new BigDecimal(Double.toString(node.doubleValue())));
        }
        return node;
    }

    private static List<String> iterable(Iterator<String> names) {
        List<String> list = new ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    /** {@code "key": value}, a newline and one space per level before every element, {@code []} for an empty array. */
    private static final class OneSpaceIndent extends DefaultPrettyPrinter {
        OneSpaceIndent() {
            super(DEFAULT_SEPARATORS.withObjectFieldValueSpacing(Separators.Spacing.AFTER));
            indentArraysWith(new DefaultIndenter(" ", "\n"));
            indentObjectsWith(new DefaultIndenter(" ", "\n"));
        }

        @Override
        public DefaultPrettyPrinter createInstance() {
            return new OneSpaceIndent();
        }

        @Override
        public void writeEndObject(JsonGenerator g, int nrOfEntries) throws IOException {
            if (nrOfEntries > 0) {
                super.writeEndObject(g, nrOfEntries);
            } else {
                --_nesting;
                g.writeRaw('}');
            }
        }

        @Override
        public void writeEndArray(JsonGenerator g, int nrOfValues) throws IOException {
            if (nrOfValues > 0) {
                super.writeEndArray(g, nrOfValues);
            } else {
                --_nesting;
                g.writeRaw(']');
            }
        }
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
