package dev.maze.core.call;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.clock.WallClock;
import dev.maze.core.engine.Engine;
import dev.maze.core.engine.TaskState;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.predict.RuntimePredictor;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import dev.maze.fakellm.FakeLlmConfig;
import dev.maze.fakellm.FakeLlmServer;
import dev.maze.fakellm.FaultPlan;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kinds llm, vlm and speech over real HTTP against {@code maze fake-llm}, through the engine on the wall clock. */
class ModelCallsTest {

    private static final String KEY = "sk-fake-1234567890";

    @TempDir
    Path temp;

    private FakeLlmServer server;
    private Engine engine;
    private final Map<String, Map<String, Double>> learned = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private FakeLlmServer serve(FakeLlmConfig.Builder config) {
        server = FakeLlmServer.start(config.timeScale(0.01).build());
        return server;
    }

    private Engine engine() {
        String base = server.baseUrl().toString();
        Map<String, String> environment = Map.of("FAKE_KEY", KEY);
        RuntimePredictor recording = new RuntimePredictor() {
            @Override
            public double predictSeconds(TaskSpec task) {
                return 1;
            }

            @Override
            public void observe(TaskSpec task, double actualSeconds) {
                learned.put(task.id(), task.features());
            }
        };
        engine = Engine.builder().clock(new WallClock()).nodes(List.of(NodeSpec.of("local", 8, 16, 0, 0)))
                .predictor(recording)
                .executor(new ChatExecutor("llm", new Endpoints("llm", base, null, environment::get), true, 16, 5))
                .executor(new ChatExecutor("vlm", new Endpoints("vlm", base, null, environment::get), true, 16, 5))
                .executor(new TranscriptionExecutor(new Endpoints("speech", base, null, environment::get), 16, 5))
                .build().start();
        return engine;
    }

    private WorkflowSnapshot run(WorkflowSpec workflow) throws Exception {
        return engine().submit(workflow).result().get(60, SECONDS);
    }

    @Test
    void aChainOfCallsStreamsTemplatesOutputsAndRecordsWhatItMeasured() throws Exception {
        serve(FakeLlmConfig.builder().models("qwen3-32b"));
        WorkflowSnapshot result = run(WorkflowBuilder.workflow("chain").id("w")
                .task("plan", t -> t.kind("llm").input("model", "qwen3-32b").input("prompt", "Plan a trip to Lyon.")
                        .input("maxTokens", 12).input("apiKeyEnv", "FAKE_KEY"))
                .task("answer", t -> t.kind("llm").dependsOn("plan").input("model", "qwen3-32b")
                        .input("system", "Be brief.").input("prompt", "Improve: {{tasks.plan.output.text}}")
                        .input("stream", false).input("maxTokens", 5))
                .build());

        assertThat(result.state()).as(String.valueOf(result.error())).isEqualTo(WorkflowState.FINISHED);
        JsonNode plan = result.task("plan").output();
        assertThat(plan.path("finishReason").asText()).isEqualTo("length");
        assertThat(plan.path("usage").path("completionTokens").asInt()).isEqualTo(12);
        assertThat(plan.path("timeToFirstTokenSeconds").asDouble()).as("streamed").isPositive()
                .isLessThanOrEqualTo(plan.path("totalSeconds").asDouble());
        JsonNode answer = result.task("answer").output();
        assertThat(answer.has("timeToFirstTokenSeconds")).as("not streamed").isFalse();
        assertThat(answer.path("usage").path("completionTokens").asInt()).isEqualTo(5);
        Map<String, Double> measured = learned.get("answer");
        assertThat(measured.get("prompt_length")).as("the prompt after templating")
                .isEqualTo(("Improve: " + plan.path("text").asText()).length());
        assertThat(measured.get("token_count")).isEqualTo(answer.path("usage").path("promptTokens").asDouble());
        assertThat(measured.get("completion_tokens")).isEqualTo(5.0);
        assertThat(server.stats().model("qwen3-32b").served()).isEqualTo(2);
    }

