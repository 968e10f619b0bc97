package dev.maze.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser.Format;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/workload-format.md honest: its checked examples parse, its list of errors is what the parser
 * reports, its override errors are what overrides report, and its copy of batch-40.yaml is the file.
 */
class WorkloadFormatDocTest {

    private static final Pattern CHECKED = Pattern.compile("<!-- checked: valid -->\\s*\\n```yaml\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern MISTAKES = Pattern.compile(
            "Here is a file with many mistakes.*?```yaml\\n(.*?)\\n```\\s*\\n```\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern OVERRIDE_ERRORS = Pattern.compile(
            "A key naming anything else is an error.*?```\\n(.*?)\\n```", Pattern.DOTALL);
    private static final Pattern BATCH = Pattern.compile(
            "<!-- same as workloads/batch-40.yaml -->\\s*\\n```yaml\\n(.*?)\\n```", Pattern.DOTALL);

    private static Path root;
    private static String doc;

    @BeforeAll
    static void read() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/workload-format.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("docs/workload-format.md above the working directory").isNotNull();
        root = dir;
        doc = Files.readString(dir.resolve("docs/workload-format.md"));
    }

    @Test
    void everyCheckedExampleIsAValidWorkload() throws Exception {
        Matcher matcher = CHECKED.matcher(doc);
        int found = 0;
        while (matcher.find()) {
            WorkloadDefinition workload = WorkloadParser.parse(matcher.group(1), Format.YAML, "example.yaml", Map.of());
            assertThat(workload.arrivals(workload.defaultSeed())).isNotEmpty();
            found++;
        }
        assertThat(found).as("checked examples in the doc").isGreaterThanOrEqualTo(2);
    }

    @Test
    void theListedMistakesAreExactlyWhatTheParserReports() {
        Matcher matcher = MISTAKES.matcher(doc);
        assertThat(matcher.find()).isTrue();
        List<String> reported = new ArrayList<>();
        try {
            WorkloadParser.parse(matcher.group(1), Format.YAML, "broken.yaml", Map.of());
        } catch (ValidationException e) {
            e.errors().stream().map(ValidationError::toString).forEach(reported::add);
        }
        assertThat(reported).containsExactlyElementsOf(matcher.group(2).lines().toList());
    }

    @Test
    void theListedOverrideErrorsAreWhatOverridesReportOnMazeDynamic() {
        Matcher matcher = OVERRIDE_ERRORS.matcher(doc);
        assertThat(matcher.find()).isTrue();
        List<String> lines = matcher.group(1).lines().toList();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String line : lines) {
            String key = line.substring(line.indexOf("field '") + 7, line.indexOf("': override"));
            overrides.put(key, "1");
        }
        List<String> reported = new ArrayList<>();
        try {
            // The doc's lines name the file without its directory.
            WorkloadParser.parse(Files.readString(root.resolve("workloads/maze-dynamic.yaml")), Format.YAML,
                    "maze-dynamic.yaml", overrides);
        } catch (ValidationException e) {
            e.errors().stream().map(ValidationError::toString).forEach(reported::add);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThat(reported).hasSameSizeAs(lines);
        for (int i = 0; i < lines.size(); i++) {
            String[] parts = lines.get(i).split("…", -1);
            assertThat(reported.get(i)).startsWith(parts[0]).endsWith(parts[parts.length - 1]);
        }
    }

    @Test
    void theDocsCopyOfBatch40IsTheFileWithoutComments() throws IOException {
        Matcher matcher = BATCH.matcher(doc);
        assertThat(matcher.find()).isTrue();
        List<String> file = Files.readAllLines(root.resolve("workloads/batch-40.yaml")).stream()
                .filter(line -> !line.startsWith("#") && !line.isBlank()).toList();
        assertThat(matcher.group(1).lines().toList()).isEqualTo(file);
    }
}
