package dev.maze.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.placement.Allocation;
import dev.maze.placement.LayerModel;
import dev.maze.placement.Node;
import dev.maze.placement.NodeLifecycle;
import dev.maze.placement.Pipeline;
import dev.maze.placement.PlacementSimulation;
import dev.maze.placement.Problem;
import dev.maze.placement.Routers;
import dev.maze.placement.Stage;
import dev.maze.placement.Workload;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code maze place}: splits one model's layers over heterogeneous nodes into pipelines (maze-placement) and prints
 * the allocation; with {@code --route}, also the route of each request of a requests file.
 */
@Command(name = "place", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = PlaceSimulateCommand.class,
        description = {"Split one large model's layers over heterogeneous nodes into pipelines, and route requests.",
                "Prints per node its layers, memory used and stage time; the pipelines; the bottleneck, end-to-end",
                "latency and throughput; or why no pipeline fits and how much capacity is missing."},
        footer = {"", "Exit codes: 0 placed, 1 infeasible (no pipeline fits: the reason on stderr, or in --json), "
                + "2 invalid input."})
final class PlaceCommand implements Callable<Integer> {

    @Mixin
    PlaceOptions options;

    @Option(names = "--route", paramLabel = "REQUESTS.yaml",
            description = "Also route each request of this file ({requests: [{id, at, tokens}]} and/or generate) "
                    + "over the allocation, on the virtual clock, and print its route and latency.")
    Path route;

    @Option(names = "--router", defaultValue = "dp", paramLabel = "NAME",
            description = "With --route: round-robin, dp, dp-mid or max-flow. Default: ${DEFAULT-VALUE}.")
    String router;

