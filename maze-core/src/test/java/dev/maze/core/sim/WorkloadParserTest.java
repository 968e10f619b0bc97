package dev.maze.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.core.node.GpuSpec;
import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser.Format;
import dev.maze.core.workflow.WorkflowSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading workload files: what a valid file becomes, and every kind of mistake reported with file and field. */
class WorkloadParserTest {

    static final String TINY = """
            name: tiny
            description: two types on a small cluster
            seed: 3
            cluster:
              nodes:
                - {count: 2, cpu: 4, memoryGb: 32, gpus: 1, gpuMemoryGb: 80}
                - {id: cpu-box, cpu: 16, memoryGb: 64}
            models:
              qwen3-32b: {memoryGb: 70, loadSeconds: 30}
              whisper: {memoryGb: 10, sizeGb: 3, bandwidthGbPerSec: 1.5}
            classes:
              llm32b:
                toolType: llm_process
                resources: {cpu: 0, gpus: 1, gpuMemoryGb: 0}
                duration: {distribution: lognormal, mean: 90, p95: 130}
              tool: {resources: {cpu: 0}, model: whisper, duration: {distribution: uniform, min: 1, max: 3}}
              cpu: {resources: {cpu: 1, memoryGb: 1}, duration: 0.1}
            types:
              - name: rag
                weight: 3
                tasks:
                  - {id: fetch, class: cpu}
                  - {id: transcribe, class: tool, dependsOn: fetch}
                  - {id: answer, class: llm32b, model: qwen3-32b, dependsOn: [fetch, transcribe]}
              - name: chat
                tasks:
                  - {id: reply, resources: {gpus: 1, model: qwen3-32b}, duration: {distribution: empirical, samples: [60, 80]}}
            arrivals:
              phases:
                - {durationSeconds: 100, rate: 0.1}
                - {name: burst, durationSeconds: 50, rate: 1/5}
            """;

    static WorkloadDefinition tiny(Map<String, String> overrides) throws ValidationException {
        return WorkloadParser.parse(TINY, Format.YAML, "tiny.yaml", overrides);
    }

    static WorkloadDefinition parse(String text, Map<String, String> overrides) throws ValidationException {
        return WorkloadParser.parse(text, Format.YAML, "wl.yaml", overrides);
    }

    /** The error lines for {@code text} read as wl.yaml. */
    static List<String> errors(String text) {
        return errors(text, Map.of());
    }

    static List<String> errors(String text, Map<String, String> overrides) {
        try {
            WorkloadParser.parse(text, Format.YAML, "wl.yaml", overrides);
        } catch (ValidationException e) {
            return e.errors().stream().map(ValidationError::toString).toList();
        }
        throw new AssertionError("expected validation errors for:\n" + text);
    }

