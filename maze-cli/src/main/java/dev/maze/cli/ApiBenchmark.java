package dev.maze.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.clock.WallClock;
import dev.maze.core.engine.Engine;
import dev.maze.core.metrics.RunSummary;
import dev.maze.core.node.NodeSpec;
import dev.maze.server.api.ApiToken;
import dev.maze.server.api.EventHub;
import dev.maze.server.api.MazeServer;
import dev.maze.server.store.Journals;
import dev.maze.server.store.ServerJournal;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code maze bench api}: durable ingest over HTTP. A server in this process (the API, an engine on a wall clock, the
 * SQLite journal in a temporary directory with {@code synchronous=FULL}, or the PostgreSQL database {@code --store}
 * names) takes {@code --workflows} submissions from
 * {@code --clients} concurrent HTTP clients, {@code --batch} workflows per request; each answer is a 202 only once the
 * workflow's acceptance is committed to disk, after {@code --warm-up} workflows submitted the same way. Reported:
 * workflows accepted per second (first request to last 202),
 * the API latency percentiles, and that every workflow reached a terminal state.
 */
@Command(name = "api", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure durable ingest over the HTTP API.",
                "Concurrent clients submit workflows to a maze server in this process (real HTTP on loopback, the",
                "SQLite journal on disk or --store's PostgreSQL); reports accepted per second, latency percentiles,",
                "and that all ended."},
        footer = {"", "Exit codes: 0 measured and every workflow ended, 1 a submission failed or a workflow did not end."})
