package dev.maze.core.sim;

import static dev.maze.core.sim.WorkloadParserTest.TINY;
import static dev.maze.core.sim.WorkloadParserTest.errors;
import static dev.maze.core.sim.WorkloadParserTest.tiny;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.TaskSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --set key=value}: dotted paths into the document, the two shortcuts, and errors naming what exists. */
class WorkloadOverridesTest {

    private static TaskSpec task(WorkloadDefinition workload, String type, String id) {
        return workload.type(type).orElseThrow().spec().tasks().stream()
                .filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aDottedPathSetsOneValueAndNumbersParseAsNumbers() throws Exception {
        WorkloadDefinition workload = tiny(Map.of("models.qwen3-32b.loadSeconds", "45", "seed", "7"));
        assertThat(workload.models().get("qwen3-32b")).isEqualTo(new ModelSpec("qwen3-32b", 70, 45));
        assertThat(workload.models().get("whisper").loadSeconds()).isEqualTo(2.0);
        assertThat(workload.defaultSeed()).isEqualTo(7);
    }

    @Test
    void keysHoldingDotsAreMatchedWhole() throws Exception {
        String text = TINY.replace("qwen3-32b", "qwen2.5-vl-32b");
        WorkloadDefinition workload = WorkloadParserTest.parse(text, Map.of("models.qwen2.5-vl-32b.loadSeconds", "12.5"));
        assertThat(workload.models().get("qwen2.5-vl-32b").loadSeconds()).isEqualTo(12.5);
    }

    @Test
    void loadSecondsShortcutSetsEveryModelThatStatesALoadCost() throws Exception {
        String text = TINY.replace("whisper: {memoryGb: 10, sizeGb: 3, bandwidthGbPerSec: 1.5}",
                "whisper: {memoryGb: 10, sizeGb: 3, bandwidthGbPerSec: 1.5}\n  deepseek: {memoryGb: 70, loadSeconds: 25}");
        WorkloadDefinition workload = WorkloadParserTest.parse(text, Map.of("loadSeconds", "20"));
        assertThat(workload.models().get("qwen3-32b").loadSeconds()).isEqualTo(20);
        assertThat(workload.models().get("deepseek").loadSeconds()).isEqualTo(20);
        assertThat(workload.models().get("whisper").loadSeconds()).as("size over bandwidth stays").isEqualTo(2.0);
    }

    @Test
    void arrivalScaleShortcutIsArrivalsScaleEvenWhenTheFileOmitsIt() throws Exception {
        WorkloadDefinition workload = tiny(Map.of("arrivalScale", "2"));
        assertThat(workload.phases()).extracting(Phase::ratePerSecond).containsExactly(0.2, 0.4);
        assertThat(tiny(Map.of("arrivals.scale", "0.5")).phases()).extracting(Phase::ratePerSecond)
                .containsExactly(0.05, 0.1);
    }

    @Test
    void listElementsAreAddressedByNameIdOrIndex() throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("types.chat.weight", "5");
        overrides.put("types.0.weight", "0.5");
        overrides.put("types.rag.tasks.answer.model", "whisper");
        overrides.put("arrivals.phases.burst.rate", "3/10");
        overrides.put("arrivals.phases.0.durationSeconds", "200");
        WorkloadDefinition workload = tiny(overrides);
        assertThat(workload.types()).extracting(WorkloadType::weight).containsExactly(0.5, 5.0);
        assertThat(task(workload, "rag", "answer").resources()).isEqualTo(new Resources(0, 0, 1, 0, "whisper"));
        assertThat(workload.phases()).extracting(Phase::ratePerSecond).containsExactly(0.1, 0.3);
        assertThat(workload.phases().get(1).startSeconds()).isEqualTo(200);
    }