    private static TaskSpec task(WorkloadDefinition workload, String type, String id) {
        return workload.type(type).orElseThrow().spec().tasks().stream()
                .filter(t -> t.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aValidFileBecomesNodesModelsTypesAndPhases() throws Exception {
        WorkloadDefinition workload = tiny(Map.of());

        assertThat(workload.name()).isEqualTo("tiny");
        assertThat(workload.description()).isEqualTo("two types on a small cluster");
        assertThat(workload.defaultSeed()).isEqualTo(3);
        assertThat(workload.nodes()).containsExactly(
                new NodeSpec("node-0", 4, 32, List.of(new GpuSpec(0, "virtual", 80)), Set.of()),
                new NodeSpec("node-1", 4, 32, List.of(new GpuSpec(0, "virtual", 80)), Set.of()),
                new NodeSpec("cpu-box", 16, 64, List.of(), Set.of()));
        assertThat(workload.models()).containsExactly(
                Map.entry("qwen3-32b", new ModelSpec("qwen3-32b", 70, 30)),
                Map.entry("whisper", new ModelSpec("whisper", 10, 2.0)));  // 3 GB at 1.5 GB/s
        assertThat(workload.types()).extracting(WorkloadType::name, WorkloadType::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("rag", 3.0), org.assertj.core.groups.Tuple.tuple("chat", 1.0));
        assertThat(workload.phases()).containsExactly(
                new Phase("phase 1", 0, 100, 0.1),
                new Phase("burst", 100, 150, 0.2));
    }

    @Test
    void tasksBecomeSimTasksWithTheirClassResourcesAndDurations() throws Exception {
        WorkloadDefinition workload = tiny(Map.of());
        WorkflowSpec rag = workload.type("rag").orElseThrow().spec();
        assertThat(rag.id()).isNull();
        assertThat(rag.name()).isEqualTo("rag");
        assertThat(rag.source()).isEqualTo("tiny.yaml");
        assertThat(rag.tasks()).extracting(TaskSpec::id).containsExactly("fetch", "transcribe", "answer");
        assertThat(rag.tasks()).allSatisfy(t -> assertThat(t.kind()).isEqualTo("sim"));

        TaskSpec fetch = task(workload, "rag", "fetch");
        assertThat(fetch.toolType()).as("a class without toolType lends its name").isEqualTo("cpu");
        assertThat(fetch.resources()).isEqualTo(new Resources(1, 1, 0, 0, null));
        assertThat(fetch.inputs().get("duration")).isEqualTo(json("{\"distribution\": \"constant\", \"seconds\": 0.1}"));

        TaskSpec transcribe = task(workload, "rag", "transcribe");
        assertThat(transcribe.dependsOn()).containsExactly("fetch");
        assertThat(transcribe.resources())
                .as("the class's model; a slice the size of the model, on one GPU")
                .isEqualTo(new Resources(0, 0, 1, 10, "whisper"));
        assertThat(transcribe.resources().resourceClass()).isEqualTo("gpu");

        TaskSpec answer = task(workload, "rag", "answer");
        assertThat(answer.toolType()).isEqualTo("llm_process");
        assertThat(answer.resources()).as("gpuMemoryGb: 0 = the whole GPU").isEqualTo(new Resources(0, 0, 1, 0, "qwen3-32b"));
        assertThat(answer.dependsOn()).containsExactly("fetch", "transcribe");
        assertThat(answer.inputs().get("duration"))
                .isEqualTo(json("{\"distribution\": \"lognormal\", \"mean\": 90, \"p95\": 130}"));

        TaskSpec reply = task(workload, "chat", "reply");
        assertThat(reply.toolType()).isEqualTo("generic");
        assertThat(reply.resources()).as("no class: one core by default").isEqualTo(new Resources(1, 0, 1, 70, "qwen3-32b"));
        assertThat(reply.inputs().get("duration").get("distribution").asText()).isEqualTo("empirical");
    }

    @Test
    void jsonWorksLikeYaml() throws Exception {
        Object tree = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(TINY);
        String json = JsonMapper.builder().build().writeValueAsString(tree);
        WorkloadDefinition fromJson = WorkloadParser.parse(json, Format.JSON, "tiny.yaml", Map.of());
        assertThat(fromJson).isEqualTo(tiny(Map.of()));
    }

    @Test
    void parseFileReadsYamlByExtensionAndReportsAMissingFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tiny.yml");
        Files.writeString(file, TINY);
        assertThat(WorkloadParser.parseFile(file, null).types()).hasSize(2);
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> WorkloadParser.parseFile(missing, Map.of()))
                .isInstanceOf(ValidationException.class)
                .hasMessage(missing + ": file not found; check the path");
    }

