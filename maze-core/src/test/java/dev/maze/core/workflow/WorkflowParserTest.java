package dev.maze.core.workflow;

import dev.maze.core.node.Resources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.core.workflow.WorkflowParser.Format;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowParserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static WorkflowSpec yaml(String text) throws ValidationException {
        List<WorkflowSpec> workflows = WorkflowParser.parse(text, Format.YAML, "wf.yaml");
        assertThat(workflows).hasSize(1);
        return workflows.get(0);
    }

    /** The errors the parser reports for {@code text}; fails the test if it accepts the text. */
    private static List<ValidationError> errors(String text, Format format) {
        String source = format == Format.YAML ? "wf.yaml" : "wf.json";
        try {
            WorkflowParser.parse(text, format, source);
        } catch (ValidationException e) {
            assertThat(e.errors()).isNotEmpty();
            assertThat(e.getMessage()).isEqualTo(String.join("\n", e.errors().stream().map(Object::toString).toList()));
            return e.errors();
        }
        throw new AssertionError("expected the parser to reject:\n" + text);
    }

    private static ValidationError onlyError(String text, Format format) {
        List<ValidationError> errors = errors(text, format);
        assertThat(errors).hasSize(1);
        return errors.get(0);
    }

    @Nested
    class ReadsBothFormats {

        private static final String FULL_YAML = """
                id: rag-7
                name: rag
                priorityClass: high
                deadline: 600
                tasks:
                  - id: search
                    kind: sim
                    toolType: web_search
                    resources: {cpu: 0.5, memoryGb: 2}
                    inputs: {seconds: 2}
                    timeoutSeconds: 30
                    retries: 3
                    features: {query_tokens: 12}
                    predictedSeconds: 1.5
                  - id: answer
                    kind: sim
                    dependsOn: search
                    resources: {model: qwen3-32b, gpuMemoryGb: 40}
                    inputs:
                      seconds: 4
                      prompt: "Answer using {{tasks.search.output.text}}"
                """;

        private static final String FULL_JSON = """
                {
                  "id": "rag-7",
                  "name": "rag",
                  "priorityClass": "high",
                  "deadline": 600,
                  "tasks": [
                    {"id": "search", "kind": "sim", "toolType": "web_search",
                     "resources": {"cpu": 0.5, "memoryGb": 2}, "inputs": {"seconds": 2},
                     "timeoutSeconds": 30, "retries": 3, "features": {"query_tokens": 12}, "predictedSeconds": 1.5},
                    {"id": "answer", "kind": "sim", "dependsOn": "search",
                     "resources": {"model": "qwen3-32b", "gpuMemoryGb": 40},
                     "inputs": {"seconds": 4, "prompt": "Answer using {{tasks.search.output.text}}"}}
                  ]
                }
                """;

        @Test
        void yamlWorkflowWithEveryField() throws Exception {
            WorkflowSpec spec = yaml(FULL_YAML);

            assertThat(spec.id()).isEqualTo("rag-7");
            assertThat(spec.name()).isEqualTo("rag");
            assertThat(spec.priorityClass()).isEqualTo(PriorityClass.HIGH);
            assertThat(spec.deadlineSeconds()).isEqualTo(600.0);
            assertThat(spec.source()).isEqualTo("wf.yaml");
            assertThat(spec.tasks()).extracting(TaskSpec::id).containsExactly("search", "answer");

            TaskSpec search = spec.tasks().get(0);
            assertThat(search.kind()).isEqualTo("sim");
            assertThat(search.toolType()).isEqualTo("web_search");
            assertThat(search.dependsOn()).isEmpty();
            assertThat(search.resources()).isEqualTo(new Resources(0.5, 2, 0, 0, null));
            assertThat(search.inputs().get("seconds").asInt()).isEqualTo(2);
            assertThat(search.timeoutSeconds()).isEqualTo(30.0);
            assertThat(search.retries()).isEqualTo(RetryPolicy.of(3));
            assertThat(search.features()).isEqualTo(Map.of("query_tokens", 12.0));
            assertThat(search.predictedSeconds()).isEqualTo(1.5);

            TaskSpec answer = spec.tasks().get(1);
            assertThat(answer.dependsOn()).containsExactly("search");
            assertThat(answer.toolType()).isEqualTo(WorkflowParser.DEFAULT_TOOL_TYPE).isEqualTo("generic");
            // A model (or a GPU-memory request) implies one GPU; cpu keeps its default of one core.
            assertThat(answer.resources()).isEqualTo(new Resources(1, 0, 1, 40, "qwen3-32b"));
            assertThat(answer.inputs().get("prompt").asText()).isEqualTo("Answer using {{tasks.search.output.text}}");
            assertThat(answer.timeoutSeconds()).isNull();
            assertThat(answer.retries()).isEqualTo(RetryPolicy.NONE);
            assertThat(answer.predictedSeconds()).isNull();
        }

        @Test
        void jsonAndYamlOfTheSameWorkflowGiveTheSameSpec() throws Exception {
            WorkflowSpec fromJson = WorkflowParser.parse(FULL_JSON, Format.JSON, null).get(0);
            WorkflowSpec fromYaml = WorkflowParser.parse(FULL_YAML, Format.YAML, null).get(0);

            assertThat(fromJson).isEqualTo(fromYaml);
        }

        @Test
        void aDocumentMayHoldAListOfWorkflows() throws Exception {
            List<WorkflowSpec> fromYaml = WorkflowParser.parse("""
                    - name: first
                      tasks: [{id: a, kind: sim, inputs: {seconds: 1}}]
                    - name: second
                      priorityClass: low
                      tasks: [{id: b, kind: sim, inputs: {seconds: 2}}]
                    """, Format.YAML, "batch.yaml");
            List<WorkflowSpec> fromJson = WorkflowParser.parse("""
                    [{"name": "first", "tasks": [{"id": "a", "kind": "sim", "inputs": {"seconds": 1}}]},
                     {"name": "second", "priorityClass": "low",
                      "tasks": [{"id": "b", "kind": "sim", "inputs": {"seconds": 2}}]}]
                    """, Format.JSON, "batch.yaml");

            assertThat(fromYaml).extracting(WorkflowSpec::name).containsExactly("first", "second");
            assertThat(fromYaml).extracting(WorkflowSpec::priorityClass).containsExactly(PriorityClass.NORMAL, PriorityClass.LOW);
            assertThat(fromYaml).extracting(WorkflowSpec::source).containsOnly("batch.yaml");
            assertThat(fromJson).isEqualTo(fromYaml);
        }

        @Test
        void optionalFieldsTakeTheirDefaults() throws Exception {
            WorkflowSpec spec = yaml("""
                    name: minimal
                    tasks:
                      - id: only
                        kind: sim
                    """);

            assertThat(spec.id()).isNull();
            assertThat(spec.label()).isEqualTo("minimal");
            assertThat(spec.priorityClass()).isEqualTo(PriorityClass.NORMAL);
            assertThat(spec.deadlineSeconds()).isNull();
            TaskSpec task = spec.tasks().get(0);
            assertThat(task.toolType()).isEqualTo("generic");
            assertThat(task.dependsOn()).isEmpty();
            assertThat(task.resources()).isEqualTo(Resources.DEFAULT).isEqualTo(new Resources(1, 0, 0, 0, null));
            assertThat(task.inputs().isObject()).isTrue();
            assertThat(task.inputs().isEmpty()).isTrue();
            assertThat(task.timeoutSeconds()).isNull();
            assertThat(task.retries()).isEqualTo(new RetryPolicy(0, 1, 2, 60));
            assertThat(task.features()).isEmpty();
            assertThat(task.predictedSeconds()).isNull();
        }

        @Test
        void dependsOnTakesOneIdOrAList() throws Exception {
            WorkflowSpec spec = yaml("""
                    name: fan-in
                    tasks:
                      - {id: a, kind: sim}
                      - {id: b, kind: sim, dependsOn: a}
                      - {id: c, kind: sim, dependsOn: [a, b]}
                    """);

            assertThat(spec.tasks()).extracting(TaskSpec::dependsOn)
                    .containsExactly(List.of(), List.of("a"), List.of("a", "b"));
        }

        @Test
        void priorityClassIsCaseInsensitive() throws Exception {
            assertThat(yaml("{name: w, priorityClass: LOW, tasks: [{id: a, kind: sim}]}").priorityClass())
                    .isEqualTo(PriorityClass.LOW);
            assertThat(yaml("{name: w, priorityClass: High, tasks: [{id: a, kind: sim}]}").priorityClass())
                    .isEqualTo(PriorityClass.HIGH);
        }

        @Test
        void anExplicitGpuCountOverridesTheOneAModelImplies() throws Exception {
            WorkflowSpec spec = yaml("""
                    name: w
                    tasks:
                      - {id: two, kind: sim, resources: {model: llama-70b, gpus: 2}}
                      - {id: slice, kind: sim, resources: {gpuMemoryGb: 20}}
                      - {id: whole, kind: sim, resources: {gpus: 1}}
                    """);

            assertThat(spec.tasks()).extracting(TaskSpec::resources).containsExactly(
                    new Resources(1, 0, 2, 0, "llama-70b"),
                    new Resources(1, 0, 1, 20, null),
                    new Resources(1, 0, 1, 0, null));
            assertThat(spec.tasks().get(2).resources().wholeGpus()).isTrue();
            assertThat(spec.tasks().get(1).resources().wholeGpus()).isFalse();
        }
    }

    @Nested
    class RetriesAndDeadline {

        @Test
        void retriesAsANumberUseTheDefaultBackoff() throws Exception {
            RetryPolicy retries = yaml("{name: w, tasks: [{id: a, kind: sim, retries: 2}]}").tasks().get(0).retries();

            assertThat(retries).isEqualTo(new RetryPolicy(2, 1, 2, 60));
            assertThat(retries.backoffBeforeRetry(1)).isEqualTo(1.0);
            assertThat(retries.backoffBeforeRetry(2)).isEqualTo(2.0);
            assertThat(retries.backoffBeforeRetry(10)).isEqualTo(60.0);
        }

        @Test
        void retriesAsAnObject() throws Exception {
            RetryPolicy retries = yaml("""
                    name: w
                    tasks:
                      - id: a
                        kind: sim
                        retries: {count: 4, backoffSeconds: 5, multiplier: 3, maxBackoffSeconds: 30}
                    """).tasks().get(0).retries();

            assertThat(retries).isEqualTo(new RetryPolicy(4, 5, 3, 30));
            assertThat(retries.backoffBeforeRetry(1)).isEqualTo(5.0);
            assertThat(retries.backoffBeforeRetry(2)).isEqualTo(15.0);
            assertThat(retries.backoffBeforeRetry(3)).isEqualTo(30.0);
        }

        @Test
        void retriesObjectFieldsDefaultAndTheCapNeverFallsBelowTheFirstWait() throws Exception {
            WorkflowSpec spec = yaml("""
                    name: w
                    tasks:
                      - {id: a, kind: sim, retries: {count: 1}}
                      - {id: b, kind: sim, retries: {count: 1, backoffSeconds: 90}}
                      - {id: c, kind: sim, retries: {}}
                    """);

            assertThat(spec.tasks()).extracting(TaskSpec::retries).containsExactly(
                    new RetryPolicy(1, 1, 2, 60), new RetryPolicy(1, 90, 2, 90), new RetryPolicy(0, 1, 2, 60));
        }

        @Test
        void badRetriesNameTheTaskAndField() {
            List<ValidationError> errors = errors("""
                    name: w
                    tasks:
                      - {id: a, kind: sim, retries: -1}
                      - {id: b, kind: sim, retries: 1.5}
                      - {id: c, kind: sim, retries: {count: 2, multiplier: 0.5, backofSeconds: 3}}
                      - {id: d, kind: sim, retries: "three"}
                      - {id: e, kind: sim, retries: {count: 2, jitter: 1.5}}
                      - {id: f, kind: sim, retries: {count: 2, jitter: -0.1}}
                    """, Format.YAML);

            assertThat(errors).extracting(ValidationError::task, ValidationError::field).containsExactly(
                    tuple("a", "retries"),
                    tuple("b", "retries"),
                    tuple("c", "retries.backofSeconds"),
                    tuple("c", "retries.multiplier"),
                    tuple("d", "retries"),
                    tuple("e", "retries.jitter"),
                    tuple("f", "retries.jitter"));
            assertThat(errors.get(5).message()).isEqualTo(
                    "must be from 0 to 1 (the share of each wait that is random), found 1.5");
            assertThat(errors.get(0)).hasToString(
                    "wf.yaml: workflow 'w', task 'a', field 'retries': expected a whole number of retries from 0 to 1000, found number -1");
            assertThat(errors.get(2).message()).startsWith("unknown field (did you mean 'backoffSeconds'?)");
            assertThat(errors.get(3).message()).isEqualTo("must be at least 1, found 0.5");
            assertThat(errors.get(4).message()).startsWith(
                    "expected a count or {count, backoffSeconds, multiplier, maxBackoffSeconds, jitter}");
        }

        @Test
        void aRetryCountTooLargeForAnIntIsRejectedNotWrapped() {
            assertThat(onlyError("{name: w, tasks: [{id: a, kind: sim, retries: 10000000000}]}", Format.YAML)).hasToString(
                    "wf.yaml: workflow 'w', task 'a', field 'retries': expected a whole number of retries from 0 to 1000, "
                            + "found number 10000000000");
            assertThat(onlyError("{name: w, tasks: [{id: a, kind: sim, retries: {count: 4294967296}}]}", Format.YAML)
                    .field()).isEqualTo("retries.count");
        }

        @Test
        void deadlineInSeconds() throws Exception {
            assertThat(yaml("{name: w, deadline: 90.5, tasks: [{id: a, kind: sim}]}").deadlineSeconds()).isEqualTo(90.5);
        }

        @Test
        void deadlineAsIso8601Duration() throws Exception {
            assertThat(yaml("{name: w, deadline: PT10M, tasks: [{id: a, kind: sim}]}").deadlineSeconds()).isEqualTo(600.0);
            assertThat(yaml("{name: w, deadline: PT1H30M, tasks: [{id: a, kind: sim}]}").deadlineSeconds()).isEqualTo(5400.0);
            assertThat(yaml("{name: w, deadline: PT0.5S, tasks: [{id: a, kind: sim}]}").deadlineSeconds()).isEqualTo(0.5);
        }

        @Test
        void deadlineThatIsNeitherSecondsNorAnIsoDurationIsRejected() {
            ValidationError error = onlyError("{name: w, deadline: 10m, tasks: [{id: a, kind: sim}]}", Format.YAML);

            assertThat(error).hasToString(
                    "wf.yaml: workflow 'w', field 'deadline': '10m' is neither seconds nor an ISO-8601 duration such as PT10M");
        }

        @Test
        void deadlineMustBePositive() {
            assertThat(onlyError("{name: w, deadline: 0, tasks: [{id: a, kind: sim}]}", Format.YAML))
                    .hasToString("wf.yaml: workflow 'w', field 'deadline': must be a positive number of seconds, found 0.0");
            assertThat(onlyError("{name: w, deadline: -PT5M, tasks: [{id: a, kind: sim}]}", Format.YAML).field())
                    .isEqualTo("deadline");
        }

        @Test
        void unknownPriorityClassIsRejected() {
            assertThat(onlyError("{name: w, priorityClass: urgent, tasks: [{id: a, kind: sim}]}", Format.YAML))
                    .hasToString("wf.yaml: workflow 'w', field 'priorityClass': 'urgent' is not one of high, normal, low");
        }
    }

    @Nested
    class SyntaxErrors {

        @Test
        void malformedJsonReportsLineAndColumn() {
            ValidationError error = onlyError("""
                    {
                      "name": "w",
                      "tasks": [ {"id": "a" "kind": "sim"} ]
                    }
                    """, Format.JSON);

            assertThat(error.source()).isEqualTo("wf.json");
            assertThat(error.message()).startsWith("malformed JSON at line 3, column 25: ")
                    .contains("was expecting comma to separate Object entries");
        }

        @Test
        void malformedYamlReportsLineAndColumn() {
            ValidationError error = onlyError("""
                    name: w
                    tasks:
                      - id: a
                      kind: sim
                    """, Format.YAML);

            assertThat(error.source()).isEqualTo("wf.yaml");
            assertThat(error.message()).startsWith("malformed YAML at line 4, column 3: ");
        }

        @Test
        void contentAfterTheWorkflowIsNotDropped() {
            assertThat(onlyError("""
                    {"name": "w", "tasks": [{"id": "a", "kind": "sim"}]}
                    {"name": "v", "tasks": [{"id": "b", "kind": "sim"}]}
                    """, Format.JSON)).hasToString("wf.json: malformed JSON at line 2, column 1: more content after the "
                    + "first workflow; put several workflows in one list");
            assertThat(onlyError("{\"name\": \"w\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\"}]} oops", Format.JSON)
                    .message()).startsWith("malformed JSON at line 1, column 54: Unrecognized token 'oops'");
        }

        @Test
        void aSecondYamlDocumentIsNotDropped() {
            assertThat(onlyError("""
                    name: first
                    tasks: [{id: a, kind: sim}]
                    ---
                    name: second
                    tasks: [{id: b, kind: sim}]
                    """, Format.YAML)).hasToString("wf.yaml: malformed YAML at line 4, column 1: more content after the "
                    + "first workflow; put several workflows in one list");
        }

        @Test
        void documentMarkersAroundOneWorkflowAreFine() throws Exception {
            assertThat(yaml("---\nname: w\ntasks: [{id: a, kind: sim}]\n...\n").name()).isEqualTo("w");
            assertThat(WorkflowParser.parse("{\"name\": \"w\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\"}]}\n\n",
                    Format.JSON, null)).hasSize(1);
        }

        @Test
        void aRepeatedKeyIsRejectedRatherThanOverwritten() {
            assertThat(onlyError("""
                    name: w
                    tasks:
                      - id: a
                        kind: sim
                        inputs: {seconds: 1}
                        inputs: {seconds: 2}
                    """, Format.YAML)).hasToString("wf.yaml: malformed YAML at line 6, column 11: Duplicate field 'inputs'");
            assertThat(onlyError("{\"name\": \"w\", \"name\": \"v\", \"tasks\": []}", Format.JSON))
                    .hasToString("wf.json: malformed JSON at line 1, column 21: Duplicate field 'name'");
        }

        @Test
        void emptyDocumentIsRejected() {
            assertThat(onlyError("", Format.YAML)).hasToString(
                    "wf.yaml: empty document; expected a workflow object or a list of them");
            assertThat(onlyError("  \n", Format.JSON).message()).startsWith("empty document");
        }

        @Test
        void emptyListIsRejected() {
            assertThat(onlyError("[]", Format.JSON)).hasToString("wf.json: the list holds no workflows");
        }
    }

    @Nested
    class FieldErrors {

        @Test
        void unknownFieldIsNamedWithTheNearestKnownOne() {
            ValidationError error = onlyError("""
                    name: w
                    tasks:
                      - id: b
                        kind: sim
                        dependson: a
                    """, Format.YAML);

            assertThat(error.task()).isEqualTo("b");
            assertThat(error.field()).isEqualTo("dependson");
            assertThat(error).hasToString("wf.yaml: workflow 'w', task 'b', field 'dependson': unknown field "
                    + "(did you mean 'dependsOn'?); known fields: dependsOn, features, id, inputs, kind, "
                    + "predictedSeconds, resources, retries, timeoutSeconds, toolType");
        }

        @Test
        void unknownFieldsAreCheckedAtEveryLevel() {
            List<ValidationError> errors = errors("""
                    nmae: w
                    tasks:
                      - id: a
                        kind: sim
                        resources: {gpuz: 1}
                    """, Format.YAML);

            assertThat(errors).extracting(ValidationError::field).containsExactly("name", "nmae", "resources.gpuz");
            assertThat(errors.get(1).task()).isNull();
            assertThat(errors.get(1).message()).startsWith("unknown field (did you mean 'name'?)");
            assertThat(errors.get(2).task()).isEqualTo("a");
            assertThat(errors.get(2).message()).startsWith("unknown field (did you mean 'gpus'?)");
        }

        @Test
        void fieldsWrittenWithoutTheirUnitSuggestTheRealName() {
            List<ValidationError> errors = errors("""
                    name: w
                    priority: high
                    tasks:
                      - {id: a, kind: sim, timeout: 30, resources: {memory: 4, gpu: 1}}
                    """, Format.YAML);

            assertThat(errors).extracting(ValidationError::field, e -> e.message().replaceAll(";.*", "")).containsExactly(
                    tuple("priority", "unknown field (did you mean 'priorityClass'?)"),
                    tuple("timeout", "unknown field (did you mean 'timeoutSeconds'?)"),
                    tuple("resources.memory", "unknown field (did you mean 'memoryGb'?)"),
                    tuple("resources.gpu", "unknown field (did you mean 'gpus'?)"));
        }

        @Test
        void unknownFieldFarFromAnyKnownOneGetsNoSuggestion() {
            ValidationError error = onlyError("{name: w, tasks: [{id: a, kind: sim, colour: blue}]}", Format.YAML);

            assertThat(error.field()).isEqualTo("colour");
            assertThat(error.message()).startsWith("unknown field; known fields: ").doesNotContain("did you mean");
        }

        @Test
        void negativeAndNonNumericResourcesNameTaskAndField() {
            List<ValidationError> errors = errors("""
                    name: w
                    tasks:
                      - id: embed
                        kind: sim
                        resources:
                          cpu: -1
                          gpus: "two"
                    """, Format.YAML);

            assertThat(errors).extracting(Object::toString).containsExactly(
                    "wf.yaml: workflow 'w', task 'embed', field 'resources.cpu': must not be negative, found -1",
                    "wf.yaml: workflow 'w', task 'embed', field 'resources.gpus': expected a number, found string \"two\"");
        }

        @Test
        void gpuCountMustBeWhole() {
            assertThat(onlyError("{name: w, tasks: [{id: a, kind: sim, resources: {gpus: 1.5}}]}", Format.YAML))
                    .hasToString("wf.yaml: workflow 'w', task 'a', field 'resources.gpus': must be a whole number from 0 to 1024 (the most GPUs a node may have), found 1.5");
        }

        @Test
        void wrongTypesNameTaskAndField() {
            List<ValidationError> errors = errors("""
                    {
                      "name": "w",
                      "tasks": [
                        {"id": "a", "kind": "sim", "dependsOn": 7, "timeoutSeconds": "soon",
                         "resources": "big", "features": {"tokens": "many"}, "toolType": ""},
                        {"id": "b", "kind": 3, "predictedSeconds": 0, "dependsOn": ["a", 2]}
                      ]
                    }
                    """, Format.JSON);

            assertThat(errors).extracting(Object::toString).containsExactlyInAnyOrder(
                    "wf.json: workflow 'w', task 'a', field 'toolType': expected a non-empty string, found string \"\"",
                    "wf.json: workflow 'w', task 'a', field 'dependsOn': expected a task id or a list of task ids, found number 7",
                    "wf.json: workflow 'w', task 'a', field 'resources': expected an object with cpu, memoryGb, gpus, "
                            + "gpuMemoryGb, model; found string \"big\"",
                    "wf.json: workflow 'w', task 'a', field 'timeoutSeconds': expected a number of seconds, found string \"soon\"",
                    "wf.json: workflow 'w', task 'a', field 'features.tokens': expected a number, found string \"many\"",
                    "wf.json: workflow 'w', task 'b', field 'kind': expected a non-empty string, found number 3",
                    "wf.json: workflow 'w', task 'b', field 'dependsOn': expected task ids (strings), found number 2",
                    "wf.json: workflow 'w', task 'b', field 'predictedSeconds': must be a positive number of seconds, found 0.0");
        }

        @Test
        void inputsMustBeAnObject() {
            List<ValidationError> errors = errors("""
                    name: w
                    tasks:
                      - {id: a, kind: sim, inputs: [seconds, 2]}
                      - {id: b, kind: process, inputs: "python3 tool.py"}
                    """, Format.YAML);

            assertThat(errors).extracting(Object::toString).containsExactly(
                    "wf.yaml: workflow 'w', task 'a', field 'inputs': expected an object of named inputs such as "
                            + "{seconds: 2}, found array [\"seconds\",2]",
                    "wf.yaml: workflow 'w', task 'b', field 'inputs': expected an object of named inputs such as "
                            + "{seconds: 2}, found string \"python3 tool.py\"");
        }

        @Test
        void missingRequiredFields() {
            List<ValidationError> errors = errors("""
                    tasks:
                      - kind: sim
                      - id: b
                    """, Format.YAML);

            assertThat(errors).extracting(Object::toString).containsExactly(
                    "wf.yaml: field 'name': missing; it is required",
                    "wf.yaml: task '#1', field 'id': missing; it is required",
                    "wf.yaml: task 'b', field 'kind': missing; it is required");
        }

        @Test
        void aWorkflowNeedsTasks() {
            assertThat(onlyError("name: w", Format.YAML))
                    .hasToString("wf.yaml: workflow 'w', field 'tasks': missing; a workflow needs a list of tasks");
            assertThat(onlyError("{name: w, tasks: []}", Format.YAML))
                    .hasToString("wf.yaml: workflow 'w', field 'tasks': expected a non-empty list of tasks, found array []");
        }

        @Test
        void listElementsThatAreNotWorkflowsAreNamedByPosition() {
            List<ValidationError> errors = errors("""
                    - name: fine
                      tasks: [{id: a, kind: sim}]
                    - 5
                    - tasks: [7]
                    """, Format.YAML);

            assertThat(errors).extracting(Object::toString).containsExactly(
                    "wf.yaml: workflow '#2': expected a workflow object with 'name' and 'tasks', found number 5",
                    "wf.yaml: workflow '#3', field 'name': missing; it is required",
                    "wf.yaml: workflow '#3', task '#1': expected a task object, found number 7");
        }

        @Test
        void everyStructuralProblemIsReportedInOneException() {
            ValidationException thrown = assertThrows(ValidationException.class,
                    () -> WorkflowParser.parse("""
                            - name: one
                              deadline: soon
                              tasks:
                                - {id: a, kind: sim, resources: {cpu: -2}}
                            - name: two
                              tasks:
                                - {id: b, kind: sim, retries: -1, timeout: 5}
                            """, Format.YAML, "batch.yaml"));

            assertThat(thrown.errors()).extracting(e -> e.workflow() + "/" + e.task() + "/" + e.field()).containsExactly(
                    "one/null/deadline", "one/a/resources.cpu", "two/b/timeout", "two/b/retries");
            assertThat(thrown.getMessage().lines()).hasSize(4);
        }
    }

    @Nested
    class ReadingFiles {

        @TempDir
        Path dir;

        @Test
        void formatFollowsTheExtension() throws Exception {
            Files.writeString(dir.resolve("a.yml"), "name: y\ntasks: [{id: a, kind: sim}]\n");
            Files.writeString(dir.resolve("b.YAML"), "name: y2\ntasks: [{id: a, kind: sim}]\n");
            Files.writeString(dir.resolve("c.json"), "{\"name\": \"j\", \"tasks\": [{\"id\": \"a\", \"kind\": \"sim\"}]}");

            assertThat(WorkflowParser.parseFile(dir.resolve("a.yml"))).extracting(WorkflowSpec::name).containsExactly("y");
            assertThat(WorkflowParser.parseFile(dir.resolve("b.YAML"))).extracting(WorkflowSpec::name).containsExactly("y2");
            List<WorkflowSpec> json = WorkflowParser.parseFile(dir.resolve("c.json"));
            assertThat(json).extracting(WorkflowSpec::name).containsExactly("j");
            assertThat(json.get(0).source()).isEqualTo(dir.resolve("c.json").toString());
        }

        @Test
        void yamlInAJsonFileIsReportedAsMalformedJson() throws Exception {
            Path file = dir.resolve("wf.json");
            Files.writeString(file, "name: w\ntasks: []\n");

            assertThatThrownBy(() -> WorkflowParser.parseFile(file))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith(file + ": malformed JSON at line 1, column ");
        }

        @Test
        void missingFileIsReportedWithItsPath() {
            Path missing = dir.resolve("nope.yaml");

            assertThatThrownBy(() -> WorkflowParser.parseFile(missing))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage(missing + ": file not found; check the path");
        }

        @Test
        void aDirectoryCannotBeRead() {
            assertThatThrownBy(() -> WorkflowParser.parseFile(dir))
                    .isInstanceOf(ValidationException.class)
                    .hasMessageStartingWith(dir + ": cannot read file: ");
        }
    }

    @Test
    void inputsAreKeptAsGiven() throws Exception {
        TaskSpec task = yaml("""
                name: w
                tasks:
                  - id: run
                    kind: process
                    inputs:
                      command: [python3, tool.py, "--n", "3"]
                      env: {MODE: fast}
                      stdin: "{{tasks.x.output.text}}"
                """).tasks().get(0);

        assertThat(task.inputs()).isEqualTo(JSON.readTree("""
                {"command": ["python3", "tool.py", "--n", "3"], "env": {"MODE": "fast"},
                 "stdin": "{{tasks.x.output.text}}"}
                """));
    }
}
