package dev.maze.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.maze.core.node.ModelEndpoint;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowParser.Format;
import dev.maze.core.workflow.WorkflowSpec;
import org.junit.jupiter.api.Test;

class ModelRegistryTest {

    private static final String EXAMPLE = """
            endpoints:
              - id: vllm-a
                url: http://10.0.0.5:8000/v1
                apiKeyEnv: VLLM_KEY
                maxConcurrency: 8
                holds: always
                models: [qwen3-32b]
              - id: ollama-1
                url: http://127.0.0.1:11434/v1
                maxConcurrency: 4
                holds: on-demand
                memoryGb: 48
                models:
                  qwen3-32b: {memoryGb: 20, loadSeconds: 30}
                  qwen2.5-vl-32b: {memoryGb: 22, loadSeconds: 35}
            """;

    @Test
    void readsEndpointsAsNodes() throws ValidationException {
        ModelRegistry registry = ModelRegistry.parse(EXAMPLE, Format.YAML, "models.yaml");

        assertThat(registry.endpoints()).extracting(ModelEndpoint::id).containsExactly("vllm-a", "ollama-1");
        ModelEndpoint vllm = registry.endpoints().get(0);
        assertThat(vllm.apiKeyEnv()).isEqualTo("VLLM_KEY");
        assertThat(vllm.alwaysLoaded()).isTrue();
        assertThat(vllm.models().get("qwen3-32b").concurrency()).isEqualTo(8);
        ModelEndpoint ollama = registry.endpoints().get(1);
        assertThat(ollama.alwaysLoaded()).isFalse();
        assertThat(ollama.models().get("qwen2.5-vl-32b").loadSeconds()).isEqualTo(35);
        assertThat(ollama.models().get("qwen2.5-vl-32b").concurrency()).isEqualTo(4);

        NodeSpec node = registry.nodes().get(1);
        assertThat(node.id()).isEqualTo("endpoint:ollama-1");
        assertThat(node.gpus()).hasSize(1);
        assertThat(node.gpus().get(0).memoryGb()).isEqualTo(48);
        assertThat(node.allowedModels()).containsExactlyInAnyOrder("qwen3-32b", "qwen2.5-vl-32b");
        assertThat(node.whyNeverFits(Resources.DEFAULT)).contains("model endpoint 'ollama-1'");
        assertThat(registry.models()).containsExactly("qwen3-32b", "qwen2.5-vl-32b");
    }

    @Test
    void everyInvalidFieldIsNamedAtOnce() {
        String text = """
                endpoints:
                  - id: a
                    url: ftp://host/v1
                    maxConcurrency: 0
                    holds: on-demand
                    colour: blue
                    models:
                      m1: {memoryGb: 20, loadSeconds: 30}
                  - id: a
                    url: http://host:8000/v1
                    maxConcurrency: 2
                    holds: sometimes
                    apiKeyEnv: "sk-live-123"
                    models: [m2]
                  - id: c
                    url: http://host:8001/v1
                    apiKey: sk-live-456
                    maxConcurrency: -3
                    holds: on-demand
                    memoryGb: 16
                    models:
                      m3: {memoryGb: 40, loadSeconds: -1, size: 3}
                """;
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> ModelRegistry.parse(text, Format.YAML, "models.yaml"));

        assertThat(e.errors()).allSatisfy(error -> assertThat(error.source()).isEqualTo("models.yaml"));
        assertThat(e.errors()).extracting(ValidationError::field).contains(
                "endpoints[0].url", "endpoints[0].maxConcurrency", "endpoints[0].memoryGb", "endpoints[0].colour",
                "endpoints[1].id", "endpoints[1].holds", "endpoints[1].apiKeyEnv",
                "endpoints[2].apiKey", "endpoints[2].maxConcurrency", "endpoints[2].models.m3.memoryGb",
                "endpoints[2].models.m3.loadSeconds", "endpoints[2].models.m3.size");
        assertThat(e.getMessage())
                .contains("models.yaml: field 'endpoints[1].id': endpoint 'a' is listed twice")
                .contains("more than the endpoint's memoryGb 16")
                .contains("a key is never written in a file")
                // a key written where a variable name belongs, or in a field of its own, never reaches a message
                .doesNotContain("sk-live-123").doesNotContain("sk-live-456");
    }

    @Test
    void anEmptyOrShapelessRegistryIsRefused() {
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> ModelRegistry.parse("endpoints: []\nextra: 1\n", Format.YAML, "m.yaml"));
        assertThat(e.errors()).extracting(ValidationError::field).containsExactlyInAnyOrder("extra", "endpoints");
    }

    @Test
    void routesModelCallsThatStateNoGpuToAnEndpointSlot() throws ValidationException {
        ModelRegistry registry = ModelRegistry.parse(EXAMPLE, Format.YAML, "models.yaml");
        WorkflowSpec workflow = WorkflowBuilder.workflow("w")
                .task("ask", t -> t.kind("llm").input("model", "qwen3-32b").input("prompt", "hi"))
                .task("other", t -> t.kind("llm").input("model", "gpt-elsewhere").input("prompt", "hi"))
                .task("tool", t -> t.kind("sim"))
                .task("own", t -> t.kind("llm").input("model", "qwen3-32b").input("baseUrl", "http://other:1/v1"))
                .task("templated", t -> t.kind("llm").input("model", "{{tasks.ask.output.text}}"))
                .build();

        WorkflowSpec routed = registry.route(workflow);

        assertThat(routed.tasks().get(0).resources()).isEqualTo(new Resources(0, 0, 1, 0, "qwen3-32b"));
        assertThat(routed.tasks().subList(1, 5)).isEqualTo(workflow.tasks().subList(1, 5));
        assertThat(registry.route(routed)).isSameAs(routed);
        assertThat(routed.name()).isEqualTo(workflow.name());
    }
}