    @Test
    void extendsReplacesTheBaseFilesTopLevelKeys(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("base.yaml"), TINY);
        Files.createDirectories(dir.resolve("variants"));
        Path variant = dir.resolve("variants/batch.yaml");
        Files.writeString(variant, """
                extends: ../base.yaml
                name: tiny-batch
                arrivals: {batch: {count: 5}}
                """);
        WorkloadDefinition workload = WorkloadParser.parseFile(variant, Map.of("models.qwen3-32b.loadSeconds", "10"));
        WorkloadDefinition base = WorkloadParser.parseFile(dir.resolve("base.yaml"), Map.of());
        assertThat(workload.name()).isEqualTo("tiny-batch");
        assertThat(workload.nodes()).isEqualTo(base.nodes());
        assertThat(workload.types()).extracting(WorkloadType::name).containsExactly("rag", "chat");
        assertThat(workload.arrivalProcess()).isEqualTo(new WorkloadArrivals.Batch(5, 0, 1));
        assertThat(workload.models().get("qwen3-32b").loadSeconds()).as("overrides apply after merging").isEqualTo(10);
        assertThat(workload.source()).isEqualTo(variant + " (extending " + dir.resolve("base.yaml") + ")");
    }

    @Test
    void extendsReportsAMissingBaseAndALoop(@TempDir Path dir) throws Exception {
        Path lonely = dir.resolve("lonely.yaml");
        Files.writeString(lonely, "extends: gone.yaml\nname: x\n");
        assertThatThrownBy(() -> WorkloadParser.parseFile(lonely, Map.of()))
                .hasMessage(lonely + ": field 'extends': cannot read base workload " + dir.resolve("gone.yaml")
                        + " (no such file); the path is relative to this file");
        Files.writeString(dir.resolve("a.yaml"), "extends: b.yaml\n");
        Files.writeString(dir.resolve("b.yaml"), "extends: a.yaml\n");
        assertThatThrownBy(() -> WorkloadParser.parseFile(dir.resolve("a.yaml"), Map.of()))
                .hasMessageContaining("which extends this file again; break the loop");
    }

    @Test
    void syntaxErrorsAndEmptyDocumentsNameTheFile() {
        assertThat(errors("name: [unclosed\n")).singleElement().asString()
                .startsWith("wl.yaml: malformed YAML at line");
        assertThat(errors("")).containsExactly(
                "wl.yaml: empty document; expected a workload with name, cluster, models, types and arrivals");
        assertThat(errors("- a\n- b\n")).containsExactly("wl.yaml: expected a workload object with name, cluster, "
                + "models, classes, types and arrivals, found a list");
        assertThat(errors("name: a\nname: b\n")).singleElement().asString().contains("Duplicate field 'name'");
    }

    @Test
    void unknownClassesAndModelsAreNamedWithTheNearestKnownName() {
        String text = TINY
                .replace("{id: answer, class: llm32b, model: qwen3-32b", "{id: answer, class: llm23b, model: qwen3-23b")
                .replace("tool: {resources: {cpu: 0}, model: whisper,", "tool: {resources: {cpu: 0}, model: whipser,")
                .replace("{id: reply, resources: {gpus: 1, model: qwen3-32b}", "{id: reply, resources: {gpus: 1, model: llama}");
        assertThat(errors(text)).containsExactly(
                "wl.yaml: field 'classes.tool.model': unknown model 'whipser' (did you mean 'whisper'?); models: "
                        + "qwen3-32b, whisper",
                "wl.yaml: workflow 'rag', task 'answer', field 'class': unknown class 'llm23b' (did you mean 'llm32b'?); "
                        + "classes: cpu, llm32b, tool",
                "wl.yaml: workflow 'rag', task 'answer', field 'model': unknown model 'qwen3-23b' (did you mean "
                        + "'qwen3-32b'?); models: qwen3-32b, whisper",
                "wl.yaml: workflow 'chat', task 'reply', field 'resources.model': unknown model 'llama'; models: "
                        + "qwen3-32b, whisper");
    }

    @Test
    void aCycleInATypeIsReportedByTheWorkflowValidator() {
        String text = TINY.replace("- {id: fetch, class: cpu}", "- {id: fetch, class: cpu, dependsOn: answer}");
        assertThat(errors(text)).containsExactly(
                "wl.yaml: workflow 'rag', task 'fetch', field 'dependsOn': dependency cycle: fetch -> answer -> fetch "
                        + "(each task depends on the next)");
    }

    @Test
    void graphAndClusterChecksOfTheValidatorApplyToEveryType() {
        String text = TINY
                .replace("{id: transcribe, class: tool, dependsOn: fetch}", "{id: transcribe, class: tool, dependsOn: fecth}")
                .replace("{id: reply, resources: {gpus: 1, model: qwen3-32b}", "{id: reply, resources: {gpus: 3, model: qwen3-32b}");
        assertThat(errors(text)).containsExactly(
                "wl.yaml: workflow 'rag', task 'transcribe', field 'dependsOn': depends on unknown task 'fecth' "
                        + "(did you mean 'fetch'?)",
                "wl.yaml: workflow 'chat', task 'reply', field 'resources': no node can ever run this task (node-0: "
                        + "gpus 3 with gpuMemoryGb 70.0 > 1 GPUs that large; node-1: gpus 3 with gpuMemoryGb 70.0 > 1 GPUs "
                        + "that large; cpu-box: gpus 3 with gpuMemoryGb 70.0 > 0 GPUs that large); lower the request or "
                        + "add a larger node");
    }

    @Test
    void negativeAndMalformedRatesAreRefused() {
        String text = TINY.replace("rate: 0.1}", "rate: -0.1}").replace("rate: 1/5}", "rate: 'fast'}");
        assertThat(errors(text)).containsExactly(
                "wl.yaml: field 'arrivals.phases[0].rate': must not be negative, found -0.1",
                "wl.yaml: field 'arrivals.phases[1].rate': expected workflows per second >= 0: a number or a fraction "
                        + "such as 0.5/45, found string 'fast'");
        assertThat(errors(TINY.replace("rate: 1/5}", "rate: 1/0}")))
                .containsExactly("wl.yaml: field 'arrivals.phases[1].rate': divides by zero in '1/0'");
    }

    @Test
    void missingFieldsAreNamed() {
        String text = """
                description: nothing else
                cluster:
                  nodes:
                    - {count: 2, gpus: 1}
                models:
                  m: {sizeGb: 3}
                classes:
                  c: {resources: {cpu: 1}}
                types:
                  - weight: 2
                    tasks:
                      - {class: c}
                  - name: t
                    tasks:
                      - {id: a, class: c}
                      - {id: b}
                arrivals:
                  phases:
                    - {rate: 1}
                """;
        assertThat(errors(text)).containsExactly(
                "wl.yaml: field 'name': missing",
                "wl.yaml: field 'cluster.nodes[0].cpu': missing",
                "wl.yaml: field 'cluster.nodes[0].memoryGb': missing",
                "wl.yaml: field 'cluster.nodes[0].gpuMemoryGb': missing",
                "wl.yaml: field 'models.m.memoryGb': missing",
                "wl.yaml: field 'models.m.bandwidthGbPerSec': missing",
                "wl.yaml: workflow 'types[0]', field 'name': missing",
                "wl.yaml: workflow 'types[0]', task '#1', field 'id': missing",
                "wl.yaml: workflow 'types[0]', task '#1', field 'duration': missing; class 'c' has no duration, so give "
                        + "the task one",
                "wl.yaml: workflow 't', task 'a', field 'duration': missing; class 'c' has no duration, so give the task one",
                "wl.yaml: workflow 't', task 'b', field 'duration': missing; give the task a duration (seconds or a "
                        + "distribution) or a class that has one",
                "wl.yaml: field 'arrivals.phases[0].durationSeconds': missing");
        assertThat(errors("name: x\n")).containsExactly(
                "wl.yaml: field 'cluster': missing; a workload needs a cluster, e.g. cluster: {nodes: [{count: 8, cpu: 8, "
                        + "memoryGb: 256, gpus: 1, gpuMemoryGb: 80}]}",
                "wl.yaml: field 'types': missing; expected a list of workflow types such as {name: rag, weight: 1, "
                        + "tasks: [...]}",
                "wl.yaml: field 'arrivals': missing; give phases (Poisson), batch or trace, e.g. arrivals: {phases: "
                        + "[{durationSeconds: 600, rate: 0.02}]}");
    }

    @Test
    void unknownFieldsAndBadValuesAreAllReportedAtOnce() {
        String text = TINY
                .replace("seed: 3", "seed: 3.5\nseeds: 2")
                .replace("{count: 2, cpu: 4,", "{count: 2, cpus: 4, cpu: 4,")
                .replace("{id: cpu-box, cpu: 16,", "{id: cpu-box, cpu: -16,")
                .replace("qwen3-32b: {memoryGb: 70, loadSeconds: 30}", "qwen3-32b: {memoryGb: 90, loadSeconds: 30, sizeGb: 60}")
                .replace("cpu: {resources: {cpu: 1, memoryGb: 1}, duration: 0.1}",
                        "cpu: {resources: {cpu: 1, memory: 1}, duration: {distribution: lognormal, mean: 1, p95: 9}}")
                .replace("name: chat", "name: rag\n    weight: -1")
                .replace("- {durationSeconds: 100, rate: 0.1}", "- {durationSeconds: 0, rate: 0.1, rates: 2}");
        assertThat(errors(text)).containsExactly(
                "wl.yaml: field 'seeds': unknown field (did you mean 'seed'?); the workload has arrivals, classes, cluster, "
                        + "description, models, name, seed, types",
                "wl.yaml: field 'seed': expected a whole number, found number 3.5",
                "wl.yaml: field 'cluster.nodes[0].cpus': unknown field (did you mean 'cpu'?); a node group has "
                        + "allowedModels, count, cpu, gpuMemoryGb, gpus, id, idPrefix, memoryGb",
                "wl.yaml: field 'cluster.nodes[1].cpu': must not be negative, found -16",
                "wl.yaml: field 'models.qwen3-32b.loadSeconds': give either loadSeconds or sizeGb with bandwidthGbPerSec, "
                        + "not both",
                "wl.yaml: field 'models.qwen3-32b.memoryGb': 90.0 GB does not fit on any GPU (the largest has 80.0 GB)",
                "wl.yaml: field 'classes.cpu.resources.memory': unknown field (did you mean 'memoryGb'?); resources has "
                        + "cpu, gpuMemoryGb, gpus, memoryGb, model",
                "wl.yaml: field 'classes.cpu.duration.p95': must lie between mean and 3.87 x mean for a lognormal",
                "wl.yaml: workflow 'rag', field 'name': duplicate workflow type; give each type its own name",
                "wl.yaml: workflow 'rag', field 'weight': must not be negative, found -1",
                "wl.yaml: field 'arrivals.phases[0].rates': unknown field (did you mean 'rate'?); a phase has "
                        + "durationSeconds, name, rate",
                "wl.yaml: field 'arrivals.phases[0].durationSeconds': must be positive, found 0");
    }

    @Test
    void aSliceSmallerThanItsModelIsRefused() {
        String text = TINY.replace("{id: transcribe, class: tool, dependsOn: fetch}",
                "{id: transcribe, class: tool, resources: {gpuMemoryGb: 4}, dependsOn: fetch}");
        assertThat(errors(text)).containsExactly(
                "wl.yaml: workflow 'rag', task 'transcribe', field 'resources.gpuMemoryGb': asks for 4.0 GB of GPU memory, "
                        + "but model 'whisper' takes 10.0 GB; ask for at least that much, or 0 for whole GPUs");
    }

    @Test
    void arrivalsNeedExactlyOneProcess() {
        assertThat(errors(TINY.replace("arrivals:\n", "arrivals:\n  batch: {count: 3}\n"))).containsExactly(
                "wl.yaml: field 'arrivals': give exactly one of phases, batch and trace; found phases and batch");
        assertThat(errors(TINY.substring(0, TINY.indexOf("arrivals:")) + "arrivals: {scale: 2}\n")).containsExactly(
                "wl.yaml: field 'arrivals': give one of phases (Poisson), batch or trace");
        assertThat(errors(TINY.substring(0, TINY.indexOf("arrivals:"))
                + "arrivals: {scale: 0, batch: {count: 0, atSeconds: -1}}\n")).containsExactly(
                "wl.yaml: field 'arrivals.scale': must be positive, found 0",
                "wl.yaml: field 'arrivals.batch.count': expected a whole number from 1 to 1,000,000, found number 0",
                "wl.yaml: field 'arrivals.batch.atSeconds': must not be negative, found -1");
        assertThat(errors(TINY.substring(0, TINY.indexOf("arrivals:"))
                + "arrivals: {trace: [0, -1, {atSeconds: 3, type: rga}, {at: 1}, x]}\n")).containsExactly(
                "wl.yaml: field 'arrivals.trace[1]': a submission time must not be negative, found -1",
                "wl.yaml: field 'arrivals.trace[2].type': unknown workflow type 'rga' (did you mean 'rag'?); types: chat, rag",
                "wl.yaml: field 'arrivals.trace[3].at': unknown field; a trace entry has atSeconds and type",
                "wl.yaml: field 'arrivals.trace[3].atSeconds': missing",
                "wl.yaml: field 'arrivals.trace[4]': expected a submission time in seconds or {atSeconds, type}, found "
                        + "string 'x'");
    }

    @Test
    void allWeightsZeroCannotDrawATypeButATypedTraceNeedsNone() throws Exception {
        String zero = TINY.replace("weight: 3", "weight: 0").replace("- name: chat", "- name: chat\n    weight: 0");
        assertThat(errors(zero)).containsExactly("wl.yaml: field 'types': every workflow type has weight 0, so none can "
                + "be drawn; give at least one a positive weight");
        String typedTrace = zero.substring(0, zero.indexOf("arrivals:"))
                + "arrivals: {trace: [{atSeconds: 1, type: chat}]}\n";
        assertThat(WorkloadParser.parse(typedTrace, Format.YAML, "wl.yaml", Map.of()).arrivals(1))
                .extracting(Arrival::type).containsExactly("chat");
    }

    @Test
    void nodeGroupsGetDistinctIdsAndModelRestrictions() throws Exception {
        String text = TINY.replace("    - {id: cpu-box, cpu: 16, memoryGb: 64}",
                "    - {count: 2, cpu: 4, memoryGb: 32, gpus: 2, gpuMemoryGb: 24, allowedModels: [whisper]}\n"
                        + "    - {count: 1, idPrefix: big, cpu: 8, memoryGb: 8}");
        WorkloadDefinition workload = WorkloadParser.parse(text, Format.YAML, "wl.yaml", Map.of());
        assertThat(workload.nodes()).extracting(NodeSpec::id).containsExactly("node-0", "node-1", "node-2", "node-3", "big-0");
        assertThat(workload.nodes().get(2).gpus()).hasSize(2);
        assertThat(workload.nodes().get(2).allowedModels()).containsExactly("whisper");

        String clash = TINY.replace("{id: cpu-box,", "{id: node-1,")
                .replace("- {count: 2, cpu: 4, memoryGb: 32", "- {count: 2, cpu: 4, memoryGb: 32, allowedModels: [wisper]");
        clash = clash.replace("    - {id: node-1, cpu: 16, memoryGb: 64}\n",
                "    - {id: node-1, cpu: 16, memoryGb: 64}\n    - {count: 3, id: solo, cpu: 1, memoryGb: 1}\n");
        assertThat(errors(clash)).containsExactly(
                "wl.yaml: field 'cluster.nodes[1].id': node id 'node-1' is used twice; give each node group its own idPrefix",
                "wl.yaml: field 'cluster.nodes[2].id': names one node, but count is 3; use idPrefix for a group",
                "wl.yaml: field 'cluster.nodes[0].allowedModels': unknown model 'wisper' (did you mean 'whisper'?); "
                        + "models: qwen3-32b, whisper");
    }

    @Test
    void aBadClassIsReportedOnceNotOncePerTaskUsingIt() {
        String text = TINY.replace("duration: {distribution: lognormal, mean: 90, p95: 130}",
                "duration: {distribution: gaussian}");
        assertThat(errors(text)).containsExactly("wl.yaml: field 'classes.llm32b.duration.distribution': expected constant, "
                + "uniform, exponential, lognormal or empirical, found 'gaussian'");
    }

    @Test
    void aTiedSuggestionPrefersTheFieldTheWordBegins() {
        assertThat(errors(TINY.replace("{count: 2, cpu: 4,", "{count: 2, gpu: 1, cpu: 4,"))).containsExactly(
                "wl.yaml: field 'cluster.nodes[0].gpu': unknown field (did you mean 'gpus'?); a node group has "
                        + "allowedModels, count, cpu, gpuMemoryGb, gpus, id, idPrefix, memoryGb");
    }

    @Test
    void typeNamesMustMakeUsableWorkflowIds() {
        assertThat(errors(TINY.replace("name: chat", "name: 'chat bot'"))).containsExactly(
                "wl.yaml: workflow 'chat bot', field 'name': 'chat bot' must start with a letter or digit and hold only "
                        + "letters, digits, '_', '-' and '.' (workflow ids are <type>-<n>)");
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return JsonMapper.builder().build().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
