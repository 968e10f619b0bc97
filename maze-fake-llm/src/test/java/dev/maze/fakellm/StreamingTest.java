package dev.maze.fakellm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StreamingTest {

    static FakeLlmServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = FakeLlmServer.start(FakeLlmConfig.builder().models("qwen3-32b").timeScale(0).build());
        http = new Http(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static List<JsonNode> chunks(List<String> events) {
        assertThat(events).last().isEqualTo("[DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        for (String event : events.subList(0, events.size() - 1)) {
            try {
                chunks.add(Http.JSON.readTree(event));
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + event, e);
            }
        }
        return chunks;
    }

    @Test
    void streamsTheSameTextTokenByTokenThenTheFinishReasonThenDone() {
        ObjectNode body = ChatCompletionTest.chat("qwen3-32b", "Stream me a story").put("max_tokens", 40);
        JsonNode whole = http.post("/v1/chat/completions", body).json();
        List<JsonNode> chunks = chunks(http.events("/v1/chat/completions", body.deepCopy().put("stream", true)));

        assertThat(chunks).allSatisfy(chunk -> {
            assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(chunk.get("model").asText()).isEqualTo("qwen3-32b");
            assertThat(chunk.get("id").asText()).isEqualTo(chunks.get(0).get("id").asText()).startsWith("chatcmpl-");
            assertThat(chunk.has("usage")).as("no usage field unless asked for").isFalse();
        });
        assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        List<JsonNode> pieces = chunks.subList(1, chunks.size() - 1);
        StringBuilder text = new StringBuilder();
        pieces.forEach(chunk -> {
            assertThat(chunk.at("/choices/0/finish_reason").isNull()).isTrue();
            text.append(chunk.at("/choices/0/delta/content").asText());
        });
        assertThat(text.toString()).isEqualTo(whole.at("/choices/0/message/content").asText());
        assertThat(pieces).as("one token per chunk").hasSize(40);
        assertThat(chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(chunks.get(chunks.size() - 1).at("/choices/0/delta").isEmpty()).isTrue();
    }

    @Test
    void includeUsageAddsAUsageChunkAndANullUsageToEveryOther() {
        ObjectNode body = ChatCompletionTest.chat("qwen3-32b", "Stream with usage").put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        List<JsonNode> chunks = chunks(http.events("/v1/chat/completions", body));
        JsonNode last = chunks.get(chunks.size() - 1);
        assertThat(last.get("choices")).isEmpty();
        JsonNode usage = last.get("usage");
        String text = chunks.stream().map(chunk -> chunk.at("/choices/0/delta/content").asText()).reduce("", String::concat);
        assertThat(usage.get("completion_tokens").asInt()).isEqualTo(ChatCompletionTest.O200K.countTokensOrdinary(text));
        assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(ChatCompletionTest.promptTokens("user", "Stream with usage"));
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(chunk -> assertThat(chunk.get("usage").isNull()).isTrue());
        assertThat(chunks.get(chunks.size() - 2).at("/choices/0/finish_reason").asText()).isEqualTo("stop");

        ObjectNode notStreaming = ChatCompletionTest.chat("qwen3-32b", "x");
        notStreaming.putObject("stream_options").put("include_usage", true);
        assertThat(http.post("/v1/chat/completions", notStreaming).status()).isEqualTo(400);
    }

    @Test
    void theFirstTokenComesAfterThePrefillAndEachNextOneADecodeStepLater() throws IOException {
        // 0.5 ms per token of prefill and of decode, in wall time: lower bounds a scheduler cannot break.
        FakeLlmConfig config = FakeLlmConfig.builder().models("qwen3-32b").prefillMillisPerToken(1)
                .decodeMillisPerToken(1).timeScale(0.5).build();
        try (FakeLlmServer timed = FakeLlmServer.start(config)) {
            ObjectNode body = ChatCompletionTest.chat("qwen3-32b", "word ".repeat(300)).put("max_tokens", 120)
                    .put("stream", true);
            int prompt = ChatCompletionTest.promptTokens("user", "word ".repeat(300));
            long sent = System.nanoTime();
            HttpResponse<InputStream> response = new Http(timed).sendStreaming("/v1/chat/completions", body);
            List<Long> arrivals = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith("data: {") && line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                        arrivals.add(System.nanoTime());
                    }
                }
            }
            assertThat(arrivals).hasSize(120);
            assertThat((arrivals.get(0) - sent) / 1e6).as("time to first token, ms").isGreaterThanOrEqualTo(prompt * 0.5);
            assertThat((arrivals.get(119) - sent) / 1e6).as("prefill, then 119 more decode steps, ms")
                    .isGreaterThanOrEqualTo(prompt * 0.5 + 119 * 0.5);
            assertThat((arrivals.get(119) - arrivals.get(0)) / 1e6).as("the tokens arrive as they are decoded, ms")
                    .isGreaterThan(119 * 0.5 / 4);
            assertThat(response.headers().firstValue("x-fake-llm-prefill-ms").map(Double::parseDouble))
                    .hasValueSatisfying(ms -> assertThat(ms).isEqualTo(prompt * 0.5, org.assertj.core.api.Assertions.within(0.01)));
        }
    }
}
