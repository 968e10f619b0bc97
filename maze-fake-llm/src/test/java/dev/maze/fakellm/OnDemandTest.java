package dev.maze.fakellm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class OnDemandTest {

    static Http.Response ask(Http http, String model, int maxTokens) {
        Http.Response response = http.post("/v1/chat/completions", ChatCompletionTest.chat(model, "Hi")
                .put("max_tokens", maxTokens));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response;
    }

    @Test
    void aModelLoadsOnFirstUseAndTheLeastRecentlyUsedIsEvictedForAnother() {
        // A load takes 1 s x 0.05 = 50 ms.
        FakeLlmConfig config = FakeLlmConfig.builder().models("a", "b", "c").onDemand(true).maxResident(2)
                .loadSeconds(1).timeScale(0.05).build();
        try (FakeLlmServer server = FakeLlmServer.start(config)) {
            Http http = new Http(server);
            assertThat(server.stats().models().values()).noneMatch(FakeLlmStats.ModelStats::resident);
            assertThat(ask(http, "a", 1).headerMillis("x-fake-llm-load-ms")).as("a loads").isGreaterThanOrEqualTo(50);
            ask(http, "b", 1);
            assertThat(ask(http, "a", 1).headerMillis("x-fake-llm-load-ms")).as("a is loaded").isLessThan(50);
            ask(http, "c", 1); // evicts b, used less recently than a
            ask(http, "b", 1); // evicts a, used less recently than c
            FakeLlmStats stats = server.stats();
            assertThat(stats.model("a")).extracting("loads", "evictions", "resident").containsExactly(1L, 1L, false);
            assertThat(stats.model("b")).extracting("loads", "evictions", "resident").containsExactly(2L, 1L, true);
            assertThat(stats.model("c")).extracting("loads", "evictions", "resident").containsExactly(1L, 0L, true);
        }
    }

    @Test
    void keepAliveZeroUnloadsTheModelWhenTheRequestEndsOtherValuesKeepIt() {
        FakeLlmConfig config = FakeLlmConfig.builder().models("a").onDemand(true).maxResident(1).loadSeconds(1)
                .timeScale(0.05).build();
        try (FakeLlmServer server = FakeLlmServer.start(config)) {
            Http http = new Http(server);
            for (Object keepAlive : List.of(0, "0s", "0")) {
                Http.Response response = http.post("/v1/chat/completions", ChatCompletionTest.chat("a", "Hi")
                        .put("max_tokens", 1).putPOJO("keep_alive", keepAlive));
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                assertThat(server.stats().model("a").resident()).as("keep_alive " + keepAlive).isFalse();
            }
            assertThat(server.stats().model("a")).extracting("loads", "evictions").containsExactly(3L, 3L);
            for (Object keepAlive : List.of("5m", -1, 30)) {
                Http.Response response = http.post("/v1/chat/completions", ChatCompletionTest.chat("a", "Hi")
                        .put("max_tokens", 1).putPOJO("keep_alive", keepAlive));
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                assertThat(server.stats().model("a").resident()).as("keep_alive " + keepAlive).isTrue();
            }
            assertThat(server.stats().model("a").loads()).isEqualTo(4);
            Http.Response bad = http.post("/v1/chat/completions", ChatCompletionTest.chat("a", "Hi")
                    .put("keep_alive", "soon"));
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("keep_alive");
        }
    }

    @Test
    void requestsForALoadingModelWaitForOneLoad() throws Exception {
        FakeLlmConfig config = FakeLlmConfig.builder().models("a").onDemand(true).loadSeconds(1).timeScale(0.05).build();
        try (FakeLlmServer server = FakeLlmServer.start(config)) {
            Http http = new Http(server);
            List<Http.Response> responses = ConcurrencyTest.atOnce(http, List.of(
                    ChatCompletionTest.chat("a", "1"), ChatCompletionTest.chat("a", "2"), ChatCompletionTest.chat("a", "3")));
            assertThat(responses).allSatisfy(response -> assertThat(response.status()).isEqualTo(200));
            assertThat(server.stats().model("a").loads()).isEqualTo(1);
        }
    }

    @Test
    void aModelWithARequestInFlightIsNeverEvictedTheOtherWaits() throws Exception {
        FakeLlmConfig config = FakeLlmConfig.builder().models("a", "b").onDemand(true).maxResident(1).loadSeconds(1)
                .decodeMillisPerToken(20).timeScale(0.05).build();
        try (FakeLlmServer server = FakeLlmServer.start(config);
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Http http = new Http(server);
            ask(http, "a", 1);
            Future<Long> longOnA = threads.submit(() -> {
                ask(http, "a", 300); // about 300 ms of decoding
                return System.nanoTime();
            });
            Await.until("the request on a runs", () -> server.stats().model("a").inFlight() == 1);
            CompletableFuture<Long> onB = CompletableFuture.supplyAsync(() -> {
                ask(http, "b", 1);
                return System.nanoTime();
            }, threads);
            Await.until("b waits", () -> server.stats().model("b").queued() == 1);
            assertThat(server.stats().model("a").resident()).isTrue();
            assertThat(server.stats().model("a").evictions()).isZero();
            long aDone = longOnA.get();
            long bDone = onB.get();
            assertThat(bDone).as("b is answered after a's request ended and b loaded").isGreaterThan(aDone);
            assertThat(server.stats().model("a").evictions()).isEqualTo(1);
            assertThat(server.stats().model("b").loads()).isEqualTo(1);
        }
    }

    @Test
    void withoutOnDemandEveryModelIsLoadedFromTheStart() {
        try (FakeLlmServer server = FakeLlmServer.start(FakeLlmConfig.builder().models("a", "b").timeScale(0).build())) {
            assertThat(server.stats().models().values()).allMatch(FakeLlmStats.ModelStats::resident)
                    .allMatch(stats -> stats.loads() == 0);
            assertThat(ask(new Http(server), "b", 1).headerMillis("x-fake-llm-load-ms")).isLessThan(5);
        }
    }
}
