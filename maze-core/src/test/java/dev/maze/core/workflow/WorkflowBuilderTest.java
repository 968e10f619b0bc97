package dev.maze.core.workflow;

import dev.maze.core.node.Resources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.workflow.WorkflowParser.Format;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkflowBuilderTest {

    @Test
    void buildsTheSameSpecAsTheEquivalentYaml() throws Exception {
        WorkflowSpec fromYaml = WorkflowParser.parse("""
                id: rag-7
                name: rag
                priorityClass: high
                deadline: PT5M
                tasks:
                  - id: search
                    kind: process
                    toolType: web_search
                    resources: {cpu: 0.5, memoryGb: 2}
                    inputs:
                      command: [python3, search.py]
                      env: {TOP_K: "5"}
                    timeoutSeconds: 30
                    retries: {count: 2, backoffSeconds: 3, multiplier: 2, maxBackoffSeconds: 10}
                    features: {query_tokens: 12}
                  - id: answer
                    kind: sim
                    toolType: llm_process
                    dependsOn: search
                    resources: {model: qwen3-32b}
                    inputs:
                      seconds: 4
                      prompt: "Answer from {{tasks.search.output.text}}"
                    predictedSeconds: 3.5
                  - id: check
                    dependsOn: [search, answer]
                    kind: sim
                    resources: {gpus: 2, gpuMemoryGb: 20, cpu: 2}
                    inputs: {seconds: 1.5, weights: [0.2, 0.8]}
                    retries: 1
                """, Format.YAML, null).get(0);

        WorkflowSpec built = WorkflowBuilder.workflow("rag")
                .id("rag-7")
                .priorityClass(PriorityClass.HIGH)
                .deadlineSeconds(300)
                .task("search", t -> t.kind("process").toolType("web_search")
                        .resources(new Resources(0.5, 2, 0, 0, null))
                        .input("command", List.of("python3", "search.py"))
                        .input("env", Map.of("TOP_K", "5"))
                        .timeoutSeconds(30)
                        .retries(new RetryPolicy(2, 3, 2, 10))
                        .feature("query_tokens", 12))
                .task("answer", t -> t.toolType("llm_process").dependsOn("search").gpu("qwen3-32b")
                        .input("seconds", 4)
                        .input("prompt", "Answer from {{tasks.search.output.text}}")
                        .predictedSeconds(3.5))
                .task("check", t -> t.dependsOn("search", "answer")
                        .resources(new Resources(2, 0, 2, 20, null))
                        .input("seconds", 1.5)
                        .input("weights", List.of(0.2, 0.8))
                        .retries(RetryPolicy.of(1)))
                .build();

        assertThat(built).isEqualTo(fromYaml);
    }

    @Test
    void defaultsMatchTheFileFormat() throws Exception {
        WorkflowSpec fromYaml = WorkflowParser.parse("""
                name: tiny
                tasks:
                  - {id: a, kind: sim, inputs: {seconds: 1}}
                """, Format.YAML, null).get(0);

        WorkflowSpec built = WorkflowBuilder.workflow("tiny").task("a", t -> t.input("seconds", 1)).build();

        assertThat(built).isEqualTo(fromYaml);
        assertThat(built.tasks().get(0).kind()).as("kind defaults to sim").isEqualTo("sim");
        assertThat(built.priorityClass()).isEqualTo(PriorityClass.NORMAL);
        assertThat(built.source()).isNull();
    }

    @Test
    void nullSettingsAreRefusedWhereTheyAreMade() {
        assertThatThrownBy(() -> WorkflowBuilder.workflow("w").task("a", t -> t.resources(null)))
                .isInstanceOf(NullPointerException.class).hasMessage("resources");
        assertThatThrownBy(() -> WorkflowBuilder.workflow("w").task("a", t -> t.retries(null)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("RetryPolicy.NONE");
        assertThatThrownBy(() -> WorkflowBuilder.workflow("w").task("a", t -> t.toolType(null)))
                .isInstanceOf(NullPointerException.class).hasMessage("toolType");
    }

    @Test
    void builtTasksDoNotChangeWhenTheBuilderIsReused() {
        WorkflowBuilder builder = WorkflowBuilder.workflow("w").task("a", t -> t.input("seconds", 1));
        WorkflowSpec first = builder.build();

        builder.task("b", t -> t.dependsOn("a").input("seconds", 2));

        assertThat(first.tasks()).extracting(TaskSpec::id).containsExactly("a");
        assertThat(builder.build().tasks()).extracting(TaskSpec::id).containsExactly("a", "b");
    }
}
