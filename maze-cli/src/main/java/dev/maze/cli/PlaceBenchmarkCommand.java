package dev.maze.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.placement.Objective;
import dev.maze.placement.PlacementBenchmark;
import dev.maze.placement.Problem;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code maze bench place}: the placement figures (maze-placement/README.md, "Measured"): dp's time on a large
 * generated cluster, and greedy's and waterfill's results against dp's on generated heterogeneous clusters.
 */
@Command(name = "place", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the layer allocators.",
                "time: dp's milliseconds on N generated nodes for a 70B model of 80 layers (median of R runs after R",
                "warm-ups); compare: greedy and waterfill against dp on generated heterogeneous clusters."},
        footer = {"", "Exit codes: 0 measured, 2 invalid option."})
final class PlaceBenchmarkCommand implements Callable<Integer> {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Option(names = "--nodes", defaultValue = "64", paramLabel = "N",
            description = "time: nodes of the generated cluster, 2 to 512. Default: ${DEFAULT-VALUE}.")
    int nodes;

    @Option(names = "--runs", defaultValue = "11", paramLabel = "R",
            description = "time: measured runs, 1 to 1,000. Default: ${DEFAULT-VALUE}.")
    int runs;

    @Option(names = "--seeds", defaultValue = "20", paramLabel = "K",
            description = "compare: generator seeds 1..K per size, 1 to 1,000. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--sizes", split = ",", defaultValue = "4,8,16,32", paramLabel = "N",
            description = "compare: cluster sizes, 1 to 128 nodes. Default: ${DEFAULT-VALUE}.")
    List<Integer> sizes;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "time: the generated cluster's seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        OptionRange.whole(spec, "--nodes", nodes, 2, 512);
        OptionRange.whole(spec, "--runs", runs, 1, 1_000);
        OptionRange.whole(spec, "--seeds", seeds, 1, 1_000);
        for (int size : sizes) {
            OptionRange.whole(spec, "--sizes", size, 1, 128);
        }
        Problem problem = Problem.of(PlacementBenchmark.llama70b(), PlacementBenchmark.cluster(seed, nodes));
        ObjectNode result = JSON.createObjectNode().put("nodes", nodes).put("layers", problem.layers());
        ObjectNode time = result.putObject("dpMillis");
        for (Objective objective : Objective.values()) {
            time.put(objective.label(), PlacementBenchmark.dpMillis(problem, objective, runs));
        }
        Problem twelve = Problem.of(PlacementBenchmark.llama70b(), PlacementBenchmark.cluster(seed, PlacementBenchmark.EXACT_NODES));
        time.put("replicasExact12", PlacementBenchmark.dpMillis(twelve, Objective.REPLICAS, runs));
        int[] exactSizes = sizes.stream().mapToInt(Integer::intValue).filter(n -> n <= PlacementBenchmark.EXACT_NODES).toArray();
        double[] gap = PlacementBenchmark.replicaHeuristicGap(seeds, exactSizes.length > 0 ? exactSizes
                : new int[] {PlacementBenchmark.EXACT_NODES});
        result.putObject("replicaHeuristic").put("meanRatio", gap[0]).put("worstRatio", gap[1]);
        List<PlacementBenchmark.Comparison> rows = PlacementBenchmark.compare(seeds,
                sizes.stream().mapToInt(Integer::intValue).toArray());
        result.set("compare", JSON.valueToTree(rows));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(result.toPrettyString());
        } else {
            out.printf("dp on %d generated nodes, %d layers (median of %d runs after %d warm-ups): throughput %.2f ms, "
                    + "latency %.2f ms, replicas %.2f ms%n", nodes, problem.layers(), runs, runs,
                    time.get("throughput").asDouble(), time.get("latency").asDouble(), time.get("replicas").asDouble());
            out.printf("dp replicas on %d nodes (exact search): %.2f ms; the heuristic used beyond %d nodes against it "
                    + "(exact tokens/s over its): mean %.4f, worst %.4f%n", PlacementBenchmark.EXACT_NODES, time.get("replicasExact12")
                    .asDouble(), PlacementBenchmark.EXACT_NODES, gap[0], gap[1]);
            out.printf("against dp, seeds 1-%d x sizes %s (ratio above 1 is worse: bottleneck, latency, dp's tokens/s "
                    + "over its)%n", seeds, sizes);
            out.printf("%-10s %-11s %8s %11s %11s %8s%n", "allocator", "objective", "clusters", "mean ratio",
                    "worst", "failed");
            for (PlacementBenchmark.Comparison row : rows) {
                out.printf("%-10s %-11s %8d %11.3f %11.3f %8d%n", row.allocator(), row.objective(), row.clusters(),
                        row.meanRatio(), row.worstRatio(), row.failed());
            }
        }
        out.flush();
        return 0;
    }
}