    @Test
    void flowValuesReplaceWholeObjectsAndLists() throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("classes.cpu.duration", "{distribution: constant, seconds: 2}");
        overrides.put("types.rag.tasks.answer.dependsOn", "[transcribe]");
        overrides.put("arrivals", "{batch: {count: 12}}");
        WorkloadDefinition workload = tiny(overrides);
        assertThat(task(workload, "rag", "fetch").inputs().get("duration").get("seconds").asDouble()).isEqualTo(2);
        assertThat(task(workload, "rag", "answer").dependsOn()).containsExactly("transcribe");
        assertThat(workload.arrivals(1)).hasSize(12);
    }

    @Test
    void aMissingKnownFieldIsCreatedAndInsideADistributionAnyKeyMayBe() throws Exception {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("description", "changed");
        overrides.put("types.chat.tasks.reply.toolType", "chat_reply");
        overrides.put("classes.tool.duration.distribution", "constant");
        overrides.put("classes.tool.duration.seconds", "4");
        WorkloadDefinition workload = tiny(overrides);
        assertThat(workload.description()).isEqualTo("changed");
        assertThat(task(workload, "chat", "reply").toolType()).isEqualTo("chat_reply");
        assertThat(task(workload, "rag", "transcribe").inputs().get("duration").get("seconds").asInt()).isEqualTo(4);
    }

    @Test
    void overriddenValuesAreCheckedLikeWrittenOnes() {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("loadSeconds", "soon");
        overrides.put("arrivalScale", "-1");
        overrides.put("types.rag.tasks.answer.class", "llm23b");
        assertThat(errors(TINY, overrides)).containsExactly(
                "wl.yaml: field 'models.qwen3-32b.loadSeconds': expected a number, found string 'soon'",
                "wl.yaml: workflow 'rag', task 'answer', field 'class': unknown class 'llm23b' (did you mean 'llm32b'?); "
                        + "classes: cpu, llm32b, tool",
                "wl.yaml: field 'arrivals.scale': must be positive, found -1");
    }

    @Test
    void aPathThatDoesNotExistIsAnErrorListingNearbyKeys() {
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("models.qwen3-23b.loadSeconds", "45");
        overrides.put("arrivals.scael", "2");
        overrides.put("types.rga.weight", "1");
        overrides.put("types.7.weight", "1");
        overrides.put("name.first", "x");
        overrides.put("clusters.nodes", "[]");
        overrides.put("types.rag.tasks.answr.model", "whisper");
        overrides.put("models..loadSeconds", "1");
        overrides.put("", "1");
        assertThat(errors(TINY, overrides)).containsExactly(
                "wl.yaml: field 'models.qwen3-23b.loadSeconds': override: no model 'qwen3-23b' in 'models' (did you mean "
                        + "'qwen3-32b'?); models there: qwen3-32b, whisper",
                "wl.yaml: field 'arrivals.scael': override: no key 'scael' in 'arrivals' (did you mean 'scale'?); keys "
                        + "there: batch, phases, scale, trace",
                "wl.yaml: field 'types.rga.weight': override: 'types.rga': no element with name 'rga' (did you mean "
                        + "'rag'?) and no such index; names: chat, rag; indices 0..1",
                "wl.yaml: field 'types.7.weight': override: 'types.7': no element with name '7' and no such index; "
                        + "names: chat, rag; indices 0..1",
                "wl.yaml: field 'name.first': override: 'name' is a single value (\"tiny\"), so it has no 'first' inside; "
                        + "set 'name' itself",
                "wl.yaml: field 'clusters.nodes': override: no key 'clusters' in the top level (did you mean 'cluster'?); "
                        + "keys there: arrivals, classes, cluster, description, models, name, seed, types",
                "wl.yaml: field 'types.rag.tasks.answr.model': override: 'types.rag.tasks.answr': no element with id "
                        + "'answr' (did you mean 'answer'?) and no such index; ids: answer, fetch, transcribe; indices 0..2",
                "wl.yaml: field 'models..loadSeconds': override: empty step in path 'models..loadSeconds'; separate keys "
                        + "with single dots",
                "wl.yaml: override '=1' names no key; write key=value, e.g. arrivals.scale=1.5");
    }

    @Test
    void theLoadShortcutWithoutAnyStatedLoadCostSaysWhatToDoInstead() {
        String text = TINY.replace("qwen3-32b: {memoryGb: 70, loadSeconds: 30}",
                "qwen3-32b: {memoryGb: 70, sizeGb: 64, bandwidthGbPerSec: 2}");
        assertThat(errors(text, Map.of("loadSeconds", "20"))).containsExactly(
                "wl.yaml: field 'loadSeconds': override: no model states loadSeconds, so the shortcut changes nothing; "
                        + "models whose load cost is sizeGb / bandwidthGbPerSec are changed by path, e.g. "
                        + "models.<name>.bandwidthGbPerSec=2");
    }

    @Test
    void aMalformedFlowValueIsReported() {
        assertThat(errors(TINY, Map.of("classes.cpu.duration", "{distribution: constant"))).singleElement().asString()
                .startsWith("wl.yaml: field 'classes.cpu.duration': override: value '{distribution: constant' opens like "
                        + "a list or object but is not valid YAML/JSON");
    }

    @Test
    void valuesLookLikeNumbersOrStayText() {
        assertThat(WorkloadOverrides.parseValue("45").isInt()).isTrue();
        assertThat(WorkloadOverrides.parseValue("1e3").asDouble()).isEqualTo(1000);
        assertThat(WorkloadOverrides.parseValue("-2.5").asDouble()).isEqualTo(-2.5);
        assertThat(WorkloadOverrides.parseValue("12345678901").isLong()).isTrue();
        assertThat(WorkloadOverrides.parseValue("0.5/45").isTextual()).isTrue();
        assertThat(WorkloadOverrides.parseValue("qwen3-32b").asText()).isEqualTo("qwen3-32b");
        assertThat(WorkloadOverrides.parseValue("[1, 2]").isArray()).isTrue();
    }
}
