package dev.maze.fakellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultsTest {

    static FakeLlmServer serverWith(String faults) {
        return FakeLlmServer.start(FakeLlmConfig.builder().models("qwen3-32b").faults(FaultPlan.parse(faults))
                .retryAfterSeconds(7).timeScale(0).build());
    }

    @Test
    void a500FaultAnswersWithAnOpenAiErrorAndIsCounted() {
        try (FakeLlmServer server = serverWith("500:1")) {
            Http.Response response = new Http(server).post("/v1/chat/completions", ChatCompletionTest.chat("qwen3-32b", "x"));
            assertThat(response.status()).isEqualTo(500);
            assertThat(response.json().at("/error/type").asText()).isEqualTo("server_error");
            FakeLlmStats stats = server.stats();
            assertThat(stats.faults(FaultKind.SERVER_ERROR)).isEqualTo(1);
            assertThat(stats.model("qwen3-32b").requests()).isEqualTo(1);
            assertThat(stats.model("qwen3-32b").served()).isZero();
        }
    }

    @Test
    void a429FaultSaysWhenToRetry() {
        try (FakeLlmServer server = serverWith("429:1")) {
            Http.Response response = new Http(server).post("/v1/chat/completions", ChatCompletionTest.chat("qwen3-32b", "x"));
            assertThat(response.status()).isEqualTo(429);
            assertThat(response.headers().firstValue("retry-after")).hasValue("7");
            assertThat(response.json().at("/error/code").asText()).isEqualTo("rate_limit_exceeded");
            assertThat(server.stats().faults(FaultKind.RATE_LIMITED)).isEqualTo(1);
        }
    }

    @Test
    void aHangNeverAnswersUntilTheClientGivesUpWhichTheServerNotices() {
        try (FakeLlmServer server = serverWith("hang:1")) {
            Http http = new Http(server);
            var request = java.net.http.HttpRequest.newBuilder(server.baseUrl().resolve("/v1/chat/completions"))
                    .header("Content-Type", "application/json").timeout(Duration.ofMillis(300))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            ChatCompletionTest.chat("qwen3-32b", "x").toString())).build();
            assertThatThrownBy(() -> Http.client().send(request, java.net.http.HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);
            Await.until("the server saw the client leave", () -> server.stats().disconnects() == 1);
            FakeLlmStats stats = server.stats();
            assertThat(stats.faults(FaultKind.HANG)).isEqualTo(1);
            assertThat(stats.model("qwen3-32b").disconnects()).isEqualTo(1);
            assertThat(stats.model("qwen3-32b").maxInFlight()).as("a hung request holds no slot").isZero();
            assertThat(http.get("/v1/models").status()).isEqualTo(200);
        }
    }

    @Test
    void closingTheServerEndsAHungRequest() throws Exception {
        FakeLlmServer server = serverWith("hang:1");
        var answer = Http.client().sendAsync(new Http(server).request("/v1/chat/completions",
                ChatCompletionTest.chat("qwen3-32b", "x").toString()), java.net.http.HttpResponse.BodyHandlers.ofString());
        Await.until("the request hangs", () -> server.stats().faults(FaultKind.HANG) == 1);
        long start = System.nanoTime();
        server.close();
        assertThat((System.nanoTime() - start) / 1e9).as("seconds to close").isLessThan(5);
        assertThat(answer.handle((response, error) -> error != null || response.statusCode() == 503)
                .get(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(server.stats().disconnects()).as("the client did not leave").isZero();
    }

    @Test
    void aMalformedAnswerIsA200ThatIsNotJsonOrAStreamCutShortWithoutDone() throws IOException {
        try (FakeLlmServer server = serverWith("malformed:1")) {
            Http http = new Http(server);
            ObjectNode body = ChatCompletionTest.chat("qwen3-32b", "x").put("max_tokens", 20);
            Http.Response response = http.post("/v1/chat/completions", body);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).startsWith("{");
            assertThatThrownBy(() -> Http.JSON.readTree(response.body())).isInstanceOf(IOException.class);

            List<String> events = http.events("/v1/chat/completions", body.put("stream", true));
            assertThat(events).doesNotContain("[DONE]").hasSize(1 + 10 + 1);
            assertThatThrownBy(() -> Http.JSON.readTree(events.get(events.size() - 1))).isInstanceOf(IOException.class);
            for (String event : events.subList(0, events.size() - 1)) {
                assertThat(Http.JSON.readTree(event).get("object").asText()).isEqualTo("chat.completion.chunk");
            }
            assertThat(server.stats().faults(FaultKind.MALFORMED)).isEqualTo(2);
            assertThat(server.stats().model("qwen3-32b").served()).isZero();
        }
    }

    @Test
    void faultsAreDrawnInArrivalOrderFromTheSeed() {
        List<Integer> first = statuses(3, "500:0.3,429:0.3");
        assertThat(first).as("the same seed").isEqualTo(statuses(3, "500:0.3,429:0.3"));
        assertThat(first).as("another seed").isNotEqualTo(statuses(4, "500:0.3,429:0.3"));
        assertThat(first).contains(200, 429, 500);
        assertThat(statuses(3, "")).containsOnly(200);
    }

    private static List<Integer> statuses(long seed, String faults) {
        FakeLlmConfig config = FakeLlmConfig.builder().models("qwen3-32b").faults(FaultPlan.parse(faults)).seed(seed)
                .timeScale(0).build();
        try (FakeLlmServer server = FakeLlmServer.start(config)) {
            Http http = new Http(server);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                statuses.add(http.post("/v1/chat/completions", ChatCompletionTest.chat("qwen3-32b", "x")).status());
            }
            Map<String, Long> counted = server.stats().faults();
            assertThat(counted.get("500")).isEqualTo(statuses.stream().filter(s -> s == 500).count());
            assertThat(counted.get("429")).isEqualTo(statuses.stream().filter(s -> s == 429).count());
            return statuses;
        }
    }

    @Test
    void aFaultSpecIsCheckedNamingTheFlag() {
        assertThat(FaultPlan.parse("500:0.05, 429:0.05,hang:0.01,malformed:0.01").probability(FaultKind.HANG))
                .isEqualTo(0.01);
        assertThat(FaultPlan.parse("").probabilities()).isEmpty();
        assertThatThrownBy(() -> FaultPlan.parse("503:0.1")).hasMessage(
                "--faults: unknown fault kind '503' (kinds: 500, 429, hang, malformed)");
        assertThatThrownBy(() -> FaultPlan.parse("500:1.5")).hasMessageContaining("must be in [0, 1]");
        assertThatThrownBy(() -> FaultPlan.parse("500:0.6,429:0.6")).hasMessageContaining("sum to 1.2");
        assertThatThrownBy(() -> FaultPlan.parse("500:often")).hasMessageContaining("'often' is not a probability");
        assertThatThrownBy(() -> FaultPlan.parse("500")).hasMessageContaining("is not kind:probability");
        assertThatThrownBy(() -> FaultPlan.parse("500:0.1,500:0.2")).hasMessageContaining("named twice");
        assertThatThrownBy(() -> FaultPlan.parse("500:NaN")).hasMessageContaining("must be in [0, 1]");
    }
}
