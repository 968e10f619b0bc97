package dev.maze.fakellm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DisconnectTest {

    /** One request at a time; 1 ms per token, so 2,000 tokens take two seconds. */
    static FakeLlmServer oneAtATime() {
        return FakeLlmServer.start(FakeLlmConfig.builder().models("qwen3-32b").maxConcurrency(1)
                .decodeMillisPerToken(20).timeScale(0.05).build());
    }

    @Test
    void aStreamingClientThatLeavesStopsTheDecodeAndFreesItsSlot() throws Exception {
        try (FakeLlmServer server = oneAtATime()) {
            Http http = new Http(server);
            ObjectNode body = ChatCompletionTest.chat("qwen3-32b", "A long story").put("max_tokens", 2000)
                    .put("stream", true);
            HttpResponse<InputStream> response = http.sendStreaming("/v1/chat/completions", body);
            BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            for (int events = 0; events < 5; ) {
                if (reader.readLine().startsWith("data: ")) {
                    events++;
                }
            }
            reader.close(); // the client goes away mid-stream
            Await.until("the server saw the client leave", () -> server.stats().disconnects() == 1);
            Await.until("the slot is free", () -> server.stats().model("qwen3-32b").inFlight() == 0);
            Http.Response next = http.post("/v1/chat/completions", ChatCompletionTest.chat("qwen3-32b", "x")
                    .put("max_tokens", 1));
            assertThat(next.headerMillis("x-fake-llm-queue-ms")).as("no wait behind the abandoned stream").isLessThan(500);
            assertThat(server.stats().model("qwen3-32b").served()).isEqualTo(1);
        }
    }

    @Test
    void aCancelledRequestLeavesTheQueueAndOneCancelledMidDecodeLeavesTheBatch() throws Exception {
        try (FakeLlmServer server = oneAtATime(); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Http http = new Http(server);
            Future<Http.Response> running = threads.submit(() -> http.post("/v1/chat/completions",
                    ChatCompletionTest.chat("qwen3-32b", "first").put("max_tokens", 300)));
            Await.until("the first runs", () -> server.stats().model("qwen3-32b").inFlight() == 1);
            CompletableFuture<HttpResponse<String>> queued = Http.client().sendAsync(http.request(
                    "/v1/chat/completions", ChatCompletionTest.chat("qwen3-32b", "second").toString()),
                    HttpResponse.BodyHandlers.ofString());
            Await.until("the second waits", () -> server.stats().model("qwen3-32b").queued() == 1);
            queued.cancel(true);
            Await.until("the server saw the waiting client leave", () -> server.stats().disconnects() == 1);
            assertThat(server.stats().model("qwen3-32b").queued()).isZero();
            assertThat(running.get().status()).isEqualTo(200);

            CompletableFuture<HttpResponse<String>> decoding = Http.client().sendAsync(http.request(
                    "/v1/chat/completions", ChatCompletionTest.chat("qwen3-32b", "third").put("max_tokens", 2000)
                            .toString()), HttpResponse.BodyHandlers.ofString());
            Await.until("the third runs", () -> server.stats().model("qwen3-32b").inFlight() == 1);
            decoding.cancel(true);
            Await.until("the server saw the decoding client leave", () -> server.stats().disconnects() == 2);
            Await.until("its slot is free", () -> server.stats().model("qwen3-32b").inFlight() == 0);
            FakeLlmStats.ModelStats stats = server.stats().model("qwen3-32b");
            assertThat(stats.served()).isEqualTo(1);
            assertThat(stats.disconnects()).isEqualTo(2);
        }
    }
}
