package dev.maze.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.sim.WorkloadParser;
import dev.maze.core.workflow.WorkflowParser.Format;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What no Maze document may hold, refused the same way in every format: YAML aliases (a reader would see the alias's
 * name, and nested aliases can stand for billions of values), and numbers that are not finite (NaN, infinities).
 */
class DocumentValuesTest {

    private static final String TASK = "{id: a, kind: sim, inputs: {seconds: 1}}";

    private static String error(String text, Format format) {
        try {
            WorkflowParser.parse(text, format, "wf." + format.name().toLowerCase());
        } catch (ValidationException e) {
            assertThat(e.errors()).hasSize(1);
            return e.errors().get(0).toString();
        }
        throw new AssertionError("accepted: " + text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "name: w\ntasks:\n  - &t " + TASK + "\n  - *t\n",
        "name: &n w\ntasks:\n  - {id: *n, kind: sim, inputs: {seconds: 1}}\n",
        "defaults: &d {kind: sim}\nname: w\ntasks:\n  - {<<: *d, id: a, inputs: {seconds: 1}}\n",
        "name: w\ntasks:\n  - {id: a, kind: sim, inputs: &i {seconds: 1}}\n  - {id: b, kind: sim, inputs: *i}\n"})
    void anAliasIsRefusedWithItsNameAndPlaceNotReadAsAString(String yaml) {
        String message = error(yaml, Format.YAML);
        assertThat(message).startsWith("wf.yaml: malformed YAML at line ").contains("YAML aliases (*")
                .contains("are not supported; write the value out in full").contains("billions of values")
                .doesNotContain("found string");
    }

    @Test
    void anAnchorWithoutAnAliasIsHarmlessAndAccepted() throws Exception {
        assertThat(WorkflowParser.parse("name: &n w\ntasks:\n  - &t " + TASK + "\n", Format.YAML, "wf.yaml")).hasSize(1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "YAML | .nan | timeoutSeconds",
        "YAML | .NaN | resources.cpu",
        "YAML | .NAN | predictedSeconds",
        "YAML | .inf | timeoutSeconds",
        "YAML | -.inf | resources.memoryGb",
        "YAML | +.Inf | retries.backoffSeconds",
        "YAML | .INF | features.text_length",
        "JSON | NaN | timeoutSeconds",
        "JSON | Infinity | resources.gpus",
        "JSON | -Infinity | resources.cpu",
        "JSON | +Infinity | predictedSeconds"})
    void aNonFiniteNumberIsOneErrorNamingTheFieldInBothFormats(Format format, String written, String field) {
        String[] path = field.split("\\.");
        String value = path.length == 1 ? written : "{" + path[1] + ": " + written + "}";
        String text = format == Format.YAML
                ? "name: w\ntasks:\n  - {id: a, kind: sim, inputs: {seconds: 1}, " + path[0] + ": " + value + "}\n"
                : "{\"name\": \"w\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\", \"inputs\": {\"seconds\": 1}, \""
                        + path[0] + "\": " + (path.length == 1 ? written : "{\"" + path[1] + "\": " + written + "}") + "}]}";
        String message = error(text, format);
        assertThat(message).startsWith("wf." + format.name().toLowerCase() + ": field 'tasks[0]." + field
                        + "': must be a finite number, found " + written + " (at line ")
                .endsWith("); no Maze field takes NaN or an infinity")
                .doesNotContain("Malformed numeric value").doesNotContain("ALLOW_NON_NUMERIC_NUMBERS");
    }

    @Test
    void aQuotedSpellingIsTextNotANumber() throws Exception {
        WorkflowSpec spec = WorkflowParser.parse("name: \".nan\"\ntasks:\n  - {id: a, kind: sim, inputs: {seconds: 1, "
                + "note: \"NaN\"}}\n", Format.YAML, "wf.yaml").get(0);
        assertThat(spec.name()).isEqualTo(".nan");
    }

    @Test
    void aNumberTooLargeToHoldIsStillTheFieldReadersToReport() {
        assertThat(error("name: w\ntasks:\n  - {id: a, kind: sim, inputs: {seconds: 1}, timeoutSeconds: 1e400}\n",
                Format.YAML)).contains("field 'timeoutSeconds'").contains("found a number too large to hold");
    }

    @Test
    void workloadFilesAndTheirOverridesAreReadTheSameWay() {
        String workload = """
                name: wl
                cluster: {nodes: [{count: 1, cpu: 8, memoryGb: 64}]}
                types:
                  - {name: t, tasks: [{id: a, duration: 1}]}
                arrivals: {batch: {count: 2, atSeconds: %s}}
                """;
        assertThatThrownBy(() -> WorkloadParser.parse(workload.formatted("-.inf"), Format.YAML, "wl.yaml", Map.of()))
                .hasMessageContaining("wl.yaml: field 'arrivals.batch.atSeconds': must be a finite number, found -.inf");
        assertThatThrownBy(() -> WorkloadParser.parse("base: &b {count: 1, cpu: 8, memoryGb: 64}\n"
                + workload.formatted("0").replace("[{count: 1, cpu: 8, memoryGb: 64}]", "[*b]"), Format.YAML, "wl.yaml",
                Map.of())).hasMessageContaining("YAML aliases (*b) are not supported");
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("types.t.tasks.a.duration", "{distribution: constant, seconds: .nan}");
        assertThatThrownBy(() -> WorkloadParser.parse(workload.formatted("0"), Format.YAML, "wl.yaml", overrides))
                .hasMessageContaining("override: value '{distribution: constant, seconds: .nan}'")
                .hasMessageContaining("field 'seconds': must be a finite number, found .nan");
        assertThatThrownBy(() -> WorkloadParser.parse(workload.formatted("0"), Format.YAML, "wl.yaml",
                Map.of("arrivals.batch", "{count: &c 2, atSeconds: *c}")))
                .hasMessageContaining("YAML aliases (*c) are not supported");
    }

    @Test
    void theErrorStopsAtTheFirstSuchValueAndNamesAListElementByIndex() {
        String message = error("[{\"name\": \"w\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\", \"inputs\": {\"seconds\": 1},"
                + " \"features\": {\"x\": 1}}]}, {\"name\": \"v\", \"tasks\": [{\"id\": \"b\", \"kind\": \"sim\","
                + " \"inputs\": {\"seconds\": [1, NaN]}}]}]", Format.JSON);
        assertThat(message).contains("field '[1].tasks[0].inputs.seconds[1]': must be a finite number, found NaN");
        assertThat(List.of(message)).hasSize(1);
    }
}
