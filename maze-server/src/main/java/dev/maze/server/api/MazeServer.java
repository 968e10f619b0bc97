package dev.maze.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.maze.core.engine.Engine;
import dev.maze.core.engine.NodeUsage;
import dev.maze.core.engine.StateEvent;
import dev.maze.core.engine.StateJournal;
import dev.maze.core.engine.TaskSnapshot;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.DocumentReader;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser;
import dev.maze.core.workflow.WorkflowSpec;
import dev.maze.server.store.EventCodec;
import dev.maze.server.store.ServerJournal;
import dev.maze.server.store.WorkflowHistory;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.sse.SseClient;
import java.io.IOException;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maze's HTTP API over one engine (maze-server/README.md, "API"): submit workflows (202 once the journal stored them),
 * read a workflow's state (from the engine while it holds it, else from the journal's history), list the active ones,
 * cancel; health and readiness. Every route under {@code /api} asks for the bearer token; errors are RFC 9457
 * problem documents.
 */
public final class MazeServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MazeServer.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Ids a path may name: what the engine generates and what users choose, nothing that walks a path. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");
    /** Locks for idempotency keys, striped: a second request with a key waits until the first is answered. */
    private static final Object[] KEY_LOCKS = IntStream.range(0, 64).mapToObj(i -> new Object())
            .toArray();
    /** The comment an event stream sends once it has replayed the stored events: a reader that only wants what is stored stops there. */
    public static final String REPLAYED = "replayed";
    /** How long a submission waits for its batch to be stored before the client hears 503. */
    private static final long ACCEPT_TIMEOUT_SECONDS = 30;

    /**
     * What the server needs besides its engine.
     *
     * @param host the address to bind (loopback by default)
     * @param port the port (0: any free one)
     * @param token the bearer token the API routes ask for
     * @param maxBodyBytes the largest request body accepted (413 beyond)
     * @param prepare what every submitted batch goes through before the engine sees it (the model registry's routing)
     * @param maxWorkflows workflows accepted and not ended the server holds; a submission beyond is a 429 with
     *     {@code Retry-After} (backpressure: memory stays bounded)
     * @param maxTasksPerWorkflow tasks a workflow may have, also after tasks are added (413 beyond)
     */
    public record Config(String host, int port, ApiToken token, long maxBodyBytes, Preparation prepare,
            int maxWorkflows, int maxTasksPerWorkflow) {

        /** Default limits: {@value #MAX_WORKFLOWS} workflows in the system, {@value #MAX_TASKS} tasks a workflow. */
        public Config(String host, int port, ApiToken token, long maxBodyBytes, Preparation prepare) {
            this(host, port, token, maxBodyBytes, prepare, MAX_WORKFLOWS, MAX_TASKS);
        }
    }

    /** Workflows accepted and not yet ended that a server holds by default; more are refused with 429. */
    public static final int MAX_WORKFLOWS = 10_000;
    /** Tasks a submitted workflow may have by default (and after additions). */
    public static final int MAX_TASKS = 10_000;
    /** Workflows a page of {@code GET /api/v1/workflows} has by default, and at most. */
    static final int PAGE = 100;
    static final int MAX_PAGE = 1000;
    /** What a refused submission is told to wait before retrying, in seconds. */
    static final int RETRY_AFTER_SECONDS = 5;

    /** What a submitted batch goes through before the engine sees it; may refuse it as the engine's validation does. */
    @FunctionalInterface
    public interface Preparation {
        /** Nothing changed. */
        Preparation NONE = specs -> specs;

        List<WorkflowSpec> apply(List<WorkflowSpec> specs) throws ValidationException;
    }

    /** The API's description (resources/api/openapi.yaml, reviewed with the routes), served as JSON. */
    static final String OPENAPI = openApi();

    private final Javalin app;
    private final URI url;

    private MazeServer(Javalin app, URI url) {
        this.app = app;
        this.url = url;
    }

    /**
     * Serves {@code engine} (started by the caller, and closed by it after this server), whose journal is
     * {@code journal} (for the history of workflows the engine no longer holds, and for resuming event streams) and
     * which hands its events to {@code events} (a listener of the engine).
     *
     * @throws IllegalStateException when the address cannot be bound, naming it
     */
    public static MazeServer start(Engine engine, ServerJournal journal, EventHub events, Config config) {
        // Workflows in the system: the restored ones, then one more per acceptance reserved before submitting, one
        // fewer per stored end.
        AtomicInteger inSystem = new AtomicInteger(
                engine.restored().size());
        events.observe(batch -> {
            for (StateEvent event : batch) {
                if (event instanceof StateEvent.WorkflowEnded) {
                    inSystem.decrementAndGet();
                }
            }
        });
        ServerMetrics metrics = new ServerMetrics(engine, events);
        Routes routes = new Routes(engine, journal, events, config, inSystem);
        Javalin app = Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.startup.startupWatcherEnabled = false;
            cfg.http.maxRequestSize = config.maxBodyBytes();
            // Event streams must reach the client as each event is written, which a compressing stream would hold back.
            cfg.http.compressionStrategy = CompressionStrategy.NONE;
            cfg.jetty.addConnector((server, httpConfiguration) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration));
                connector.setHost(config.host());
                connector.setPort(config.port());
                return connector;
            });
            // The dashboard (README, "Dashboard") and the WebJars it loads: served without the token, as they hold
            // no data; the page sends the token with each API call. Its policy: load and call nothing but this server.
            cfg.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/dashboard";
                files.location = Location.CLASSPATH;
                files.headers = Map.of("Content-Security-Policy", "default-src 'self'; style-src 'self' "
                        + "'unsafe-inline'; img-src 'self' data: blob:; frame-ancestors 'none'",
                        "Referrer-Policy", "no-referrer");
            });
            cfg.staticFiles.enableWebjars();
            cfg.routes.get("/healthz", ctx -> ctx.json(JSON.createObjectNode().put("status", "ok")));
            cfg.routes.get("/readyz", ctx -> ctx.json(JSON.createObjectNode().put("status", "ready")));
            cfg.routes.before("/api/*", routes::authorize);
            cfg.routes.before("/metrics", routes::authorize);
            cfg.routes.get("/metrics", ctx -> ctx.contentType(ServerMetrics.CONTENT_TYPE).result(metrics.scrape()));
            cfg.routes.post("/api/v1/workflows", routes::submit);
            cfg.routes.get("/api/v1/workflows", routes::list);
            cfg.routes.get("/api/v1/workflows/{id}", routes::workflow);
            cfg.routes.delete("/api/v1/workflows/{id}", routes::cancel);
            cfg.routes.post("/api/v1/workflows/{id}/tasks", routes::addTasks);
            cfg.routes.get("/api/v1/workflows/{id}/tasks/{taskId}", routes::task);
            cfg.routes.get("/api/v1/nodes", routes::nodes);
            cfg.routes.get("/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(OPENAPI));
            cfg.routes.post("/api/v1/workflows/{id}/close", routes::close);
            cfg.routes.before("/api/v1/workflows/{id}/events", routes::checkStream);
            cfg.routes.before("/api/v1/events", routes::checkStream);
            cfg.routes.sse("/api/v1/workflows/{id}/events", client -> routes.stream(client, Routes.id(client.ctx())));
            cfg.routes.sse("/api/v1/events", client -> routes.stream(client, null));
            cfg.routes.exception(Problem.class, (problem, ctx) -> write(ctx, problem));
            cfg.routes.exception(HttpResponseException.class, (error, ctx) -> write(ctx,
                    new Problem(error.getStatus(), reason(error.getStatus()), error.getMessage())));
            cfg.routes.exception(Exception.class, (error, ctx) -> {
                LOG.error("maze server: {} {} failed", ctx.method(), ctx.path(), error);
                write(ctx, new Problem(500, "Internal Server Error", "Maze failed on this request: " + error));
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + config.host() + ":" + config.port() + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        }
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return new MazeServer(app, URI.create("http://" + host + ":" + app.port()));
    }

    private static String openApi() {
        try (var in = MazeServer.class.getResourceAsStream("/api/openapi.yaml")) {
            return JSON.writeValueAsString(new YAMLMapper().readTree(in));
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the API description api/openapi.yaml is missing from the classpath", e);
        }
    }

    /** The routes registered, as {@code METHOD PATH} ({@code GET /api/v1/workflows/{id}}): what the description must name. */
    List<String> routes() {
        return app.unsafe.internalRouter.allHttpHandlers().stream()
                .filter(route -> route.endpoint.method.isHttpMethod())
                .map(route -> route.endpoint.method.name() + " " + route.endpoint.path).toList();
    }

    /** Where the server listens: {@code http://HOST:PORT}. */
    public URI url() {
        return url;
    }

    /** Stops serving (requests in flight are ended); the engine is the caller's to close. */
    @Override
    public void close() {
        app.stop();
    }

    private static void write(Context ctx, Problem problem) {
        if (problem.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        ctx.status(problem.status()).contentType(Problem.MEDIA_TYPE).result(problem.body().toString());
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 413 -> "Content Too Large";
            case 406 -> "Not Acceptable";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            default -> "Error " + status;
        };
    }

    /** The handlers: one engine, its journal, its events, the config. */
    private record Routes(Engine engine, ServerJournal journal, EventHub events, Config config,
            AtomicInteger inSystem) {

        void authorize(Context ctx) {
            if (!config.token().matches(ctx.header("Authorization"))) {
                throw new Problem(401, "Unauthorized", "a valid bearer token is required (Authorization: Bearer "
                        + "TOKEN; the server's token is in its data directory as " + ApiToken.FILE_NAME + ")");
            }
        }

        /**
         * {@code POST /api/v1/workflows}. With an {@code Idempotency-Key}, the first accepted answer is stored with the
         * acceptance (in the same transaction) and a retry with the same key and body gets it again
         * ({@code Idempotent-Replayed: true}) without submitting; the same key with another body is a 422. Requests
         * with one key are answered one at a time.
         */
        void submit(Context ctx) throws Exception {
            String key = ctx.header("Idempotency-Key");
            if (key == null) {
                accept(ctx, null, null);
                return;
            }
            if (key.isBlank() || key.length() > 255 || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new Problem(400, "Bad Request", "Idempotency-Key must be 1 to 255 visible ASCII characters");
            }
            String sha = sha256(ctx.bodyAsBytes());
            synchronized (KEY_LOCKS[Math.floorMod(key.hashCode(), KEY_LOCKS.length)]) {
                ServerJournal.Answer first = journal.answer(key);
                if (first != null) {
                    if (!first.requestSha256().equals(sha)) {
                        throw new Problem(422, "Unprocessable Content", "Idempotency-Key '" + key + "' was used for "
                                + "another request body; use a new key for a new submission");
                    }
                    ctx.status(first.status()).header("Idempotent-Replayed", "true").contentType("application/json")
                            .result(first.body());
                    return;
                }
                accept(ctx, key, sha);
            }
        }

        /**
         * Submits the request's workflows: 202 with their ids once stored. With a {@code key}, its answer is stored in
         * the transaction that stores the acceptance ({@link ServerJournal#rememberOnAcceptance}).
         */
        private void accept(Context ctx, String key, String sha) throws Exception {
            WorkflowParser.Format format = format(ctx.contentType());
            String text = utf8(ctx.bodyAsBytes());
            List<WorkflowSpec> specs;
            List<WorkflowHandle> handles;
            try {
                specs = config.prepare().apply(WorkflowParser.parse(text, format, "request body"));
            } catch (ValidationException e) {
                throw invalid(e);
            }
            checkSizes(specs.stream().mapToInt(spec -> spec.tasks().size()).max().orElse(0));
            List<ValidationError> reused = new ArrayList<>();
            for (WorkflowSpec spec : specs) {
                if (spec.id() != null && journal.ended(spec.id())) {
                    reused.add(new ValidationError(spec.source(), spec.id(), null, "id",
                            "a workflow with this id already ran here (its history keeps the id); choose another or omit it"));
                }
            }
            if (!reused.isEmpty()) {
                throw new Problem(409, "Conflict", reused.size() + " workflow id(s) already used; nothing was accepted",
                        reused);
            }
            if (inSystem.addAndGet(specs.size()) > config.maxWorkflows()) {
                inSystem.addAndGet(-specs.size());
                ctx.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
                throw new Problem(429, "Too Many Requests", "the server holds " + config.maxWorkflows()
                        + " workflows that have not ended, its limit; retry in " + RETRY_AFTER_SECONDS + " s");
            }
            ServerJournal.PendingAnswer answer = key == null ? null
                    : journal.rememberOnAcceptance(key, specs, ids -> new ServerJournal.Answer(sha, 202, accepted(ids)));
            try {
                handles = engine.submitAll(specs);
            } catch (ValidationException | RuntimeException e) {
                inSystem.addAndGet(-specs.size());
                if (answer != null) {
                    answer.close();
                }
                throw e instanceof ValidationException invalid ? invalid(invalid) : e;
            }
            CompletableFuture<Void> stored = CompletableFuture.allOf(
                    handles.stream().map(WorkflowHandle::accepted).toArray(CompletableFuture[]::new));
            if (answer != null) {
                // Withdrawn once every acceptance is decided, not when this request gives up waiting: an acceptance
                // stored after a timeout still stores its key, so that a retry is answered instead of submitted twice.
                stored.whenComplete((ignored, failure) -> answer.close());
            }
            try {
                stored.get(ACCEPT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // Refused by the journal (nothing was accepted); a timeout may still be accepted, and then counts.
                if (e instanceof ExecutionException) {
                    inSystem.addAndGet(-(int) handles.stream().filter(h -> h.accepted().isCompletedExceptionally()).count());
                }
                throw new Problem(503, "Not stored", "the submission could not be stored durably ("
                        + (e instanceof TimeoutException ? "timed out" : e.getCause().getMessage())
                        + "); it was not accepted: retry later");
            }
            ctx.status(202).contentType("application/json")
                    .result(accepted(handles.stream().map(WorkflowHandle::id).toList()));
        }

        /** The 202 answer for workflows accepted with these ids. */
        private static String accepted(List<String> ids) {
            ObjectNode body = JSON.createObjectNode();
            ArrayNode workflows = body.putArray("workflows");
            for (String id : ids) {
                workflows.addObject().put("id", id).put("status", "ACCEPTED");
            }
            return body.toString();
        }

        private static String sha256(byte[] bytes) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK has no SHA-256", e);
            }
        }

        /**
         * {@code POST /api/v1/workflows/{id}/tasks}: tasks added to a running workflow, given as a list or as
         * {@code {"tasks": [...]}}, checked by the submission policy and the engine's validation with the workflow as
         * it stands; 202 once stored.
         */
        void addTasks(Context ctx) throws Exception {
            String id = id(ctx);
            WorkflowParser.Format format = format(ctx.contentType());
            String text = utf8(ctx.bodyAsBytes());
            List<TaskSpec> tasks;
            try {
                JsonNode root = DocumentReader.read(text, format,
                        "request body", "more content after the tasks", "expected a list of tasks or {\"tasks\": [...]}");
                JsonNode list = root.isArray() ? root : root.path("tasks");
                if (!list.isArray() || (root.isObject() && root.size() != 1)) {
                    throw new Problem(400, "Bad Request", "send a list of tasks, or an object with one field, tasks");
                }
                ObjectNode fragment = JSON.createObjectNode().put("id", id).put("name", id);
                fragment.set("tasks", list);
                List<WorkflowSpec> prepared = config.prepare().apply(WorkflowParser.parse(fragment.toString(),
                        WorkflowParser.Format.JSON, "request body"));
                tasks = prepared.get(0).tasks();
                checkSizes(snapshot(id).tasks().size() + tasks.size());
            } catch (ValidationException e) {
                throw invalid(e);
            }
            await(engine.addTasks(id, tasks), id);
            ObjectNode body = JSON.createObjectNode().put("id", id);
            ArrayNode added = body.putArray("added");
            tasks.forEach(task -> added.add(task.id()));
            ctx.status(202).json(body);
        }

        /**
         * {@code GET /api/v1/workflows/{id}/tasks/{taskId}}: the task's state (as in the workflow's), its attempts from
         * the journal (node, start, end, outcome, message) and its latest attempt's inputs with templates rendered.
         */
        void task(Context ctx) throws Exception {
            String id = id(ctx);
            String taskId = ctx.pathParam("taskId");
            WorkflowSnapshot workflow = snapshot(id);
            TaskSnapshot task = workflow.tasks().stream().filter(t -> t.id().equals(taskId)).findFirst()
                    .orElseThrow(() -> new Problem(404, "Not Found", "workflow '" + id + "' has no task '"
                            + clip(taskId, 200) + "'"));
            ObjectNode body = JSON.valueToTree(task);
            body.put("workflowId", id);
            ObjectNode attempts = WorkflowHistory.attempts(journal.history(id), taskId);
            if (attempts != null) {
                body.setAll(attempts);
            }
            ctx.json(body);
        }

        /**
         * {@code GET /api/v1/nodes}: the nodes and model endpoints the engine schedules onto (an endpoint's URL is not
         * shown) and what each has in use now: free cores and memory, running tasks (an endpoint's calls in flight),
         * utilisation, and per GPU its tasks, free memory and resident models.
         */
        void nodes(Context ctx) throws Exception {
            Map<String, NodeUsage> usage = new HashMap<>();
            engine.nodeUsage().get(10, TimeUnit.SECONDS).forEach(node -> usage.put(node.id(), node));
            ArrayNode nodes = JSON.createArrayNode();
            for (NodeSpec node : engine.nodes()) {
                NodeUsage use = usage.get(node.id());
                ObjectNode entry = nodes.addObject().put("id", node.id()).put("cpu", node.cpu())
                        .put("memoryGb", node.memoryGb());
                if (use != null) {
                    entry.put("freeCpu", use.freeCpu()).put("freeMemoryGb", use.freeMemoryGb())
                            .put("runningTasks", use.runningTasks()).put("utilisation", use.utilisation())
                            .put("draining", use.draining());
                }
                ArrayNode gpus = entry.putArray("gpus");
                for (int position = 0; position < node.gpus().size(); position++) {
                    var gpu = node.gpus().get(position);
                    ObjectNode gpuEntry = gpus.addObject().put("index", gpu.index()).put("name", gpu.name())
                            .put("memoryGb", gpu.memoryGb());
                    if (use != null && position < use.gpus().size()) {
                        NodeUsage.Gpu inUse = use.gpus().get(position);
                        gpuEntry.put("runningTasks", inUse.tasks()).put("freeMemoryGb", inUse.freeMemoryGb());
                        inUse.residentModels().forEach(gpuEntry.putArray("residentModels")::add);
                    }
                }
                if (node.endpoint() != null) {
                    ObjectNode endpoint = entry.putObject("endpoint").put("id", node.endpoint().id())
                            .put("maxConcurrency", node.endpoint().maxConcurrency())
                            .put("holds", node.endpoint().alwaysLoaded() ? "always" : "on-demand");
                    node.endpoint().models().keySet().stream().sorted().forEach(endpoint.putArray("models")::add);
                }
            }
            ctx.json(JSON.createObjectNode().set("nodes", nodes));
        }

        /** {@code POST /api/v1/workflows/{id}/close}: an open workflow ends once its tasks have. */
        void close(Context ctx) throws Exception {
            String id = id(ctx);
            await(engine.closeWorkflow(id), id);
            ctx.status(202).json(JSON.createObjectNode().put("id", id).put("status", "CLOSED"));
        }

        /**
         * Waits until the engine stored a change to workflow {@code id}; its refusals become problem documents: 400
         * with every validation error, 409 for a workflow that ended or was closed, 404 for one there never was.
         */
        private void await(CompletableFuture<Void> change, String id) throws Exception {
            try {
                change.get(ACCEPT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ValidationException invalid) {
                    throw invalid(invalid);
                }
                if (e.getCause() instanceof Engine.WorkflowNotOpenException notOpen) {
                    throw notOpen(id, notOpen);
                }
                throw e;
            }
        }

        /** 409 for a workflow that ended or was closed, 404 for one there never was. */
        private Problem notOpen(String id, Engine.WorkflowNotOpenException e) throws Exception {
            if (e.closed()) {
                return new Problem(409, "Conflict", e.getMessage());
            }
            WorkflowSnapshot ended = snapshot(id); // throws the 404
            return new Problem(409, "Conflict", "workflow '" + id + "' already ended " + ended.state()
                    + "; it takes no more tasks");
        }

        private void checkSizes(int tasks) {
            if (tasks > config.maxTasksPerWorkflow()) {
                throw new Problem(413, "Content Too Large", "a workflow may have at most " + config.maxTasksPerWorkflow()
                        + " tasks here, this one would have " + tasks + "; split it, or raise the server's limit");
            }
        }

        private static Problem invalid(ValidationException e) {
            return new Problem(400, "Invalid workflow", e.errors().size() + (e.errors().size() == 1 ? " problem" : " problems")
                    + "; nothing was accepted", e.errors());
        }

        /**
         * {@code GET /api/v1/workflows}: the accepted workflows, newest first, filtered by {@code status},
         * {@code name} and submission time ({@code submittedAfter}, {@code submittedBefore}: ISO-8601 instants or
         * seconds since the epoch), {@code limit} (1 to 1000, default 100) a page; a full
         * page carries {@code nextCursor}, which {@code cursor} takes to read the page after it.
         */
        void list(Context ctx) throws Exception {
            String status = ctx.queryParam("status");
            WorkflowState state = null;
            if (status != null) {
                try {
                    state = WorkflowState.valueOf(status.strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw new Problem(400, "Bad Request", "status must be one of " + List.of(WorkflowState.values())
                            + ", not '" + clip(status) + "'");
                }
            }
            int limit = (int) number(ctx, "limit", PAGE, 1, MAX_PAGE);
            Long cursor = ctx.queryParam("cursor") == null ? null : number(ctx, "cursor", 0, 1, Long.MAX_VALUE);
            List<ServerJournal.WorkflowRow> rows = journal.workflows(new ServerJournal.WorkflowQuery(state,
                    ctx.queryParam("name"), time(ctx, "submittedAfter"), time(ctx, "submittedBefore"), cursor, limit));
            ObjectNode body = JSON.createObjectNode();
            ArrayNode workflows = body.putArray("workflows");
            for (ServerJournal.WorkflowRow row : rows) {
                ObjectNode entry = workflows.addObject().put("id", row.id()).put("name", row.name())
                        .put("status", row.state().name()).put("submittedAt", row.submittedAt());
                if (row.endedAt() != null) {
                    entry.put("endedAt", row.endedAt());
                }
            }
            if (rows.size() == limit) {
                body.put("nextCursor", String.valueOf(rows.get(rows.size() - 1).sequence()));
            }
            ctx.json(body);
        }

        /** A whole-number query parameter within bounds, or {@code otherwise} when absent. */
        private static long number(Context ctx, String name, long otherwise, long min, long max) {
            String given = ctx.queryParam(name);
            if (given == null) {
                return otherwise;
            }
            try {
                long value = Long.parseLong(given.strip());
                if (value >= min && value <= max) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new Problem(400, "Bad Request", name + " must be a whole number from " + min + " to " + max
                    + ", not '" + clip(given) + "'");
        }

        /** A time query parameter as seconds since the epoch (the server's clock), or null when absent. */
        private static Double time(Context ctx, String name) {
            String given = ctx.queryParam(name);
            if (given == null) {
                return null;
            }
            try {
                return Double.parseDouble(given.strip());
            } catch (NumberFormatException notSeconds) {
                try {
                    return Instant.parse(given.strip()).toEpochMilli() / 1000.0;
                } catch (DateTimeParseException e) {
                    throw new Problem(400, "Bad Request", name + " must be an ISO-8601 instant "
                            + "(2026-12-02T10:15:30Z) or seconds since the epoch, not '" + clip(given) + "'");
                }
            }
        }

        /** What a message quotes of a client's text: its first {@code max} characters. */
        private static String clip(String text, int max) {
            return text.substring(0, Math.min(text.length(), max));
        }

        private static String clip(String text) {
            return clip(text, 40);
        }

        void workflow(Context ctx) throws Exception {
            ctx.json(JSON.valueToTree(snapshot(id(ctx))));
        }

        void cancel(Context ctx) throws Exception {
            String id = id(ctx);
            if (!engine.cancel(id).get(10, TimeUnit.SECONDS)) {
                WorkflowSnapshot ended = snapshot(id); // 404 when there never was one
                throw new Problem(409, "Conflict", "workflow '" + id + "' already ended " + ended.state());
            }
            ctx.status(202).json(JSON.createObjectNode().put("id", id).put("status", "CANCELLING"));
        }

        private WorkflowSnapshot snapshot(String id) throws Exception {
            WorkflowSnapshot live = engine.snapshot(id).get(10, TimeUnit.SECONDS);
            if (live != null) {
                return live;
            }
            WorkflowSnapshot stored;
            try {
                stored = WorkflowHistory.snapshot(journal.history(id));
            } catch (StateJournal.JournalException e) {
                throw new Problem(503, "Store unavailable", e.getMessage());
            }
            if (stored == null) {
                throw new Problem(404, "Not Found", "no workflow '" + id + "'");
            }
            return stored;
        }

        /** What a stream's request must get right, answered before the stream starts (then only events follow). */
        void checkStream(Context ctx) throws Exception {
            String accept = ctx.header("Accept");
            if (accept == null || !accept.contains("text/event-stream")) {
                throw new Problem(406, "Not Acceptable", "an event stream is server-sent events: send "
                        + "Accept: text/event-stream (as EventSource does)");
            }
            lastEventId(ctx, 0);
            if (ctx.pathParamMap().containsKey("id")) {
                snapshot(id(ctx));
            }
        }

        /**
         * A stream of stored events as server-sent events ({@code id} = sequence number, {@code event} = kind, data =
         * the event as JSON): of one workflow from its start (or after {@code Last-Event-ID}), ending with its
         * {@code WorkflowEnded}; or of everything from now on (or after {@code Last-Event-ID}). Past events come
         * from the journal, new ones from the engine as they are stored, with no gap and no repeat between them.
         */
        void stream(SseClient client, String workflowId) {
            try {
                streamOrThrow(client, workflowId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // the headers are sent: a stream that cannot go on ends, and its client resumes with Last-Event-ID
                LOG.warn("maze server: an event stream ended: {}", e.toString());
            }
        }

        private void streamOrThrow(SseClient client, String workflowId) throws Exception {
            Context ctx = client.ctx();
            long after = lastEventId(ctx, workflowId == null ? -1 : 0);
            EventHub.Subscription live = events.subscribe(workflowId); // before the replay: nothing falls between
            client.keepAlive();
            try {
                long last = after;
                if (after >= 0) {
                    for (List<StateEvent> page = journal.after(last, workflowId, 1000); !page.isEmpty();
                            page = journal.after(last, workflowId, 1000)) {
                        for (StateEvent event : page) {
                            send(client, event);
                            last = event.sequence();
                            if (workflowId != null && event instanceof StateEvent.WorkflowEnded) {
                                return;
                            }
                        }
                    }
                }
                client.sendComment(REPLAYED); // the stored events are sent; what follows is new
                while (!client.terminated() && !live.overflowed) {
                    StateEvent event = live.queue.poll(15, TimeUnit.SECONDS);
                    if (event == null) {
                        client.sendComment("keep-alive");
                    } else if (event.sequence() > last) {
                        send(client, event);
                        last = event.sequence();
                        if (workflowId != null && event instanceof StateEvent.WorkflowEnded) {
                            return;
                        }
                    }
                }
            } finally {
                events.unsubscribe(live);
                client.close();
            }
        }

        private static void send(SseClient client, StateEvent event) throws Exception {
            ObjectNode data = JSON.createObjectNode().put("kind", EventCodec.kind(event));
            data.setAll((ObjectNode) JSON.readTree(EventCodec.body(event)));
            client.sendEvent(EventCodec.kind(event), data.toString(), String.valueOf(event.sequence()));
        }

        private static long lastEventId(Context ctx, long otherwise) {
            String given = ctx.header("Last-Event-ID");
            if (given == null) {
                given = ctx.queryParam("after");
            }
            if (given == null || given.isBlank()) {
                return otherwise;
            }
            try {
                return Math.max(0, Long.parseLong(given.strip()));
            } catch (NumberFormatException e) {
                throw new Problem(400, "Bad Request", "Last-Event-ID must be an event's sequence number, not '"
                        + clip(given) + "'");
            }
        }

        private static String id(Context ctx) {
            String id = ctx.pathParam("id");
            if (!ID.matcher(id).matches()) {
                throw new Problem(400, "Bad Request", "'" + clip(id, 200)
                        + "' is not a workflow id (letters, digits, '.', '_', ':', '-'; at most 200)");
            }
            return id;
        }

        private static WorkflowParser.Format format(String contentType) {
            String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).split(";")[0].strip();
            return switch (type) {
                case "application/json" -> WorkflowParser.Format.JSON;
                case "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml" -> WorkflowParser.Format.YAML;
                default -> throw new Problem(415, "Unsupported Media Type", "send the workflow as application/json or "
                        + "application/yaml, not '" + (type.isEmpty() ? "(none)" : type) + "'");
            };
        }

        private static String utf8(byte[] bytes) {
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new Problem(400, "Bad Request", "the body is not UTF-8 text");
            }
        }
    }
}
