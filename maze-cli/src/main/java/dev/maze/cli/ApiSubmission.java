package dev.maze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.clock.WallClock;
import dev.maze.core.endpoint.ModelRegistry;
import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EngineListener;
import dev.maze.core.engine.StateEvent;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.server.api.ApiToken;
import dev.maze.server.api.EventHub;
import dev.maze.server.api.MazeServer;
import dev.maze.server.api.SubmissionPolicy;
import dev.maze.server.store.SqliteJournal;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * A run whose workflows reach the engine through the HTTP API of a {@link MazeServer} around it, as agents' programs
 * submit to {@code maze server}: {@code maze demo}. The server listens on a free loopback port with a token of its own
 * and its journal in a temporary directory (deleted afterwards); the dashboard's URL, token included, is printed
 * before anything is submitted.
 */
final class ApiSubmission implements WorkflowRunner.Submission {

    /** One request: a workflow document as its file holds it. */
    record Document(String text, String contentType) {}

    private final List<Document> documents;
    private final Set<String> programs;
    private final List<String> urls;
    private final boolean keepServing;
    private final Map<String, CompletableFuture<WorkflowSnapshot>> ends = new ConcurrentHashMap<>();
    private final EventHub events = new EventHub();
    private Path dataDir;
    private SqliteJournal journal;
    private MazeServer server;
    private Engine engine;

    /**
     * @param programs what the documents' process tasks run: the server allows them (the demo trusts its examples)
     * @param urls URL prefixes their calls may reach besides the registry's endpoints
     * @param keepServing whether the server (and its dashboard) stays up after the run, until Ctrl-C
     */
    ApiSubmission(List<Document> documents, Set<String> programs, List<String> urls, boolean keepServing) {
        this.documents = List.copyOf(documents);
        this.programs = Set.copyOf(programs);
        this.urls = List.copyOf(urls);
        this.keepServing = keepServing;
    }

    @Override
    public Engine.Builder configure(Engine.Builder builder) throws Exception {
        dataDir = Files.createTempDirectory("maze-demo-");
        journal = SqliteJournal.open(dataDir.resolve("journal.db"));
        EngineListener endings = new EngineListener() {
            @Override
            public void onStateEvents(List<StateEvent> batch) {
                for (StateEvent event : batch) {
                    if (event instanceof StateEvent.WorkflowEnded ended) {
                        engine.snapshot(ended.workflowId()).thenAccept(end(ended.workflowId())::complete);
                    }
                }
            }
        };
        return builder.clock(WallClock.sinceEpoch()).journal(journal).listener(events).listener(endings);
    }

    private CompletableFuture<WorkflowSnapshot> end(String id) {
        return ends.computeIfAbsent(id, any -> new CompletableFuture<>());
    }

    @Override
    public List<CompletableFuture<WorkflowSnapshot>> submit(Engine engine, ModelRegistry registry, PrintWriter err)
            throws Exception {
        this.engine = engine;
        List<String> allowed = new ArrayList<>(urls);
        if (registry != null) {
            registry.endpoints().forEach(endpoint -> allowed.add(endpoint.url()));
        }
        String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        server = MazeServer.start(engine, journal, events, new MazeServer.Config("127.0.0.1", 0, ApiToken.given(token),
                ServerCommand.MAX_BODY_BYTES, new SubmissionPolicy(programs, allowed,
                        registry == null ? MazeServer.Preparation.NONE : registry::routeAll)));
        err.println("maze demo: dashboard " + server.url() + "/#token=" + token + " (submitting through the API at "
                + server.url() + "/api/v1)");
        err.flush();
        ServerOptions.Api api = new ServerOptions.Api(server.url(), token);
        List<CompletableFuture<WorkflowSnapshot>> submitted = new ArrayList<>();
        for (Document document : documents) {
            JsonNode answer;
            try {
                answer = api.post("/api/v1/workflows", document.contentType(), document.text());
            } catch (ServerOptions.ApiException e) {
                throw new IllegalStateException("the demo's server refused a workflow: " + e.getMessage(), e);
            }
            for (JsonNode workflow : answer.path("workflows")) {
                submitted.add(end(workflow.path("id").asText()));
            }
        }
        return submitted;
    }

    @Override
    public void finished(PrintWriter err) throws InterruptedException {
        if (!keepServing) {
            return;
        }
        err.println("maze demo: every workflow ended; the dashboard stays up at " + server.url()
                + "/ until Ctrl-C");
        err.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            close();
            stopped.countDown();
        }, "maze-demo-stop"));
        stopped.await();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        if (journal != null) {
            journal.close();
        }
        if (dataDir != null) {
            try {
                ServeBenchmark.deleteTree(dataDir);
            } catch (java.io.IOException e) {
                // a temporary directory: the system's cleaning removes what is left
            }
        }
    }
}
