package dev.maze.core.call;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.maze.core.clock.WallClock;
import dev.maze.core.endpoint.ModelRegistry;
import dev.maze.core.engine.Engine;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.profile.SchedulerProfiles;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowParser.Format;
import dev.maze.core.workflow.WorkflowSpec;
import dev.maze.fakellm.FakeLlmConfig;
import dev.maze.fakellm.FakeLlmServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Model endpoints of a registry as scheduled resources, over real HTTP against {@code maze fake-llm}. */
class EndpointCallsTest {

    private static final String KEY = "sk-endpoint-only-in-env-4711";

    private final List<FakeLlmServer> servers = new ArrayList<>();
    private Engine engine;
    private HttpServer recorder;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        servers.forEach(FakeLlmServer::close);
        if (recorder != null) {
            recorder.stop(0);
        }
    }

    private FakeLlmServer serve(FakeLlmConfig.Builder config) {
        FakeLlmServer server = FakeLlmServer.start(config.timeScale(0.01).build());
        servers.add(server);
        return server;
    }

    private ModelRegistry registry(String yaml) throws Exception {
        return ModelRegistry.parse(yaml, Format.YAML, "models.yaml");
    }

    /** An engine on the wall clock with a local node and the registry's endpoints, running {@code profile}. */
    private Engine engine(ModelRegistry registry, String profile) {
        Map<String, String> environment = Map.of("FAKE_KEY", KEY);
        List<NodeSpec> nodes = new ArrayList<>(List.of(NodeSpec.of("local", 8, 16, 0, 0)));
        nodes.addAll(registry.nodes());
        engine = SchedulerProfiles.get(profile).configure(Engine.builder().clock(new WallClock()), nodes)
                .executor(new ChatExecutor("llm", new Endpoints("llm", null, null, environment::get), true, 16, 5))
                .build().start();
        return engine;
    }

    private WorkflowSnapshot run(ModelRegistry registry, WorkflowSpec workflow) throws Exception {
        WorkflowSnapshot result = engine.submit(registry.route(workflow)).result().get(60, SECONDS);
        assertThat(result.state()).as(String.valueOf(result.error())).isEqualTo(WorkflowState.FINISHED);
        return result;
    }

    @Test
    void twoEndpointsAtConcurrencyTwoNeverHaveMoreThanFourCallsOfTheirModelInFlight() throws Exception {
        FakeLlmServer a = serve(FakeLlmConfig.builder().models("qwen3-32b").maxConcurrency(16).decodeMillisPerToken(200));
        FakeLlmServer b = serve(FakeLlmConfig.builder().models("qwen3-32b").maxConcurrency(16).decodeMillisPerToken(200));
        ModelRegistry registry = registry("""
                endpoints:
                  - {id: a, url: %s, maxConcurrency: 2, holds: always, models: [qwen3-32b]}
                  - {id: b, url: %s, maxConcurrency: 2, holds: always, models: [qwen3-32b]}
                """.formatted(a.baseUrl(), b.baseUrl()));
        engine(registry, "daps-warm");
        WorkflowBuilder fanOut = WorkflowBuilder.workflow("fan-out").id("w");
        for (int i = 0; i < 12; i++) {
            fanOut.task("call" + i, t -> t.kind("llm").input("model", "qwen3-32b").input("prompt", "Say something long.")
                    .input("maxTokens", 40));
        }

        WorkflowSnapshot result = run(registry, fanOut.build());

        var onA = a.stats().model("qwen3-32b");
        var onB = b.stats().model("qwen3-32b");
        assertThat(onA.served() + onB.served()).isEqualTo(12);
        assertThat(onA.served()).as("both endpoints take calls").isPositive();
        assertThat(onB.served()).as("both endpoints take calls").isPositive();
        assertThat(onA.maxInFlight()).as("endpoint a's limit").isLessThanOrEqualTo(2);
        assertThat(onB.maxInFlight()).as("endpoint b's limit").isLessThanOrEqualTo(2);
        assertThat(onA.maxInFlight() + onB.maxInFlight()).as("the limits are used").isGreaterThan(2);
        assertThat(result.task("call0").node()).startsWith("endpoint:");
    }

    @Test
    void onDemandEndpointsGetTheCallsOfTheModelTheyHoldWhenOneIsFree() throws Exception {
        FakeLlmServer one = serve(FakeLlmConfig.builder().models("qwen3-32b", "llama3-8b").onDemand(true).maxResident(1)
                .loadSeconds(30));
        FakeLlmServer two = serve(FakeLlmConfig.builder().models("qwen3-32b", "llama3-8b").onDemand(true).maxResident(1)
                .loadSeconds(30));
        String models = "{qwen3-32b: {memoryGb: 20, loadSeconds: 30}, llama3-8b: {memoryGb: 20, loadSeconds: 30}}";
        ModelRegistry registry = registry("""
                endpoints:
                  - {id: one, url: %s, maxConcurrency: 2, holds: on-demand, memoryGb: 20, models: %s}
                  - {id: two, url: %s, maxConcurrency: 2, holds: on-demand, memoryGb: 20, models: %s}
                """.formatted(one.baseUrl(), models, two.baseUrl(), models));
        engine(registry, "mars");
        WorkflowBuilder chain = WorkflowBuilder.workflow("alternating").id("w");
        String previous = null;
        for (int i = 0; i < 6; i++) {
            String model = i % 2 == 0 ? "qwen3-32b" : "llama3-8b";
            String after = previous;
            chain.task("call" + i, t -> {
                t.kind("llm").input("model", model).input("prompt", "Next step.").input("maxTokens", 4);
                if (after != null) {
                    t.dependsOn(after);
                }
            });
            previous = "call" + i;
        }

        WorkflowSnapshot result = run(registry, chain.build());

        StringBuilder placed = new StringBuilder();
        result.tasks().forEach(task -> placed.append(task.id()).append('@').append(task.node()).append(' '));
        long loads = 0;
        for (FakeLlmServer server : servers) {
            for (String model : List.of("qwen3-32b", "llama3-8b")) {
                var stats = server.stats().model(model);
                loads += stats == null ? 0 : stats.loads();
            }
        }
        assertThat(loads).as("each model loaded once, on its own endpoint, then reused: " + placed).isEqualTo(2);
        String qwenNode = result.task("call0").node();
        String llamaNode = result.task("call1").node();
        assertThat(qwenNode).isNotEqualTo(llamaNode);
        for (int i = 2; i < 6; i++) {
            assertThat(result.task("call" + i).node()).isEqualTo(i % 2 == 0 ? qwenNode : llamaNode);
        }
    }

    /** Three calls of one model in a row on one on-demand endpoint, under {@code profile}; the server's loads. */
    private long loadsOfThreeCallsInARow(String profile) throws Exception {
        FakeLlmServer server = serve(FakeLlmConfig.builder().models("qwen3-32b").onDemand(true).maxResident(1)
                .loadSeconds(10));
        ModelRegistry registry = registry("""
                endpoints:
                  - {id: one, url: %s, maxConcurrency: 1, holds: on-demand, memoryGb: 20,
                     models: {qwen3-32b: {memoryGb: 20, loadSeconds: 10}}}
                """.formatted(server.baseUrl()));
        engine(registry, profile);
        WorkflowSpec chain = WorkflowBuilder.workflow("again").id("w")
                .task("a", t -> t.kind("llm").input("model", "qwen3-32b").input("prompt", "one").input("maxTokens", 2))
                .task("b", t -> t.kind("llm").input("model", "qwen3-32b").input("prompt", "two").input("maxTokens", 2)
                        .dependsOn("a"))
                .task("c", t -> t.kind("llm").input("model", "qwen3-32b").input("prompt", "three").input("maxTokens", 2)
                        .dependsOn("b"))
                .build();
        run(registry, chain);
        return server.stats().model("qwen3-32b").loads();
    }

    @Test
    void aProfileThatDropsModelsAfterEachCallTellsAnOnDemandServerToUnloadThem() throws Exception {
        // daps unloads after every call (Maze's Hugging Face backend): the engine's belief and the server agree only if
        // the server is told (keep_alive: 0), so each of the three calls loads the model again.
        assertThat(loadsOfThreeCallsInARow("daps")).isEqualTo(3);
    }

    @Test
    void aProfileThatKeepsModelsLetsTheServerKeepThem() throws Exception {
        assertThat(loadsOfThreeCallsInARow("daps-warm")).isEqualTo(1);
    }

    @Test
    void theEndpointsKeyComesOnlyFromTheEnvironmentAndIsSentAsABearerHeader() throws Exception {
        List<String> authorizations = new CopyOnWriteArrayList<>();
        recorder = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        recorder.createContext("/v1/chat/completions", exchange -> {
            authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.getRequestBody().readAllBytes();
            byte[] body = """
                    {"id":"c1","object":"chat.completion","model":"qwen3-32b","choices":[{"index":0,
                     "message":{"role":"assistant","content":"hello"},"finish_reason":"stop"}],
                     "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}
                    """.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        recorder.start();
        String url = "http://127.0.0.1:" + recorder.getAddress().getPort() + "/v1";
        ModelRegistry registry = registry("""
                endpoints:
                  - {id: keyed, url: %s, apiKeyEnv: FAKE_KEY, maxConcurrency: 1, holds: always, models: [qwen3-32b]}
                  - {id: unset, url: %s, apiKeyEnv: NOT_SET_ANYWHERE, maxConcurrency: 1, holds: always, models: [other]}
                """.formatted(url, url));
        engine(registry, "daps-warm");

        WorkflowSnapshot result = run(registry, WorkflowBuilder.workflow("keyed").id("w")
                .task("ask", t -> t.kind("llm").input("model", "qwen3-32b").input("prompt", "hi").input("stream", false))
                .build());
        WorkflowSnapshot failed = engine.submit(registry.route(WorkflowBuilder.workflow("unset").id("u")
                .task("ask", t -> t.kind("llm").input("model", "other").input("prompt", "hi").input("stream", false))
                .build())).result().get(60, SECONDS);

        assertThat(authorizations).containsExactly("Bearer " + KEY);
        assertThat(result.task("ask").output().path("text").asText()).isEqualTo("hello");
        assertThat(result.toString()).doesNotContain(KEY);
        assertThat(failed.toString()).doesNotContain(KEY);
        assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(failed.task("ask").error()).contains("NOT_SET_ANYWHERE is not set");
        assertThat(registry.endpoints().toString()).doesNotContain(KEY);
    }
}
