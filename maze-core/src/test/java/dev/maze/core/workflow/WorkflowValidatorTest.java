package dev.maze.core.workflow;

import dev.maze.core.node.Resources;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.exec.TaskExecutors;
import dev.maze.core.node.GpuSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.WorkflowParser.Format;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One test per class of error the validator finds. Each names the workflow, the task and the field, as users
 * see them in {@link ValidationError#toString()}.
 */
class WorkflowValidatorTest {

    /** An 8-core node with two 80 GB GPUs. */
    private static final NodeSpec GPU_NODE = NodeSpec.of("gpu-1", 8, 64, 2, 80);
    /** A 4-core node with no GPU. */
    private static final NodeSpec CPU_NODE = NodeSpec.of("cpu-1", 4, 16, 0, 0);

    private final WorkflowValidator validator =
            new WorkflowValidator(TaskExecutors.defaults(), List.of(GPU_NODE, CPU_NODE));

    private static WorkflowSpec yaml(String text) throws ValidationException {
        return WorkflowParser.parse(text, Format.YAML, "wf.yaml").get(0);
    }

    private List<String> errors(String text) throws ValidationException {
        return validator.validate(yaml(text)).stream().map(ValidationError::toString).toList();
    }

    @Test
    void aValidWorkflowHasNoErrors() throws Exception {
        assertThat(errors("""
                name: rag
                tasks:
                  - {id: search, kind: sim, inputs: {seconds: 1}}
                  - {id: rerank, kind: sim, dependsOn: search, resources: {gpuMemoryGb: 20}, inputs: {seconds: 1}}
                  - id: answer
                    kind: process
                    dependsOn: [rerank]
                    resources: {model: qwen3-32b}
                    inputs:
                      command: [echo, "{{tasks.search.output.text}} {{tasks.rerank.output}} {{workflow.id}}"]
                """)).isEmpty();
    }

    @Test
    void dependencyCycleIsPrintedAsAChain() throws Exception {
        List<ValidationError> errors = validator.validate(yaml("""
                name: loop
                tasks:
                  - {id: start, kind: sim, inputs: {seconds: 1}}
                  - {id: a, kind: sim, dependsOn: [start, c], inputs: {seconds: 1}}
                  - {id: b, kind: sim, dependsOn: a, inputs: {seconds: 1}}
                  - {id: c, kind: sim, dependsOn: b, inputs: {seconds: 1}}
                """));

        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.task()).isEqualTo("a");
            assertThat(error.field()).isEqualTo("dependsOn");
            assertThat(error).hasToString("wf.yaml: workflow 'loop', task 'a', field 'dependsOn': "
                    + "dependency cycle: a -> c -> b -> a (each task depends on the next)");
        });
    }

    @Test
    void twoTaskCycle() throws Exception {
        assertThat(errors("""
                name: loop
                tasks:
                  - {id: a, kind: sim, dependsOn: b, inputs: {seconds: 1}}
                  - {id: b, kind: sim, dependsOn: a, inputs: {seconds: 1}}
                """)).containsExactly("wf.yaml: workflow 'loop', task 'a', field 'dependsOn': "
                + "dependency cycle: a -> b -> a (each task depends on the next)");
    }

    @Test
    void aLongCycleShowsItsEndsAndHowManyTasksItLeftOut() throws Exception {
        StringBuilder file = new StringBuilder("name: ring\ntasks:\n");
        for (int i = 0; i < 5000; i++) { // t0 depends on t1, ..., t4999 on t0
            file.append("  - {id: t").append(i).append(", kind: sim, dependsOn: t").append((i + 1) % 5000)
                    .append(", inputs: {seconds: 1}}\n");
        }

        assertThat(errors(file.toString())).singleElement().satisfies(error -> {
            assertThat(error).startsWith("wf.yaml: workflow 'ring', task 't0', field 'dependsOn': dependency cycle: "
                    + "t0 -> t1 -> t2 -> t3 -> t4 -> t5 -> t6 -> t7 -> t8 -> t9 -> ... (4981 more tasks) -> t4991 -> ");
            assertThat(error).endsWith("t4998 -> t4999 -> t0 (each task depends on the next)").hasSizeLessThan(400);
        });
    }

    @Test
    void aCycleDoesNotHideTheTemplateErrorsOfTasksOutsideIt() throws Exception {
        assertThat(errors("""
                name: loop
                tasks:
                  - {id: a, kind: sim, dependsOn: b, inputs: {seconds: 1}}
                  - {id: b, kind: sim, dependsOn: a, inputs: {seconds: 1}}
                  - {id: c, kind: sim, inputs: {seconds: 1, prompt: "{{tasks.d.output.text}} {{tasks.nope.output}}"}}
                  - {id: d, kind: sim, inputs: {seconds: 1}}
                """)).containsExactly(
                "wf.yaml: workflow 'loop', task 'a', field 'dependsOn': dependency cycle: a -> b -> a (each task depends on the next)",
                "wf.yaml: workflow 'loop', task 'c', field 'inputs.prompt': template {{tasks.d.output.text}} references task 'd', "
                        + "which is not an ancestor, so its output may not exist yet; add it to dependsOn",
                "wf.yaml: workflow 'loop', task 'c', field 'inputs.prompt': template {{tasks.nope.output}} references unknown task "
                        + "'nope'");
    }

    @Test
    void unknownDependencySuggestsTheNearestId() throws Exception {
        assertThat(errors("""
                id: rag-7
                name: rag
                tasks:
                  - {id: summary, kind: sim, inputs: {seconds: 1}}
                  - {id: fuse, kind: sim, dependsOn: [sumary, elsewhere], inputs: {seconds: 1}}
                """)).containsExactly(
                "wf.yaml: workflow 'rag-7', task 'fuse', field 'dependsOn': depends on unknown task 'sumary' "
                        + "(did you mean 'summary'?)",
                "wf.yaml: workflow 'rag-7', task 'fuse', field 'dependsOn': depends on unknown task 'elsewhere'");
    }

    @Test
    void duplicateTaskId() throws Exception {
        assertThat(errors("""
                name: w
                tasks:
                  - {id: a, kind: sim, inputs: {seconds: 1}}
                  - {id: a, kind: sim, inputs: {seconds: 2}}
                """)).containsExactly(
                "wf.yaml: workflow 'w', task 'a', field 'id': duplicate task id; every task in a workflow needs its own id");
    }

    @Test
    void duplicateWorkflowIdInABatch() throws Exception {
        List<WorkflowSpec> batch = WorkflowParser.parse("""
                - {id: job-1, name: first, tasks: [{id: a, kind: sim, inputs: {seconds: 1}}]}
                - {name: no-id, tasks: [{id: a, kind: sim, inputs: {seconds: 1}}]}
                - {name: no-id, tasks: [{id: a, kind: sim, inputs: {seconds: 1}}]}
                - {id: job-1, name: second, tasks: [{id: a, kind: sim, inputs: {seconds: 1}}]}
                """, Format.YAML, "batch.yaml");

        List<ValidationError> errors = validator.validate(batch);

        // Workflows without an id get one from the engine, so only the explicit duplicate is an error.
        assertThat(errors).singleElement().satisfies(error -> {
            assertThat(error.workflow()).isEqualTo("job-1");
            assertThat(error.task()).isNull();
            assertThat(error.field()).isEqualTo("id");
            assertThat(error).hasToString("batch.yaml: workflow 'job-1', field 'id': duplicate workflow id "
                    + "(also in batch.yaml); give each workflow its own id or omit it");
        });
    }

    @Test
    void selfDependency() throws Exception {
        assertThat(errors("""
                name: w
                tasks:
                  - {id: a, kind: sim, dependsOn: a, inputs: {seconds: 1}}
                """)).containsExactly("wf.yaml: workflow 'w', task 'a', field 'dependsOn': a task cannot depend on itself");
    }

    @Test
    void templateReferencingATaskThatIsNotAnAncestor() throws Exception {
        assertThat(errors("""
                name: w
                tasks:
                  - {id: search, kind: sim, inputs: {seconds: 1}}
                  - {id: draft, kind: sim, inputs: {seconds: 1}}
                  - id: answer
                    kind: sim
                    dependsOn: draft
                    inputs:
                      seconds: 1
                      prompt: "Use {{tasks.search.output.text}}"
                """)).containsExactly("wf.yaml: workflow 'w', task 'answer', field 'inputs.prompt': template "
                + "{{tasks.search.output.text}} references task 'search', which is not an ancestor, so its output may "
                + "not exist yet; add it to dependsOn");
    }

    @Test
    void templatesMayReferenceAnyAncestorNotJustParents() throws Exception {
        assertThat(errors("""
                name: w
                tasks:
                  - {id: a, kind: sim, inputs: {seconds: 1}}
                  - {id: b, kind: sim, dependsOn: a, inputs: {seconds: 1}}
                  - {id: c, kind: sim, dependsOn: b, inputs: {seconds: 1, prompt: "{{tasks.a.output.text}}"}}
                """)).isEmpty();
    }

    @Test
    void templateReferencingAnUnknownTask() throws Exception {
        assertThat(errors("""
                name: w
                tasks:
                  - {id: search, kind: sim, inputs: {seconds: 1}}
                  - id: answer
                    kind: sim
                    dependsOn: search
                    inputs:
                      seconds: 1
                      messages:
                        - {role: user, content: "{{tasks.serch.output.text}}"}
                """)).containsExactly("wf.yaml: workflow 'w', task 'answer', field 'inputs.messages[0].content': "
                + "template {{tasks.serch.output.text}} references unknown task 'serch' (did you mean 'search'?)");
    }

    @Test
    void malformedTemplate() throws Exception {
        assertThat(errors("""
                name: w
                tasks:
                  - {id: a, kind: sim, inputs: {seconds: 1, note: "{{#tasks.a.output}} never closed"}}
                """)).containsExactly("wf.yaml: workflow 'w', task 'a', field 'inputs': inputs.note: malformed template: "
                + "Section missing close tag 'tasks.a.output' @ line 1");
    }

    @Test
    void partialInATemplate() throws Exception {
        assertThat(errors("""
                name: w
                tasks:
                  - {id: a, kind: sim, inputs: {seconds: 1, note: "{{> header}}"}}
                """)).containsExactly("wf.yaml: workflow 'w', task 'a', field 'inputs': inputs.note: partials "
                + "({{> name}}) are not supported in inputs, found {{> header}}");
    }

    @Test
    void resourcesNoNodeCanEverSatisfy() throws Exception {
        assertThat(errors("""
                name: w
                tasks:
                  - {id: big, kind: sim, resources: {cpu: 16, memoryGb: 128}, inputs: {seconds: 1}}
                  - {id: wide, kind: sim, resources: {gpus: 3, gpuMemoryGb: 40}, inputs: {seconds: 1}}
                """)).containsExactly(
                "wf.yaml: workflow 'w', task 'big', field 'resources': no node can ever run this task "
                        + "(gpu-1: cpu 16.0 > 8.0 cores, memoryGb 128.0 > 64.0; cpu-1: cpu 16.0 > 4.0 cores, "
                        + "memoryGb 128.0 > 16.0); lower the request or add a larger node",
                "wf.yaml: workflow 'w', task 'wide', field 'resources': no node can ever run this task "
                        + "(gpu-1: gpus 3 with gpuMemoryGb 40.0 > 2 GPUs that large; cpu-1: gpus 3 with gpuMemoryGb 40.0 "
                        + "> 0 GPUs that large); lower the request or add a larger node");
    }

    @Test
    void aTaskNeedsOneNodeThatSatisfiesEveryRequestAtOnce() throws Exception {
        // cpu-1 has the cores, gpu-1 has the GPU, but no single node has both.
        assertThat(errors("""
                name: w
                tasks:
                  - {id: t, kind: sim, resources: {cpu: 4, model: m}, inputs: {seconds: 1}}
                """)).isEmpty();
        assertThat(errors("""
                name: w
                tasks:
                  - {id: t, kind: sim, resources: {cpu: 8, model: m, memoryGb: 32}, inputs: {seconds: 1}}
                """)).isEmpty();
        assertThat(new WorkflowValidator(TaskExecutors.defaults(), List.of(NodeSpec.of("many-cores", 32, 64, 0, 0),
                NodeSpec.of("small-gpu", 2, 64, 1, 24))).validate(yaml("""
                name: w
                tasks:
                  - {id: t, kind: sim, resources: {cpu: 8, model: m}, inputs: {seconds: 1}}
                """))).singleElement().hasToString("wf.yaml: workflow 'w', task 't', field 'resources': no node can "
                + "ever run this task (many-cores: gpus 1 > 0; small-gpu: cpu 8.0 > 2.0 cores); lower the request or "
                + "add a larger node");
    }

    @Test
    void gpuTaskWithoutAnyGpuNodeHintsAtVirtualGpus() throws Exception {
        WorkflowValidator cpuOnly = new WorkflowValidator(TaskExecutors.defaults(), List.of(CPU_NODE));

        assertThat(cpuOnly.validate(yaml("""
                name: w
                tasks:
                  - {id: answer, kind: sim, resources: {model: qwen3-32b}, inputs: {seconds: 1}}
                """))).singleElement().hasToString("wf.yaml: workflow 'w', task 'answer', field 'resources': no node "
                + "can ever run this task (cpu-1: gpus 1 > 0); no node has a GPU (maze run and validate offer N virtual "
                + "ones with --gpus N; a simulated workload lists its GPUs under cluster)");
    }

    @Test
    void modelNotAllowedOnAnyNode() throws Exception {
        NodeSpec restricted = new NodeSpec("vlm-node", 8, 64, List.of(new GpuSpec(0, "H100", 80)), Set.of("qwen2-vl"));
        WorkflowValidator onlyVlm = new WorkflowValidator(TaskExecutors.defaults(), List.of(restricted));

        assertThat(onlyVlm.validate(yaml("""
                name: w
                tasks:
                  - {id: t, kind: sim, resources: {model: llama-8b}, inputs: {seconds: 1}}
                """))).singleElement().hasToString("wf.yaml: workflow 'w', task 't', field 'resources': no node can "
                + "ever run this task (vlm-node: model 'llama-8b' not among [qwen2-vl]); lower the request or add a "
                + "larger node");
    }

    @Test
    void withoutNodesTheResourceCheckIsSkipped() throws Exception {
        WorkflowValidator noCluster = new WorkflowValidator(TaskExecutors.defaults(), List.of());

        assertThat(noCluster.validate(yaml("""
                name: w
                tasks:
                  - {id: t, kind: sim, resources: {cpu: 1000, gpus: 64}, inputs: {seconds: 1}}
                """))).isEmpty();
    }

    @Test
    void unknownKindSuggestsTheNearestKind() throws Exception {
        assertThat(errors("""
                name: w
                tasks:
                  - {id: run, kind: proces, inputs: {command: [ls]}}
                  - {id: other, kind: grpc, inputs: {}}
                """)).containsExactly(
                "wf.yaml: workflow 'w', task 'run', field 'kind': unknown kind 'proces' (did you mean 'process'?); "
                        + "known kinds: http, java, llm, process, sim, speech, vlm",
                "wf.yaml: workflow 'w', task 'other', field 'kind': unknown kind 'grpc'; known kinds: http, java, llm, process, sim, speech, vlm");
    }

    @Test
    void processTaskWithoutCommand() throws Exception {
        assertThat(errors("""
                name: w
                tasks:
                  - {id: none, kind: process, inputs: {}}
                  - {id: text, kind: process, inputs: {command: "python3 tool.py"}}
                  - {id: mixed, kind: process, inputs: {command: [python3, 3], env: [A], workingDir: 7}}
                """)).containsExactly(
                "wf.yaml: workflow 'w', task 'none', field 'inputs.command': a process task needs inputs.command, a "
                        + "non-empty list of strings such as [\"python3\", \"tool.py\"]",
                "wf.yaml: workflow 'w', task 'text', field 'inputs.command': a process task needs inputs.command, a "
                        + "non-empty list of strings such as [\"python3\", \"tool.py\"]",
                "wf.yaml: workflow 'w', task 'mixed', field 'inputs.command[1]': expected a string, found 3",
                "wf.yaml: workflow 'w', task 'mixed', field 'inputs.env': expected an object of NAME: value strings",
                "wf.yaml: workflow 'w', task 'mixed', field 'inputs.workingDir': expected a directory path");
    }

    @Test
    void simTaskWithoutSecondsOrDuration() throws Exception {
        assertThat(errors("""
                name: w
                tasks:
                  - {id: idle, kind: sim, inputs: {output: {text: hi}}}
                  - {id: neg, kind: sim, inputs: {seconds: -3}}
                  - {id: flaky, kind: sim, inputs: {seconds: 1, failAttempts: 1.5}}
                """)).containsExactly(
                "wf.yaml: workflow 'w', task 'idle', field 'inputs.seconds': a sim task needs inputs.seconds or "
                        + "inputs.duration",
                "wf.yaml: workflow 'w', task 'neg', field 'inputs.seconds': expected a number of seconds >= 0, found -3",
                "wf.yaml: workflow 'w', task 'flaky', field 'inputs.failAttempts': expected a whole number >= 0, found 1.5");
    }

    @Test
    void badDurationDistribution() throws Exception {
        assertThat(errors("""
                name: w
                tasks:
                  - {id: gauss, kind: sim, inputs: {duration: {distribution: gaussian, mean: 3}}}
                  - {id: range, kind: sim, inputs: {duration: {distribution: uniform, min: 5, max: 2}}}
                  - {id: tail, kind: sim, inputs: {duration: {distribution: lognormal, mean: 10, p95: 50}}}
                  - {id: nomean, kind: sim, inputs: {duration: {distribution: exponential}}}
                  - {id: scalar, kind: sim, inputs: {duration: 5}}
                """)).containsExactly(
                "wf.yaml: workflow 'w', task 'gauss', field 'inputs.duration.distribution': expected constant, "
                        + "uniform, exponential, lognormal or empirical, found 'gaussian'",
                "wf.yaml: workflow 'w', task 'range', field 'inputs.duration.min': must not exceed max",
                "wf.yaml: workflow 'w', task 'tail', field 'inputs.duration.p95': must lie between mean and 3.87 x mean "
                        + "for a lognormal",
                "wf.yaml: workflow 'w', task 'nomean', field 'inputs.duration.mean': expected a positive number of seconds",
                "wf.yaml: workflow 'w', task 'scalar', field 'inputs.duration': expected an object such as "
                        + "{\"distribution\": \"uniform\", \"min\": 1, \"max\": 3}");
    }

    @Test
    void everyDurationDistributionIsAccepted() throws Exception {
        assertThat(errors("""
                name: w
                tasks:
                  - {id: c, kind: sim, inputs: {duration: {distribution: constant, seconds: 3}}}
                  - {id: u, kind: sim, inputs: {duration: {distribution: uniform, min: 1, max: 5}}}
                  - {id: e, kind: sim, inputs: {duration: {distribution: exponential, mean: 2}}}
                  - {id: l, kind: sim, inputs: {duration: {distribution: lognormal, mean: 120, p95: 165}}}
                  - {id: t, kind: sim, inputs: {seconds: "{{tasks.c.output.seconds}}"}, dependsOn: c}
                """)).isEmpty();
    }

    @Test
    void javaTaskNamingAnUnregisteredFunction() throws Exception {
        assertThat(errors("""
                name: w
                tasks:
                  - {id: f, kind: java, inputs: {function: summarise}}
                  - {id: g, kind: java, inputs: {}}
                """)).satisfiesExactly( // the registered list depends on what the classpath's ServiceLoader offers
                first -> assertThat(first).startsWith("wf.yaml: workflow 'w', task 'f', field 'inputs.function': no "
                        + "function named 'summarise' is registered (ServiceLoader, dev.maze.core.exec.JavaTask); registered: ["),
                second -> assertThat(second).startsWith("wf.yaml: workflow 'w', task 'g', field 'inputs.function': a java "
                        + "task needs inputs.function, the name of a registered function; registered: ["));
    }

    @Test
    void workflowsBuiltInJavaGetTheChecksTheParserWouldHaveMade() {
        // The engine validates builder-made workflows with this class alone; without these checks an empty
        // workflow was accepted and never finished, and a missing kind threw a NullPointerException.
        assertThat(validator.validate(WorkflowBuilder.workflow("empty").build())).extracting(Object::toString)
                .containsExactly("workflow 'empty', field 'tasks': a workflow needs at least one task");
        assertThat(validator.validate(WorkflowBuilder.workflow(null)
                        .task(null, t -> t.input("seconds", 1))
                        .task("b", t -> t.kind(null).dependsOn("a"))
                        .task("c", t -> t.dependsOn("b").input("seconds", 1).input("p", "{{tasks.b.output}}"))
                        .build()))
                .extracting(Object::toString).containsExactly(
                        "field 'name': missing; every workflow needs a name",
                        "field 'id': missing; every task needs an id",
                        "task 'b', field 'dependsOn': depends on unknown task 'a'",
                        "task 'b', field 'kind': missing; known kinds: http, java, llm, process, sim, speech, vlm");
    }

    @Test
    void numbersOutOfRangeInJavaBuiltWorkflowsAreReported() {
        WorkflowSpec spec = WorkflowBuilder.workflow("w").deadlineSeconds(-5)
                .task("a", t -> t.input("seconds", 1)
                        .resources(new Resources(-4, Double.NaN, -1, -2, null))
                        .timeoutSeconds(0)
                        .predictedSeconds(Double.POSITIVE_INFINITY)
                        .retries(new RetryPolicy(-1, -1, 0.5, -3)))
                .build();

        assertThat(validator.validate(spec)).extracting(Object::toString).containsExactly(
                "workflow 'w', field 'deadline': must be a positive number of seconds, found -5.0",
                "workflow 'w', task 'a', field 'resources.cpu': must not be negative, found -4.0",
                "workflow 'w', task 'a', field 'resources.memoryGb': must be a finite number, found NaN",
                "workflow 'w', task 'a', field 'resources.gpus': must not be negative, found -1",
                "workflow 'w', task 'a', field 'resources.gpuMemoryGb': must not be negative, found -2.0",
                "workflow 'w', task 'a', field 'timeoutSeconds': must be a positive number of seconds, found 0.0",
                "workflow 'w', task 'a', field 'predictedSeconds': must be a positive number of seconds, found Infinity",
                "workflow 'w', task 'a', field 'retries.count': must not be negative, found -1",
                "workflow 'w', task 'a', field 'retries.backoffSeconds': must not be negative, found -1.0",
                "workflow 'w', task 'a', field 'retries.maxBackoffSeconds': must not be negative, found -3.0",
                "workflow 'w', task 'a', field 'retries.multiplier': must be at least 1, found 0.5");
    }

    @Test
    void everyErrorInAFileIsReportedAtOnce() throws Exception {
        List<WorkflowSpec> batch = WorkflowParser.parse("""
                - id: rag-7
                  name: rag
                  tasks:
                    - {id: search, kind: sim, inputs: {seconds: 1}}
                    - {id: search, kind: sim, inputs: {seconds: 1}}
                    - {id: fuse, kind: sim, dependsOn: [serch, fuse], inputs: {seconds: 1}}
                    - {id: answer, kind: proces, resources: {cpu: 64}, inputs: {prompt: "{{tasks.fuse.output}}"}}
                    - {id: shell, kind: process, inputs: {}}
                - id: rag-7
                  name: rag
                  tasks:
                    - {id: x, kind: sim, dependsOn: y, inputs: {}}
                    - {id: y, kind: sim, dependsOn: x, inputs: {seconds: 1, prompt: "{{tasks.x.output}} {{tasks.z.output}}"}}
                """, Format.YAML, "wf.yaml");

        List<ValidationError> errors = validator.validate(batch);

        assertThat(errors).extracting(e -> e.task() + " " + e.field()).containsExactly(
                "search id",
                "fuse dependsOn",
                "fuse dependsOn",
                "answer kind",
                "answer resources",
                "shell inputs.command",
                "answer inputs.prompt",
                "null id",
                "x inputs.seconds",
                "x dependsOn",
                "y inputs.prompt");
        assertThat(errors.get(1).message()).contains("'serch' (did you mean 'search'?)");
        assertThat(errors.get(2).message()).isEqualTo("a task cannot depend on itself");
        assertThat(errors.get(6).message()).contains("not an ancestor");
        assertThat(errors.get(9).message()).contains("x -> y -> x");
        assertThat(errors.get(10).message()).contains("unknown task 'z'");

        ValidationException thrown = new ValidationException(errors);
        assertThat(thrown.errors()).isEqualTo(errors);
        assertThat(thrown.getMessage().lines()).hasSize(errors.size());
    }
}