    @Test
    void toolCallsAndJsonAnswersReachSuccessorsAsFields() throws Exception {
        serve(FakeLlmConfig.builder().models("qwen3-32b"));
        Map<String, Object> tool = Map.of("type", "function", "function", Map.of("name", "get_weather",
                "parameters", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")),
                        "required", List.of("city"))));
        Map<String, Object> schema = Map.of("type", "json_schema", "json_schema", Map.of("name", "verdict", "schema",
                Map.of("type", "object", "properties", Map.of("score", Map.of("type", "integer")), "required", List.of("score"))));
        WorkflowSnapshot result = run(WorkflowBuilder.workflow("tools").id("w")
                .task("call", t -> t.kind("llm").input("model", "qwen3-32b").input("prompt", "Weather in Lyon?")
                        .input("tools", List.of(tool)))
                .task("judge", t -> t.kind("llm").input("model", "qwen3-32b").input("prompt", "Score it.")
                        .input("responseFormat", schema))
                .task("use", t -> t.dependsOn("call", "judge").input("seconds", 0).input("output", Map.of(
                        "tool", "{{tasks.call.output.toolCalls.0.name}}", "score", "{{tasks.judge.output.json.score}}")))
                .build());

        assertThat(result.state()).as(String.valueOf(result.error())).isEqualTo(WorkflowState.FINISHED);
        assertThat(result.task("call").output().path("finishReason").asText()).isEqualTo("tool_calls");
        assertThat(result.task("call").output().path("toolCalls").path(0).path("arguments").path("city").isTextual()).isTrue();
        assertThat(result.task("use").output().path("tool").asText()).isEqualTo("get_weather");
        assertThat(result.task("use").output().path("score").asText()).matches("-?\\d+");
    }

    @Test
    void aVisionCallSendsItsImageAndASpeechCallUploadsItsAudio() throws Exception {
        serve(FakeLlmConfig.builder().models("qwen2.5-vl-32b", "whisper-1"));
        Path image = Files.write(temp.resolve("cat.png"), pngHeader(640, 480));
        Path audio = Files.write(temp.resolve("q.wav"), wav(2.0));
        WorkflowSnapshot result = run(WorkflowBuilder.workflow("media").id("w")
                .task("see", t -> t.kind("vlm").input("model", "qwen2.5-vl-32b").input("prompt", "Describe it.")
                        .input("image", image.toString()))
                .task("hear", t -> t.kind("speech").input("model", "whisper-1").input("audio", audio.toString()))
                .build());

        assertThat(result.state()).as(String.valueOf(result.error())).isEqualTo(WorkflowState.FINISHED);
        assertThat(result.task("see").output().path("usage").path("promptTokens").asInt()).as("image tokens counted")
                .isGreaterThan(50);
        assertThat(learned.get("see").get("batch_size")).isEqualTo(1.0);
        assertThat(result.task("hear").output().path("text").asText()).isNotBlank();
        assertThat(result.task("hear").output().path("durationSeconds").asDouble()).isEqualTo(2.0);
        assertThat(learned.get("hear").get("audio_duration")).isEqualTo(2.0);
    }

    @Test
    void aTooManyRequestsIsRetriedAfterItsRetryAfterAndServerErrorsRunOutIntoACascade() throws Exception {
        serve(FakeLlmConfig.builder().models("m").faults(FaultPlan.parse("429:1.0")).retryAfterSeconds(1));
        WorkflowSnapshot limited = run(WorkflowBuilder.workflow("r").id("w")
                .task("call", t -> t.kind("llm").input("model", "m").input("prompt", "hi")
                        .retries(new RetryPolicy(1, 0.01, 1, 1)))
                .task("after", t -> t.dependsOn("call").input("seconds", 0))
                .build());

        assertThat(limited.task("call").attempts()).isEqualTo(2);
        assertThat(limited.task("call").error()).startsWith("HTTP 429 from POST");
        assertThat(limited.latencySeconds()).as("each retry waited Retry-After: 1").isGreaterThanOrEqualTo(1.0);
        assertThat(limited.task("after").state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void malformedRepliesAndCutStreamsFailWithAClearMessageAndAreRetried() throws Exception {
        serve(FakeLlmConfig.builder().models("m").faults(FaultPlan.parse("malformed:1.0")));
        WorkflowSnapshot streamed = run(WorkflowBuilder.workflow("s").id("s")
                .task("call", t -> t.kind("llm").input("model", "m").input("prompt", "hi").retries(new RetryPolicy(1, 0.01, 1, 1)))
                .build());
        WorkflowSnapshot plain = engine.submit(WorkflowBuilder.workflow("p").id("p")
                .task("call", t -> t.kind("llm").input("model", "m").input("prompt", "hi").input("stream", false))
                .build()).result().get(60, SECONDS);

        assertThat(streamed.task("call").attempts()).isEqualTo(2);
        assertThat(streamed.task("call").error()).startsWith("malformed reply from POST")
                .containsAnyOf("ended before data: [DONE]", "not JSON");
        assertThat(plain.task("call").error()).startsWith("malformed reply from POST").contains("not JSON");
    }

    @Test
    void aHungCallIsAbortedByItsTimeoutAndTheServerSeesTheClientGo() throws Exception {
        serve(FakeLlmConfig.builder().models("m").faults(FaultPlan.parse("hang:1.0")));
        WorkflowSnapshot result = run(WorkflowBuilder.workflow("h").id("w")
                .task("call", t -> t.kind("llm").input("model", "m").input("prompt", "hi").timeoutSeconds(0.5))
                .build());

        assertThat(result.task("call").error()).contains("timed out");
        long deadline = System.nanoTime() + SECONDS.toNanos(10);
        while (server.stats().disconnects() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.stats().disconnects()).isEqualTo(1);
    }

    @Test
    void anEndpointThatIsNotThereIsAConnectionFailureAndAMissingKeyFailsAtOnce() throws Exception {
        serve(FakeLlmConfig.builder().models("m"));
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        int port = closed;
        WorkflowSnapshot refused = run(WorkflowBuilder.workflow("c").id("c")
                .task("call", t -> t.kind("llm").input("model", "m").input("prompt", "hi")
                        .input("baseUrl", "http://127.0.0.1:" + port + "/v1").retries(new RetryPolicy(1, 0.01, 1, 1)))
                .build());
        WorkflowSnapshot keyless = engine.submit(WorkflowBuilder.workflow("k").id("k")
                .task("call", t -> t.kind("llm").input("model", "m").input("prompt", "hi").input("apiKeyEnv", "NO_SUCH_KEY")
                        .retries(new RetryPolicy(3, 0.01, 1, 1)))
                .build()).result().get(60, SECONDS);
        WorkflowSnapshot unknown = engine.submit(WorkflowBuilder.workflow("u").id("u")
                .task("call", t -> t.kind("llm").input("model", "nope").input("prompt", "hi").retries(new RetryPolicy(3, 0.01, 1, 1)))
                .build()).result().get(60, SECONDS);

        assertThat(refused.task("call").attempts()).isEqualTo(2);
        assertThat(refused.task("call").error()).startsWith("cannot connect to POST http://127.0.0.1:" + port + "/v1/chat/completions");
        assertThat(keyless.task("call").attempts()).isEqualTo(1);
        assertThat(keyless.task("call").error()).contains("NO_SUCH_KEY is not set");
        assertThat(unknown.task("call").attempts()).as("a 404 would repeat").isEqualTo(1);
        assertThat(unknown.task("call").error()).startsWith("HTTP 404 from POST");
    }

    @Test
    void anEndpointThatGoesAwayMidCallFailsTheAttemptAsAConnectionFailureAndTheRetryFindsNobody() throws Exception {
        serve(FakeLlmConfig.builder().models("m").faults(FaultPlan.parse("hang:1.0")));
        var handle = engine().submit(WorkflowBuilder.workflow("g").id("w")
                .task("call", t -> t.kind("llm").input("model", "m").input("prompt", "hi").retries(new RetryPolicy(1, 0.2, 1, 1)))
                .build());
        long deadline = System.nanoTime() + SECONDS.toNanos(10);
        while (server.stats().faults(dev.maze.fakellm.FaultKind.HANG) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        server.close(); // the server goes away while the call hangs on it

        WorkflowSnapshot result = handle.result().get(60, SECONDS);
        assertThat(result.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(result.task("call").attempts()).isEqualTo(2);
        assertThat(result.task("call").error()).containsAnyOf("cannot connect", "connection failed", "malformed reply");
    }

    @Test
    void badInputsAreNamedBeforeAnythingRuns() {
        ChatExecutor llm = new ChatExecutor("llm", new Endpoints("llm", null, null, name -> null), true, 16, 5);
        ChatExecutor vlm = new ChatExecutor("vlm", new Endpoints("vlm", null, null, name -> null), true, 16, 5);
        assertThat(llm.check(HttpExecutorTest.json("{}"))).extracting(p -> p.field())
                .containsExactly("inputs.model", "inputs.prompt");
        assertThat(llm.check(HttpExecutorTest.json("{\"model\": \"m\", \"prompt\": \"p\", \"messages\": [], \"temperature\": 3, "
                + "\"maxTokens\": 0, \"stop\": [1], \"responseFormat\": \"yaml\", \"apiKeyEnv\": \"sk-live key\", \"image\": \"x.png\"}")))
                .extracting(p -> p.field()).containsExactly("inputs.messages", "inputs.messages", "inputs.maxTokens", "inputs.temperature",
                        "inputs.stop", "inputs.responseFormat", "inputs.apiKeyEnv", "inputs.image");
        assertThat(llm.check(HttpExecutorTest.json("{\"model\": \"m\", \"messages\": [{\"role\": \"robot\"}]}")))
                .extracting(p -> p.field()).containsExactly("inputs.messages[0].role", "inputs.messages[0].content");
        assertThat(vlm.check(HttpExecutorTest.json("{\"model\": \"m\", \"prompt\": \"p\", \"images\": [\"/no/such.png\", "
                + "\"https://example.com/a.png\", \"{{tasks.a.output.path}}\"]}")))
                .extracting(p -> p.field() + ": " + p.message()).containsExactly("inputs.images[0]: no such image file: /no/such.png");
        llm.close();
        vlm.close();
    }

    @Test
    void aCallThatNothingTellsWhereToGoIsInvalidInputAndNothingRuns() throws Exception {
        engine = Engine.builder().clock(new WallClock()).nodes(List.of(NodeSpec.of("local", 8, 16, 1, 80)))
                .executor(new ChatExecutor("llm", new Endpoints("llm", null, null, name -> null), true, 16, 5))
                .build().start();
        WorkflowSpec nowhere = WorkflowBuilder.workflow("n").id("n")
                .task("first", t -> t.input("seconds", 0))
                .task("call", t -> t.kind("llm").input("model", "m").input("prompt", "hi").dependsOn("first")).build();

        assertThatThrownBy(() -> engine.submit(nowhere)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("call").hasMessageContaining("inputs.baseUrl")
                .hasMessageContaining("no endpoint for model 'm'").hasMessageContaining("--models FILE")
                .hasMessageContaining("executors.llm.baseUrl").hasMessageContaining("MAZE_LLM_BASE_URL");
        // Any of the ways makes it valid: its own baseUrl, a model endpoint's routing (resources.model), the variable.
        var check = new ChatExecutor("llm", new Endpoints("llm", null, null, name -> null), true, 16, 5);
        assertThat(check.check(WorkflowBuilder.workflow("n").task("call", t -> t.kind("llm").input("model", "m")
                .input("prompt", "hi").input("baseUrl", "http://127.0.0.1:1/v1")).build().tasks().get(0))).isEmpty();
        assertThat(check.check(WorkflowBuilder.workflow("n").task("call", t -> t.kind("llm").input("model", "m")
                .input("prompt", "hi").resources(new Resources(0, 0, 1, 0, "m"))).build().tasks().get(0))).isEmpty();
        var fromEnvironment = new ChatExecutor("llm", new Endpoints("llm", null, null,
                name -> name.equals("MAZE_LLM_BASE_URL") ? "http://127.0.0.1:1/v1" : null), true, 16, 5);
        assertThat(fromEnvironment.check(nowhere.tasks().get(1))).isEmpty();
        check.close();
        fromEnvironment.close();
    }

    /** The first bytes of a PNG: signature and IHDR with the size, which is what the server reads. */
    private static byte[] pngHeader(int width, int height) throws IOException {
        ByteBuffer png = ByteBuffer.allocate(33).order(ByteOrder.BIG_ENDIAN);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a});
        png.putInt(13).put(new byte[] {'I', 'H', 'D', 'R'}).putInt(width).putInt(height);
        png.put(new byte[] {8, 2, 0, 0, 0}).putInt(0);
        return png.array();
    }

    /** A silent 16 kHz mono 16-bit WAV of {@code seconds}. */
    private static byte[] wav(double seconds) {
        int rate = 16_000;
        int dataBytes = (int) (seconds * rate * 2);
        ByteBuffer wav = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes());
        wav.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(rate * 2)
                .putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes()).putInt(dataBytes);
        return wav.array();
    }
}
