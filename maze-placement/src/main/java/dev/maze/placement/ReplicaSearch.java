package dev.maze.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Disjoint pipelines (replicas) for the most tokens per second in all, each within the problem's latency limit
 * (maze-placement/README.md, "dp, replicas"). A heuristic with two guarantees: never below the best single pipeline
 * ({@link BottleneckSearch}) and never below greedy's replicas, both of which it starts from.
 *
 * <p>For each of up to {@link #LEVELS} bottleneck levels B (spread over the {@code n · t_i} values), every node can
 * take {@code k_i = min(capacity, floor(B / t_i))} layers; the nodes are grouped into as many groups holding a whole
 * model as a bin-covering heuristic finds (the largest node left opens a group, then the smallest node that
 * completes it, else the largest again), and each group gets its exact least-bottleneck pipeline. Pipelines over the
 * latency limit are dropped. The best level by total throughput wins; ties by the lower mean latency.
 */
final class ReplicaSearch {

    /** Bottleneck levels tried. */
    static final int LEVELS = 200;

    private ReplicaSearch() {}

    /** The pipelines as {nodes, counts} each; empty when none fits within the latency limit. */
    static List<int[][]> best(Problem problem) {
        int n = problem.size();
        int layers = problem.layers();
        int[] all = IntStream.range(0, n).toArray();
        List<List<int[][]>> candidates = new ArrayList<>();
        int[][] single = BottleneckSearch.best(problem, all);
        if (single != null) {
            candidates.add(List.<int[][]>of(single));
        }
        candidates.add(GreedyAllocator.chains(problem, true));
        double[] values = new double[n * layers];
        for (int i = 0; i < n; i++) {
            for (int count = 1; count <= layers; count++) {
                values[i * layers + count - 1] = count * problem.layerMs(i);
            }
        }
        values = Arrays.stream(values).sorted().distinct().toArray();
        int step = Math.max(1, values.length / LEVELS);
        for (int v = 0; v < values.length; v += step) {
            candidates.add(atLevel(problem, values[v]));
        }
        candidates.add(atLevel(problem, values[values.length - 1]));
        List<int[][]> best = List.of();
        double bestThroughput = 0;
        double bestLatency = Double.POSITIVE_INFINITY;
        for (List<int[][]> candidate : candidates) {
            List<int[][]> kept = new ArrayList<>();
            double throughput = 0;
            double weighted = 0;
            for (int[][] chain : candidate) {
                Pipeline pipeline = problem.pipeline(chain[0], chain[1]);
                if (pipeline.latencyMs() <= problem.maxLatencyMs()) {
                    kept.add(chain);
                    throughput += pipeline.tokensPerSec();
                    weighted += pipeline.tokensPerSec() * pipeline.latencyMs();
                }
            }
            double latency = throughput > 0 ? weighted / throughput : Double.POSITIVE_INFINITY;
            if (throughput > bestThroughput * (1 + 1e-12)
                    || (throughput >= bestThroughput * (1 - 1e-12) && throughput > 0 && latency < bestLatency)) {
                best = kept;
                bestThroughput = throughput;
                bestLatency = latency;
            }
        }
        return best;
    }

    /** Groups covering the model at bottleneck level {@code level}, each given its exact best pipeline. */
    private static List<int[][]> atLevel(Problem problem, double level) {
        int layers = problem.layers();
        List<int[]> items = new ArrayList<>(); // {node, room}
        for (int i = 0; i < problem.size(); i++) {
            int room = (int) Math.min(problem.capacity(i, false, false),
                    Math.floor(level / problem.layerMs(i) * (1 + 1e-12) + 1e-9));
            if (room > 0 || problem.capacity(i, true, true) > 0) {
                items.add(new int[] {i, Math.max(room, 1)});
            }
        }
        items.sort(Comparator.comparingInt((int[] item) -> -item[1]).thenComparingInt(item -> item[0]));
        List<int[][]> chains = new ArrayList<>();
        while (!items.isEmpty()) {
            List<Integer> group = new ArrayList<>();
            int[] opener = items.remove(0);
            group.add(opener[0]);
            long room = opener[1];
            while (room < layers && !items.isEmpty()) {
                long need = layers - room;
                int pick = -1;
                for (int k = items.size() - 1; k >= 0; k--) { // smallest first
                    if (items.get(k)[1] >= need) {
                        pick = k;
                        break;
                    }
                }
                int[] item = items.remove(pick >= 0 ? pick : 0);
                group.add(item[0]);
                room += item[1];
            }
            int[][] chain = BottleneckSearch.best(problem, group.stream().mapToInt(Integer::intValue).toArray());
            if (chain == null) {
                break; // the rest cannot hold another model either (the groups only grow smaller)
            }
            chains.add(chain);
        }
        return chains;
    }
}
