package dev.maze.core.call;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.maze.core.clock.WallClock;
import dev.maze.core.engine.Engine;
import dev.maze.core.engine.TaskSnapshot;
import dev.maze.core.engine.TaskState;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.exec.TaskExecutors;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kind {@code http} against a real HTTP server on loopback (the JDK's), through the engine on the wall clock. */
class HttpExecutorTest {

    private static final String TOKEN = "sk-test-7f3a9c";

    private HttpServer server;
    private String base;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final CountDownLatch disconnected = new CountDownLatch(1);
    private final CountDownLatch hanging = new CountDownLatch(1);
    private Engine engine;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/search", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " auth="
                    + exchange.getRequestHeaders().getFirst("Authorization") + " type="
                    + exchange.getRequestHeaders().getFirst("Content-Type") + " x=" + exchange.getRequestHeaders().getFirst("X-Trace")
                    + " body=" + body);
            reply(exchange, 200, "application/json", "{\"hits\": [{\"title\": \"Maze\", \"score\": 0.9}], \"total\": 1}");
        });
        server.createContext("/plain", exchange -> reply(exchange, 200, "text/plain", "just text"));
        server.createContext("/missing", exchange -> reply(exchange, 404, "text/plain", "no such page"));
        server.createContext("/denied", exchange -> reply(exchange, 401, "application/json", "{\"error\": \"bad key\"}"));
        server.createContext("/busy", exchange -> {
            int call = calls.computeIfAbsent("busy", k -> new AtomicInteger()).incrementAndGet();
            if (call == 1) {
                exchange.getResponseHeaders().add("Retry-After", "1");
                reply(exchange, 429, "text/plain", "slow down");
            } else {
                reply(exchange, 200, "application/json", "{\"ok\": true}");
            }
        });
        server.createContext("/down", exchange -> {
            calls.computeIfAbsent("down", k -> new AtomicInteger()).incrementAndGet();
            reply(exchange, 503, "text/plain", "overloaded");
        });
        server.createContext("/big", exchange -> reply(exchange, 200, "text/plain", "x".repeat(5000)));
        server.createContext("/hang", exchange -> {
            // Drips a byte every 50 ms until the client goes away, which a write then reports.
            exchange.sendResponseHeaders(200, 0);
            hanging.countDown();
            try (OutputStream out = exchange.getResponseBody()) {
                while (true) {
                    out.write(' ');
                    out.flush();
                    Thread.sleep(50);
                }
            } catch (IOException | InterruptedException gone) {
                disconnected.countDown();
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void reply(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        server.stop(0);
    }

    private Engine engine(HttpExecutor http) {
        engine = Engine.builder().clock(new WallClock()).nodes(List.of(NodeSpec.of("local", 4, 8, 0, 0)))
                .executor(http).build().start();
        return engine;
    }

    private static HttpExecutor http(double maxResponseMb) {
        return new HttpExecutor(maxResponseMb, 5, name -> name.equals("SEARCH_KEY") ? TOKEN : null);
    }

    private WorkflowSnapshot run(HttpExecutor http, WorkflowSpec workflow) throws Exception {
        return engine(http).submit(workflow).result().get(30, SECONDS);
    }

    @Test
    void aJsonResponseBecomesTheOutputThatSuccessorsTemplate() throws Exception {
        WorkflowSnapshot result = run(http(16), WorkflowBuilder.workflow("tools").id("w")
                .task("query", t -> t.input("seconds", 0).input("output", Map.of("q", "maze scheduler")))
                .task("search", t -> t.dependsOn("query").kind("http")
                        .input("url", base + "/search").input("query", new java.util.TreeMap<>(Map.of("q", "{{tasks.query.output.q}}", "lang", "en")))
                        .input("method", "post").input("headers", Map.of("X-Trace", "{{workflow.id}}"))
                        .input("body", Map.of("query", "{{tasks.query.output.q}}", "limit", 3))
                        .input("bearerTokenEnv", "SEARCH_KEY"))
                .task("plain", t -> t.kind("http").input("url", base + "/plain"))
                .task("use", t -> t.dependsOn("search").input("seconds", 0)
                        .input("output", Map.of("best", "{{tasks.search.output.hits.0.title}}")))
                .build());

        assertThat(result.state()).as(String.valueOf(result.error())).isEqualTo(WorkflowState.FINISHED);
        assertThat(result.task("search").output().path("total").asInt()).isEqualTo(1);
        assertThat(result.task("use").output().path("best").asText()).isEqualTo("Maze");
        assertThat(result.task("plain").output().path("text").asText()).isEqualTo("just text");
        assertThat(seen).singleElement().asString().startsWith("POST /search?lang=en&q=maze+scheduler auth=Bearer " + TOKEN
                + " type=application/json x=w body={").contains("\"query\":\"maze scheduler\"", "\"limit\":3");
    }

    @Test
    void aClientErrorFailsAtOnceWithTheStatusAndAnExcerptAndNeverTheKey() throws Exception {
        HttpExecutor http = http(16);
        engine(http);
        WorkflowSnapshot missing = engine.submit(WorkflowBuilder.workflow("e").id("missing")
                .task("call", t -> t.kind("http").input("url", base + "/missing?key=" + TOKEN)
                        .retries(new RetryPolicy(3, 0.01, 1, 1))).build()).result().get(30, SECONDS);
        WorkflowSnapshot denied = engine.submit(WorkflowBuilder.workflow("e").id("denied")
                .task("call", t -> t.kind("http").input("url", base + "/denied").input("bearerTokenEnv", "SEARCH_KEY"))
                .build()).result().get(30, SECONDS);
        WorkflowSnapshot unset = engine.submit(WorkflowBuilder.workflow("e").id("unset")
                .task("call", t -> t.kind("http").input("url", base + "/search").input("bearerTokenEnv", "NOT_SET_ANYWHERE"))
                .build()).result().get(30, SECONDS);

        assertThat(missing.task("call").attempts()).as("a 404 would repeat").isEqualTo(1);
        assertThat(missing.task("call").error()).as("the URL's query is left out: it may hold a key")
                .isEqualTo("HTTP 404 from GET " + base + "/missing: no such page (not retried: the failure would repeat)");
        assertThat(denied.task("call").error()).startsWith("HTTP 401 from GET").contains("bad key");
        assertThat(unset.task("call").error()).contains("the environment variable NOT_SET_ANYWHERE is not set");
        for (WorkflowSnapshot result : List.of(missing, denied, unset)) {
            assertThat(result.state()).isEqualTo(WorkflowState.FAILED);
            assertThat(String.valueOf(result.error()) + result.task("call").error()).doesNotContain(TOKEN);
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void aTooManyRequestsIsRetriedAfterTheWaitTheServerAskedFor() throws Exception {
        WorkflowSnapshot result = run(http(16), WorkflowBuilder.workflow("r").id("w")
                .task("call", t -> t.kind("http").input("url", base + "/busy").retries(new RetryPolicy(2, 0.01, 1, 1)))
                .build());

        assertThat(result.state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(result.task("call").attempts()).isEqualTo(2);
        assertThat(result.latencySeconds()).as("Retry-After: 1 beats the 0.01 s backoff").isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void serverErrorsAreRetriedUntilTheRetriesRunOutThenTheFailureCascades() throws Exception {
        WorkflowSnapshot result = run(http(16), WorkflowBuilder.workflow("d").id("w")
                .task("call", t -> t.kind("http").input("url", base + "/down").retries(new RetryPolicy(2, 0.01, 1, 1)))
                .task("after", t -> t.dependsOn("call").input("seconds", 0))
                .build());

        assertThat(result.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(result.task("call").attempts()).isEqualTo(3);
        assertThat(calls.get("down").get()).isEqualTo(3);
        assertThat(result.task("call").error()).startsWith("HTTP 503 from GET").endsWith("overloaded");
        assertThat(result.task("after").state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void aRefusedConnectionIsRetriedAndSaysSo() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        WorkflowSnapshot result = run(http(16), WorkflowBuilder.workflow("c").id("w")
                .task("call", t -> t.kind("http").input("url", "http://127.0.0.1:" + closedPort + "/x")
                        .retries(new RetryPolicy(1, 0.01, 1, 1)))
                .build());

        assertThat(result.task("call").attempts()).isEqualTo(2);
        assertThat(result.task("call").error()).startsWith("cannot connect to GET http://127.0.0.1:" + closedPort + "/x");
    }

    @Test
    void theTaskTimeoutAbortsTheRequestAndTheServerSeesTheClientGo() throws Exception {
        WorkflowSnapshot result = run(http(16), WorkflowBuilder.workflow("h").id("w")
                .task("call", t -> t.kind("http").input("url", base + "/hang").timeoutSeconds(0.5))
                .build());

        assertThat(result.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(result.task("call").error()).contains("timed out");
        assertThat(disconnected.await(10, SECONDS)).as("the server saw the disconnect").isTrue();
    }

    @Test
    void cancellingTheWorkflowAbortsItsRequest() throws Exception {
        var handle = engine(http(16)).submit(WorkflowBuilder.workflow("h").id("w")
                .task("call", t -> t.kind("http").input("url", base + "/hang")).build());
        assertThat(hanging.await(10, SECONDS)).as("the request reached the server").isTrue();
        engine.cancel("w").get(10, SECONDS);

        assertThat(handle.result().get(10, SECONDS).state()).isEqualTo(WorkflowState.CANCELLED);
        assertThat(disconnected.await(10, SECONDS)).as("the server saw the disconnect").isTrue();
    }

    @Test
    void aResponseBeyondTheCapFailsWithoutRetry() throws Exception {
        WorkflowSnapshot result = run(http(0.001), WorkflowBuilder.workflow("b").id("w")
                .task("call", t -> t.kind("http").input("url", base + "/big").retries(new RetryPolicy(2, 0.01, 1, 1)))
                .build());

        assertThat(result.task("call").attempts()).isEqualTo(1);
        assertThat(result.task("call").error()).contains("the response exceeded").contains("maxResponseMb");
    }

    @Test
    void badInputsAreNamedBeforeAnythingRuns() {
        HttpExecutor http = http(16);
        assertThat(http.check(json("{}"))).extracting(p -> p.field() + ": " + p.message())
                .containsExactly("inputs.url: required: the URL to call, e.g. https://api.example.com/search");
        assertThat(http.check(json("{\"url\": \"ftp://host/x\", \"method\": \"FETCH\", \"headers\": {\"A\": [1]}, "
                + "\"bearerTokenEnv\": \"sk-123 real key\"}")))
                .extracting(p -> p.field()).containsExactly("inputs.url", "inputs.method", "inputs.headers.A",
                        "inputs.bearerTokenEnv");
        assertThat(http.check(json("{\"url\": \"{{tasks.a.output.url}}\", \"method\": \"{{tasks.a.output.m}}\"}")))
                .as("templates are resolved at run time").isEmpty();
        http.close();
    }

    @Test
    void theKindIsBuiltFromItsConfigurationSection() {
        var executors = TaskExecutors.fromConfig(json("{\"http\": {\"maxResponseMb\": 2, \"connectTimeoutSeconds\": 3}}"));
        assertThat(executors).containsKey("http");
        executors.values().forEach(executor -> executor.close());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TaskExecutors.fromConfig(json("{\"http\": {\"maxResponse\": 2}}")))
                .hasMessageContaining("executors.http").hasMessageContaining("maxResponse");
    }

    static JsonNode json(String text) {
        try {
            return HttpExecutor.JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
