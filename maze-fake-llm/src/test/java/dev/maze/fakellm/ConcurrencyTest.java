package dev.maze.fakellm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    static ObjectNode tokens(int maxTokens) {
        return ChatCompletionTest.chat("qwen3-32b", "Go").put("max_tokens", maxTokens);
    }

    /** Sends {@code bodies} at once (released together), each on its own virtual thread. */
    static List<Http.Response> atOnce(Http http, List<ObjectNode> bodies) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Http.Response>> futures = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (ObjectNode body : bodies) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return http.post("/v1/chat/completions", body);
                }));
            }
            start.countDown();
            List<Http.Response> responses = new ArrayList<>();
            for (Future<Http.Response> future : futures) {
                responses.add(future.get());
            }
            return responses;
        }
    }

    @Test
    void noMoreThanMaxConcurrencyRequestsOfAModelRunAtOnceAndTheRestWait() throws Exception {
        // 1 ms per token: each request decodes for about 200 ms.
        FakeLlmConfig config = FakeLlmConfig.builder().models("qwen3-32b").maxConcurrency(2).decodeMillisPerToken(20)
                .timeScale(0.05).build();
        try (FakeLlmServer server = FakeLlmServer.start(config)) {
            List<Http.Response> responses = atOnce(new Http(server), List.of(tokens(200), tokens(200), tokens(200),
                    tokens(200), tokens(200), tokens(200)));
            assertThat(responses).allSatisfy(response -> assertThat(response.status()).isEqualTo(200));
            FakeLlmStats.ModelStats stats = server.stats().model("qwen3-32b");
            assertThat(stats.maxInFlight()).isEqualTo(2);
            assertThat(stats.served()).isEqualTo(6);
            assertThat(stats.inFlight()).isZero();
            assertThat(stats.queued()).isZero();
            assertThat(responses.stream().filter(response -> response.headerMillis("x-fake-llm-queue-ms") > 50))
                    .as("requests that waited for a slot").hasSizeGreaterThanOrEqualTo(4);
        }
    }

    @Test
    void waitingRequestsRunFirstComeFirstServed() throws Exception {
        FakeLlmConfig config = FakeLlmConfig.builder().models("qwen3-32b").maxConcurrency(1).decodeMillisPerToken(20)
                .timeScale(0.05).build();
        try (FakeLlmServer server = FakeLlmServer.start(config);
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Http http = new Http(server);
            List<Integer> finished = new CopyOnWriteArrayList<>();
            List<Future<?>> requests = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                int number = i;
                requests.add(threads.submit(() -> {
                    // 50 ms apart once served: more than a busy machine delays a client's bookkeeping
                    http.post("/v1/chat/completions", tokens(number == 0 ? 200 : 50));
                    finished.add(number);
                }));
                int queued = i;
                Await.until("request " + i + " running or queued", () -> {
                    FakeLlmStats.ModelStats stats = server.stats().model("qwen3-32b");
                    return stats.inFlight() == 1 && stats.queued() == queued;
                });
            }
            for (Future<?> request : requests) {
                request.get();
            }
            assertThat(finished).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void decodingSlowsDownWithTheRequestsInTheBatchLikeAContinuousBatchingServer() throws Exception {
        // 1 ms per decode step alone; k = 0.5: 2.5 ms per step with four in the batch.
        FakeLlmConfig config = FakeLlmConfig.builder().models("qwen3-32b").decodeMillisPerToken(20).batchSlowdown(0.5)
                .prefillMillisPerToken(0).timeScale(0.05).build();
        try (FakeLlmServer server = FakeLlmServer.start(config)) {
            Http http = new Http(server);
            double alone = http.post("/v1/chat/completions", tokens(201)).headerMillis("x-fake-llm-decode-ms");
            assertThat(alone).as("200 steps of 1 ms").isEqualTo(200.0);
            List<Http.Response> together = atOnce(http, List.of(tokens(201), tokens(201), tokens(201), tokens(201)));
            assertThat(together).allSatisfy(response -> assertThat(response.headerMillis("x-fake-llm-decode-ms"))
                    .as("decode time of one of four at once").isGreaterThan(1.5 * alone).isLessThanOrEqualTo(2.5 * alone));
            assertThat(server.stats().model("qwen3-32b").maxInFlight()).isEqualTo(4);
        }
    }
}