    @Option(names = "--json", description = "Print a JSON object instead of the tables.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (!Routers.names().contains(router)) {
            throw PlaceOptions.usage(spec, "--router: no router '" + router + "'; known: "
                    + String.join(", ", Routers.names()));
        }
        Problem problem = options.problem(spec);
        Workload workload = null;
        if (route != null) {
            if (!Files.isRegularFile(route)) {
                throw PlaceOptions.usage(spec, "--route file '" + route + "' does not exist or is not a file");
            }
            try {
                workload = Workload.read(route, problem.cluster());
            } catch (IllegalArgumentException e) {
                throw PlaceOptions.usage(spec, e.getMessage());
            }
            if (!workload.events().isEmpty()) {
                throw PlaceOptions.usage(spec, route + ": --route routes requests over a fixed allocation; node events "
                        + "belong to maze place simulate");
            }
        }
        Allocation allocation = options.allocator(spec).allocate(problem, options.objective(spec));
        PrintWriter out = spec.commandLine().getOut();
        PlacementSimulation.Result routed = null;
        if (workload != null && allocation.feasible()) {
            routed = PlacementSimulation.run(problem.model(), problem.cluster(), workload, options.allocator(spec),
                    options.objective(spec), problem.serving(), NodeLifecycle.Settings.DEFAULT, router, 0);
        }
        if (json) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = json(mapper, problem, allocation);
            if (routed != null) {
                root.set("routes", routesJson(mapper, routed));
            }
            out.println(mapper.writeValueAsString(root));
        } else if (allocation.feasible()) {
            table(problem, allocation, out);
            if (routed != null) {
                routes(routed, out);
            }
        }
        out.flush();
        if (!allocation.feasible()) {
            spec.commandLine().getErr().println("maze: infeasible: " + allocation.infeasible());
            spec.commandLine().getErr().flush();
            return MazeCommand.EXIT_FAILED;
        }
        return 0;
    }

    static ObjectNode json(ObjectMapper mapper, Problem problem, Allocation allocation) {
        ObjectNode root = mapper.createObjectNode();
        root.put("feasible", allocation.feasible());
        root.put("allocator", allocation.allocator());
        root.put("objective", allocation.objective().label());
        if (!allocation.feasible()) {
            root.put("reason", allocation.infeasible());
            return root;
        }
        ArrayNode pipelines = root.putArray("pipelines");
        for (Pipeline pipeline : allocation.pipelines()) {
            ArrayNode stages = pipelines.addArray();
            for (Stage stage : pipeline.stages()) {
                limit(stages.addObject().put("node", stage.node()).put("startLayer", stage.startLayer())
                        .put("endLayer", stage.endLayer()).put("stageMs", stage.stageMs()), "maxRequests",
                        stage.maxRequests());
            }
        }
        root.put("bottleneckMs", allocation.bottleneckMs());
        root.put("latencyMs", allocation.latencyMs());
        root.put("throughputTokensPerSec", allocation.throughputTokensPerSec());
        root.put("contextTokens", problem.serving().contextTokens());
        limit(root, "maxConcurrentRequests", allocation.maxConcurrentRequests());
        ArrayNode perPipeline = root.putArray("pipelineConcurrentRequests");
        allocation.pipelines().forEach(p -> {
            if (p.maxConcurrentRequests() > 0) {
                perPipeline.add(p.maxConcurrentRequests());
            } else {
                perPipeline.addNull();
            }
        });
        ArrayNode nodes = root.putArray("nodes");
        for (Node node : problem.cluster().nodes()) {
            ObjectNode item = nodes.addObject().put("node", node.id());
            Stage stage = allocation.stageOf(node.id());
            item.put("layers", stage == null ? 0 : stage.layers());
            item.put("memoryUsedGb", stage == null ? 0 : memoryUsedGb(problem.model(), allocation, stage));
            item.put("weightMemoryGb", node.weightMemoryGb());
            item.put("layerMs", node.layerMs(problem.model(), problem.batchTokens()));
        }
        return root;
    }

    /** A request limit, null when there is none (0). */
    private static void limit(ObjectNode item, String field, int limit) {
        if (limit > 0) {
            item.put(field, limit);
        } else {
            item.putNull(field);
        }
    }

    private static ArrayNode routesJson(ObjectMapper mapper, PlacementSimulation.Result routed) {
        ArrayNode routes = mapper.createArrayNode();
        for (PlacementSimulation.Served served : routed.requests()) {
            ObjectNode item = routes.addObject().put("id", served.id()).put("arrivalSeconds", served.arrivalSeconds())
                    .put("tokens", served.tokens());
            if (Double.isNaN(served.finishSeconds())) {
                item.putNull("latencySeconds");
            } else {
                item.put("latencySeconds", served.latencySeconds());
            }
            ArrayNode hops = item.putArray("route");
            served.route().forEach(h -> hops.addObject().put("node", h.node()).put("startLayer", h.startLayer())
                    .put("endLayer", h.endLayer()));
        }
        return routes;
    }

    private void table(Problem problem, Allocation allocation, PrintWriter out) {
        LayerModel model = problem.model();
        out.printf(Locale.ROOT, "%s: %d layers of %.3f GB and %.3f GFLOP a token; embedding %.2f GB, LM head %.2f GB%s; "
                + "%.1f GB of weights%n", model.name(), model.layers(), model.layerWeightGb(), model.layerGflopsPerToken(),
                model.embeddingGb(), model.lmHeadGb(), model.tiedEmbeddings() ? " (tied)" : "", model.totalWeightGb());
        int context = problem.serving().contextTokens();
        out.printf(Locale.ROOT, "%d nodes; allocator %s, objective %s, %d token(s) a pass, %s%n", problem.size(),
                allocation.allocator(), allocation.objective().label(), problem.batchTokens(),
                context > 0 && model.layerKvKbPerToken() > 0
                        ? String.format(Locale.ROOT, "KV cache for %d tokens a request (%.3f GB a layer)", context,
                                model.layerKvGb(context))
                        : "KV cache left out");
        int width = Math.max(4, problem.cluster().nodes().stream().mapToInt(n -> n.id().length()).max().orElse(4));
        String row = "%-" + width + "s  %-10s %7s  %16s  %9s  %9s  %8s%n";
        out.printf(Locale.ROOT, row, "node", "layers", "count", "memory GB used", "layer ms", "stage ms", "requests");
        for (Node node : problem.cluster().nodes()) {
            Stage stage = allocation.stageOf(node.id());
            double layerMs = node.layerMs(model, problem.batchTokens());
            out.printf(Locale.ROOT, row, node.id(), stage == null ? "-" : stage.startLayer() + "-" + (stage.endLayer() - 1),
                    stage == null ? 0 : stage.layers(), String.format(Locale.ROOT, "%.1f / %.1f",
                            stage == null ? 0 : memoryUsedGb(model, allocation, stage), node.weightMemoryGb()),
                    String.format(Locale.ROOT, "%.3f", layerMs),
                    stage == null ? "unused" : String.format(Locale.ROOT, "%.2f", stage.stageMs()),
                    stage == null ? "" : requests(stage.maxRequests()));
        }
        for (int p = 0; p < allocation.pipelines().size(); p++) {
            Pipeline pipeline = allocation.pipelines().get(p);
            out.printf(Locale.ROOT, "pipeline %d: %s; bottleneck %.2f ms, latency %.2f ms, %.1f tokens/s, %s requests "
                    + "at once%n", p + 1, String.join(" -> ", pipeline.stages().stream().map(s -> s.node() + " ["
                            + s.startLayer() + "," + s.endLayer() + ")").toList()), pipeline.bottleneckMs(),
                    pipeline.latencyMs(), pipeline.tokensPerSec(), requests(pipeline.maxConcurrentRequests()));
        }
        out.printf(Locale.ROOT, "bottleneck %.2f ms, latency %.2f ms, throughput %.1f tokens/s, %s requests at once%n",
                allocation.bottleneckMs(), allocation.latencyMs(), allocation.throughputTokensPerSec(),
                requests(allocation.maxConcurrentRequests()));
    }

    private void routes(PlacementSimulation.Result routed, PrintWriter out) {
        out.printf(Locale.ROOT, "routes (%s, virtual clock):%n", routed.router());
        for (PlacementSimulation.Served served : routed.requests()) {
            out.printf(Locale.ROOT, "  %-8s at %7.2f s, %5d tokens: %s, %s%n", served.id(), served.arrivalSeconds(),
                    served.tokens(), served.route().isEmpty() ? "no route" : String.join(" -> ",
                            served.route().stream().map(h -> h.node() + " [" + h.startLayer() + "," + h.endLayer() + ")")
                                    .toList()),
                    Double.isNaN(served.finishSeconds()) ? "not served"
                            : String.format(Locale.ROOT, "latency %.3f s", served.latencySeconds()));
        }
        out.printf(Locale.ROOT, "served %d of %d; latency p50 %.3f s, p95 %.3f s; %.1f tokens/s%n", routed.served(),
                routed.requests().size(), routed.p50Seconds(), routed.p95Seconds(), routed.tokensPerSec());
    }

    private static String requests(int limit) {
        return limit > 0 ? String.valueOf(limit) : "any";
    }

    /** The stage's layers plus the embedding on a first stage and the LM head on a last one. */
    private static double memoryUsedGb(LayerModel model, Allocation allocation, Stage stage) {
        return stage.layers() * model.layerWeightGb()
                + model.reservedGb(stage.startLayer() == 0, stage.endLayer() == model.layers());
    }
}
