package dev.maze.fakellm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenAI-compatible model server that needs no GPU: {@code GET /v1/models}, {@code POST /v1/chat/completions}
 * (streaming or not, tools, JSON mode, images), {@code POST /v1/audio/transcriptions}, with deterministic answers,
 * {@code o200k_base} token counts, latencies from a prefill/decode model that slows with the batch, optional on-demand
 * loading and injected faults; {@code GET /fake/stats} reports what it did. See maze-fake-llm/README.md.
 *
 * <pre>{@code
 * try (FakeLlmServer server = FakeLlmServer.start(FakeLlmConfig.builder().models("qwen3-32b").timeScale(0.01).build())) {
 *     URI baseUrl = server.baseUrl(); // http://127.0.0.1:PORT/v1, for any OpenAI client
 *     ...
 *     long served = server.stats().model("qwen3-32b").served();
 * }
 * }</pre>
 *
 * <p>Requests run on virtual threads; a server is safe to use from any thread.
 */
public final class FakeLlmServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FakeLlmServer.class);

    /** Longer than any answer should take: Jetty fails a request whose connection stays silent this long. */
    private static final Duration IDLE_TIMEOUT = Duration.ofHours(1);
    /** The largest request body (JSON with base64 images); OpenAI's limits are lower. */
    private static final long MAX_REQUEST_BYTES = 64L << 20;
    /** The largest audio upload, as OpenAI's transcription endpoint allows. */
    private static final int MAX_AUDIO_MB = 25;

    private final ServerState state;
    private final Javalin app;
    private final URI baseUrl;
    private final AtomicBoolean closed = new AtomicBoolean();

    private FakeLlmServer(ServerState state, Javalin app, URI baseUrl) {
        this.state = state;
        this.app = app;
        this.baseUrl = baseUrl;
    }

    /**
     * Starts a server and returns once it accepts connections.
     *
     * @throws IllegalStateException when it cannot listen on the configured host and port (the message says why)
     */
    public static FakeLlmServer start(FakeLlmConfig config) {
        warmUp(config);
        ServerState state = new ServerState(config);
        ChatEndpoint chat = new ChatEndpoint(state);
        TranscriptionEndpoint transcriptions = new TranscriptionEndpoint(state);
        Javalin app = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.startup.startupWatcherEnabled = false;
            cfg.http.compressionStrategy = CompressionStrategy.NONE;
            cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
            cfg.jetty.multipartConfig.maxFileSize(MAX_AUDIO_MB, SizeUnit.MB);
            cfg.jetty.multipartConfig.maxInMemoryFileSize(MAX_AUDIO_MB, SizeUnit.MB);
            cfg.jetty.multipartConfig.maxTotalRequestSize(MAX_AUDIO_MB + 1, SizeUnit.MB);
            cfg.jetty.addConnector((server, httpConfiguration) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration));
                connector.setHost(config.host());
                connector.setPort(config.port());
                connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
                return connector;
            });
            cfg.routes.get("/v1/models", ctx -> json(ctx, models(state)));
            cfg.routes.get("/v1/models/{model}", ctx -> json(ctx, model(state, state.model(ctx.pathParam("model")).name)));
            cfg.routes.post("/v1/chat/completions", chat::handle);
            cfg.routes.post("/v1/audio/transcriptions", transcriptions::handle);
            cfg.routes.get("/fake/stats", ctx -> ctx.contentType("application/json")
                    .result(state.json.writeValueAsString(state.stats())));
            cfg.routes.get("/health", ctx -> ctx.result(""));
            cfg.routes.exception(ApiError.class, (error, ctx) -> Bodies.error(ctx, error));
            cfg.routes.exception(HttpResponseException.class, (error, ctx) -> Bodies.error(ctx,
                    new ApiError(error.getStatus(), error.getStatus() == 404 ? "invalid_request_error" : "server_error",
                            null, null, error.getMessage())));
            cfg.routes.exception(Exception.class, (error, ctx) -> {
                LOG.error("fake-llm: {} {} failed", ctx.method(), ctx.path(), error);
                Bodies.error(ctx, new ApiError(500, "server_error", null, "internal_error",
                        "maze fake-llm failed: " + error));
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            state.close();
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        FakeLlmServer server = new FakeLlmServer(state, app, URI.create("http://" + host + ":" + app.port() + "/v1"));
        server.warmUpHttp();
        return server;
    }

    /** A few requests to itself that change nothing (health, the model list): the HTTP path's first use is slow too. */
    private void warmUpHttp() {
        for (int i = 0; i < 3; i++) {
            for (String path : new String[] {"/health", "/v1/models"}) {
                try {
                    java.net.HttpURLConnection connection = (java.net.HttpURLConnection) URI.create(
                            baseUrl.toString().replaceFirst("/v1$", "") + path).toURL().openConnection();
                    connection.setConnectTimeout(2000);
                    connection.setReadTimeout(2000);
                    connection.getInputStream().readAllBytes();
                    connection.disconnect();
                } catch (java.io.IOException e) {
                    return; // a server that cannot reach itself (a host it binds but cannot dial) just starts cold
                }
            }
        }
    }

    /**
     * Answers a few requests before listening: the tokenizer's tables load on first use (about 0.7 s) and the answer's
     * code runs slowly until compiled, and a cold first answer would be slower than the latency model says. Nothing
     * of it shows in the stats or the residency.
     */
    private static void warmUp(FakeLlmConfig config) {
        // Half the context window at most, so that a small window (a test's) still warms up.
        com.fasterxml.jackson.databind.node.ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode().put("model", "warm-up").put("max_tokens", Math.max(1, Math.min(200, config.contextTokens() / 2)));
        body.putArray("messages").addObject().put("role", "user").put("content", "warm up");
        try {
            ChatRequest request = ChatRequest.parse(body);
            for (int i = 0; i < 50; i++) {
                ChatAnswer.of(request, config.seed() + i, config.contextTokens(), "warm-up", 0).completion().toString();
            }
        } catch (ApiError e) {
            // a window too small for even the prompt: the first real answer warms up instead
        }
    }

    /** Where an OpenAI client points: {@code http://HOST:PORT/v1}. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The port listened on (the free one picked for port 0). */
    public int port() {
        return app.port();
    }

    /** The configuration it serves with. */
    public FakeLlmConfig config() {
        return state.config;
    }

    /** What it has done so far, as {@code GET /fake/stats} reports it. */
    public FakeLlmStats stats() {
        return state.stats();
    }

    /** Stops listening; requests still running are cut off (a 503 when nothing was sent yet). Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            state.close();
            app.stop();
        }
    }

    private static ObjectNode models(ServerState state) {
        ArrayNode data = JsonNodeFactory.instance.arrayNode();
        state.models.keySet().forEach(name -> data.add(model(state, name)));
        ObjectNode list = JsonNodeFactory.instance.objectNode();
        list.put("object", "list");
        list.set("data", data);
        return list;
    }

    private static ObjectNode model(ServerState state, String name) {
        ObjectNode model = JsonNodeFactory.instance.objectNode();
        model.put("id", name);
        model.put("object", "model");
        model.put("created", state.startedSeconds);
        model.put("owned_by", "maze-fake-llm");
        return model;
    }

    private static void json(Context ctx, ObjectNode body) {
        ctx.contentType("application/json").result(body.toString());
    }
}