final class ApiBenchmark implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(names = "--workflows", defaultValue = "10000", paramLabel = "N",
            description = "Workflows to submit. Default: ${DEFAULT-VALUE}.")
    int workflows;

    @Option(names = "--clients", defaultValue = "16", paramLabel = "C",
            description = "Concurrent HTTP clients, each submitting one workflow per request. Default: ${DEFAULT-VALUE}.")
    int clients;

    @Option(names = "--warm-up", defaultValue = "10000", paramLabel = "W",
            description = "Workflows submitted first, the same way, and waited for, before the measured ones: the "
                    + "server then runs compiled code, as a server that has run a while does. Default: ${DEFAULT-VALUE}.")
    int warmUp;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "B",
            description = "Workflows per request (the API takes a list). Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--tasks", defaultValue = "2", paramLabel = "T",
            description = "Tasks per workflow (a chain of zero-second sim tasks). Default: ${DEFAULT-VALUE}.")
    int tasks;

    @Option(names = "--store", paramLabel = "URL",
            description = "The journal, as maze server --store takes it: sqlite (in a temporary directory) or "
                    + "jdbc:postgresql://HOST:PORT/DATABASE?user=USER, an empty database (password from $"
                    + Journals.PASSWORD_ENV + "). Default: sqlite.")
    String store = "sqlite";

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OptionRange.whole(spec, "--workflows", workflows, 1, 1_000_000);
        OptionRange.whole(spec, "--clients", clients, 1, 1_024);
        OptionRange.whole(spec, "--tasks", tasks, 1, 100);
        OptionRange.whole(spec, "--batch", batch, 1, 1_000);
        OptionRange.whole(spec, "--warm-up", warmUp, 0, 1_000_000);
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("maze-bench-api");
        String token = "bench-" + Long.toHexString(System.nanoTime()) + "-token";
        ServerJournal journal = Journals.open(store, dir);
        EventHub events = new EventHub();
        Engine engine = Engine.builder().clock(WallClock.sinceEpoch())
                .nodes(List.of(NodeSpec.of("bench", 64, 256, 0, 0))).journal(journal).listener(events)
                .retainedWorkflows(Math.max(10_000, workflows + warmUp)).build().start();
        MazeServer server = MazeServer.start(engine, journal, events, new MazeServer.Config("127.0.0.1", 0,
                ApiToken.given(token), ServerCommand.MAX_BODY_BYTES, MazeServer.Preparation.NONE,
                Math.max(MazeServer.MAX_WORKFLOWS, workflows + warmUp), MazeServer.MAX_TASKS));
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            URI submit = URI.create(server.url() + "/api/v1/workflows");
            // The warm-up's workflows are submitted as the measured ones are, and end, before the clock starts: what is
            // measured is a server that has run a while (its code compiled by the JIT), not one just started.
            Phase warm = warmUp == 0 ? null : submit(http, submit, token, 0, warmUp);
            int unfinished = waitForTheEnd(engine);
            Phase measured = submit(http, submit, token, warmUp, workflows);
            unfinished += waitForTheEnd(engine);
            long[] latencies = measured.latencies();
            double seconds = measured.seconds();
            int refused = measured.refused() + (warm == null ? 0 : warm.refused());
            double[] millis = Arrays.stream(latencies).mapToDouble(n -> n / 1e6).sorted().toArray();
            ObjectNode result = JSON.createObjectNode();
            result.put("workflows", workflows);
            result.put("clients", clients);
            result.put("workflowsPerRequest", batch);
            result.put("tasksPerWorkflow", tasks);
            result.put("store", Journals.describe(store));
            result.put("acceptedPerSecond", Math.round(workflows / seconds));
            result.put("seconds", Math.round(seconds * 1000) / 1000.0);
            result.put("latencyP50Ms", round(RunSummary.percentile(millis, 50)));
            result.put("latencyP95Ms", round(RunSummary.percentile(millis, 95)));
            result.put("latencyP99Ms", round(RunSummary.percentile(millis, 99)));
            result.put("latencyMaxMs", round(millis[millis.length - 1]));
            result.put("warmUpWorkflows", warmUp);
            if (warm != null) {
                result.put("warmUpAcceptedPerSecond", Math.round(warmUp / warm.seconds()));
            }
            result.put("refused", refused);
            result.put("notEnded", unfinished);
            result.put("eventsStored", journal.count());
            if (json) {
                out.println(result.toPrettyString());
            } else {
                if (warm != null) {
                    out.printf("warm-up: %d workflows at %d accepted/s (not measured)%n", warmUp,
                            result.get("warmUpAcceptedPerSecond").asLong());
                }
                out.printf("%d workflows (%d tasks each) from %d clients, %d a request: %d accepted/s durably (%.2f s), API latency "
                                + "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms; %d refused, %d not ended; %d events "
                                + "stored in %s%n", workflows, tasks, clients, batch, result.get("acceptedPerSecond").asLong(), seconds,
                        result.get("latencyP50Ms").asDouble(), result.get("latencyP95Ms").asDouble(),
                        result.get("latencyP99Ms").asDouble(), result.get("latencyMaxMs").asDouble(), refused,
                        unfinished, journal.count(), journal);
            }
            out.flush();
            return refused == 0 && unfinished == 0 ? 0 : MazeCommand.EXIT_FAILED;
        } finally {
            server.close();
            engine.close();
            ServeBenchmark.deleteTree(dir);
        }
    }

    /** One round of submissions: how long from the first request to the last answer, each workflow's latency. */
    private record Phase(double seconds, long[] latencies, int refused) {}

    /** Workflows {@code from .. from + count - 1} from {@code --clients} concurrent clients, {@code --batch} a request. */
    private Phase submit(HttpClient http, URI submit, String token, int from, int count) throws Exception {
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long start = System.nanoTime();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(threads.submit(() -> {
                    for (int first = next.getAndAdd(batch); first < count; first = next.getAndAdd(batch)) {
                        int last = Math.min(count, first + batch);
                        StringBuilder body = new StringBuilder("[");
                        for (int i = first; i < last; i++) {
                            body.append(i == first ? "" : ",").append(workflow(from + i));
                        }
                        long sent = System.nanoTime();
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(submit)
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body.append("]").toString())).build(),
                                HttpResponse.BodyHandlers.ofString());
                        long took = System.nanoTime() - sent;
                        for (int i = first; i < last; i++) {
                            latencies[i] = took; // a workflow's acceptance takes its request's time
                        }
                        if (response.statusCode() != 202) {
                            failures.addAndGet(last - first);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        }
        return new Phase((System.nanoTime() - start) / 1e9, latencies, failures.get());
    }

    /** Waits (at most 5 minutes) until no workflow is active; how many still are. */
    private static int waitForTheEnd(Engine engine) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (engine.activeWorkflows().join().size() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return engine.activeWorkflows().join().size();
    }

    /** Workflow {@code i}: a chain of zero-second sim tasks. */
    private String workflow(int i) {
        StringBuilder body = new StringBuilder("{\"name\": \"bench\", \"id\": \"bench-").append(i)
                .append("\", \"tasks\": [");
        for (int t = 0; t < tasks; t++) {
            body.append(t == 0 ? "" : ", ").append("{\"id\": \"t").append(t).append("\", \"kind\": \"sim\", ")
                    .append(t == 0 ? "" : "\"dependsOn\": [\"t" + (t - 1) + "\"], ").append("\"inputs\": {\"seconds\": 0}}");
        }
        return body.append("]}").toString();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
