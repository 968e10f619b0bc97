package dev.maze.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.placement.LifecycleEvent;
import dev.maze.placement.NodeLifecycle;
import dev.maze.placement.PlacementSimulation;
import dev.maze.placement.Problem;
import dev.maze.placement.Routers;
import dev.maze.placement.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code maze place simulate}: replays a request stream and node joins, leaves, failures and slowdowns on the virtual
 * clock through the node lifecycle, once per router, and compares latency percentiles and throughput.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay a request stream and node events on the virtual clock, and compare the routers.",
                "Per router: requests served, latency percentiles, mean, tokens per second, re-allocations and",
                "nodes expired for missed heartbeats."},
        footer = {"", "Exit codes: 0 simulated, 2 invalid input."})
final class PlaceSimulateCommand implements Callable<Integer> {

    @Mixin
    PlaceOptions options;

    @Option(names = "--requests", required = true, paramLabel = "FILE",
            description = "Requests ({requests: [{id, at, tokens}]} and/or generate: {count, ratePerSec, tokens, "
                    + "seed}) and node events (events: [{at, join|leave|fail|slow: NODE, factor}]).")
    Path requests;

    @Option(names = "--routers", split = ",", defaultValue = "round-robin,dp,dp-mid,max-flow", paramLabel = "NAME",
            description = "Routers to compare (comma-separated). Default: ${DEFAULT-VALUE}.")
    List<String> routers;

    @Option(names = "--heartbeat-seconds", defaultValue = "10", paramLabel = "S",
            description = "Interval of the nodes' heartbeats and of the lifecycle's ticks. Default: ${DEFAULT-VALUE}.")
    double heartbeatSeconds;

    @Option(names = "--heartbeat-timeout-seconds", defaultValue = "60", paramLabel = "S",
            description = "Silence after which a node is removed. Default: ${DEFAULT-VALUE}.")
    double timeoutSeconds;

    @Option(names = "--imbalance-cv", defaultValue = "0.5", paramLabel = "CV",
            description = "Coefficient of variation of in-flight requests that re-allocates. Default: ${DEFAULT-VALUE}.")
    double imbalanceCv;

    @Option(names = "--load-gb-per-sec", defaultValue = "2", paramLabel = "GB",
            description = "How fast a node loads the weights a re-allocation gives it, GB/s (it serves nothing "
                    + "meanwhile); 0 for instantly. Default: ${DEFAULT-VALUE}.")
    double loadGbPerSec;

    @Option(names = "--json", description = "Print a JSON array, one object per router, instead of the table.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        for (String router : routers) {
            if (!Routers.names().contains(router)) {
                throw PlaceOptions.usage(spec, "--routers: no router '" + router + "'; known: "
                        + String.join(", ", Routers.names()));
            }
        }
        OptionRange.positive(spec, "--heartbeat-seconds", heartbeatSeconds, 3_600, "seconds");
        OptionRange.positive(spec, "--heartbeat-timeout-seconds", timeoutSeconds, 86_400, "seconds");
        OptionRange.positive(spec, "--imbalance-cv", imbalanceCv, 100, "(a ratio)");
        if (loadGbPerSec != 0) {
            OptionRange.positive(spec, "--load-gb-per-sec", loadGbPerSec, 10_000, "GB/s");
        }
        if (timeoutSeconds < heartbeatSeconds) {
            throw PlaceOptions.usage(spec, "--heartbeat-timeout-seconds (" + timeoutSeconds
                    + ") must be at least --heartbeat-seconds (" + heartbeatSeconds + ")");
        }
        Problem problem = options.problem(spec);
        if (!Files.isRegularFile(requests)) {
            throw PlaceOptions.usage(spec, "--requests file '" + requests + "' does not exist or is not a file");
        }
        Workload workload;
        try {
            workload = Workload.read(requests, problem.cluster());
        } catch (IllegalArgumentException e) {
            throw PlaceOptions.usage(spec, e.getMessage());
        }
        NodeLifecycle.Settings settings = new NodeLifecycle.Settings(heartbeatSeconds, timeoutSeconds, imbalanceCv,
                NodeLifecycle.Settings.DEFAULT.joinGain());
        List<PlacementSimulation.Result> results = new ArrayList<>();
        for (String router : routers) {
            results.add(PlacementSimulation.run(problem.model(), problem.cluster(), workload,
                    options.allocator(spec), options.objective(spec), problem.serving(), settings, router, loadGbPerSec));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ArrayNode array = mapper.createArrayNode();
            for (PlacementSimulation.Result result : results) {
                ObjectNode item = array.addObject().put("router", result.router())
                        .put("requests", result.requests().size()).put("served", result.served());
                number(item, "p50Seconds", result.p50Seconds());
                number(item, "p95Seconds", result.p95Seconds());
                number(item, "p99Seconds", result.p99Seconds());
                number(item, "meanSeconds", result.meanSeconds());
                number(item, "tokensPerSec", result.tokensPerSec());
                item.put("reallocations", result.count("reallocated")).put("expired", result.count("expired"))
                        .put("movedGb", result.movedGb());
                ArrayNode events = item.putArray("events");
                for (LifecycleEvent event : result.events()) {
                    events.addObject().put("atSeconds", event.atSeconds()).put("kind", event.kind())
                            .put("node", event.node()).put("detail", event.detail());
                }
            }
            out.println(mapper.writeValueAsString(array));
        } else {
            out.printf(Locale.ROOT, "%s on %d nodes, allocator %s, objective %s: %d requests, %d node events%n",
                    problem.model().name(), problem.size(), options.allocator, options.objective,
                    workload.requests().size(), workload.events().size());
            String row = "%-12s %7s %8s %9s %9s %9s %9s %11s %7s %7s %9s%n";
            out.printf(Locale.ROOT, row, "router", "served", "unserved", "p50 s", "p95 s", "p99 s", "mean s",
                    "tokens/s", "realloc", "expired", "moved GB");
            for (PlacementSimulation.Result r : results) {
                out.printf(Locale.ROOT, row, r.router(), r.served(), r.unserved(), num(r.p50Seconds()),
                        num(r.p95Seconds()), num(r.p99Seconds()), num(r.meanSeconds()),
                        String.format(Locale.ROOT, "%.1f", r.tokensPerSec()), r.count("reallocated"),
                        r.count("expired"), String.format(Locale.ROOT, "%.1f", r.movedGb()));
            }
            out.println("lifecycle (" + results.get(0).router() + "):");
            for (LifecycleEvent event : results.get(0).events()) {
                out.printf(Locale.ROOT, "  %8.1f s  %-11s %-12s %s%n", event.atSeconds(), event.kind(),
                        event.node() == null ? "" : event.node(), event.detail());
            }
        }
        out.flush();
        return 0;
    }

    private static void number(ObjectNode item, String field, double value) {
        if (Double.isNaN(value)) {
            item.putNull(field);
        } else {
            item.put(field, value);
        }
    }

    private static String num(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }
}
