package dev.maze.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Disjoint pipelines (replicas) for the most tokens per second in all, each within the problem's latency limit, and
 * among those the least throughput-weighted mean latency (maze-placement/README.md, "dp, replicas").
 *
 * <p>Up to {@value LatencySearch#EXACT_NODES} nodes, exact: every node set S gets its best pipeline over exactly S
 * (for each first f and last l, the least bottleneck B whose fill meets the latency limit, found by binary search
 * since both the fill's room and its latency only improve as B grows; RTTs from {@link RttPaths}), then a DP over
 * subsets partitions the nodes into such sets and unused nodes: O(2^n · n² · n · log(n·L) + 3^n).
 *
 * <p>Beyond, a heuristic with two guarantees: never below the best single pipeline ({@link BottleneckSearch}) and
 * never below greedy's replicas, both of which it starts from. For each of up to {@link #LEVELS} bottleneck levels B (spread over the {@code n · t_i} values), every node can
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
        return problem.size() <= LatencySearch.EXACT_NODES ? exact(problem) : heuristic(problem);
    }

    /** Every stage time a bottleneck can take, {@code count · t_i}, sorted and distinct. */
    private static double[] levels(Problem problem) {
        int layers = problem.layers();
        double[] values = new double[problem.size() * layers];
        for (int i = 0; i < problem.size(); i++) {
            for (int count = 1; count <= layers; count++) {
                values[i * layers + count - 1] = count * problem.layerMs(i);
            }
        }
        return Arrays.stream(values).sorted().distinct().toArray();
    }

    static List<int[][]> exact(Problem problem) {
        int n = problem.size();
        int layers = problem.layers();
        double limit = problem.maxLatencyMs();
        Pool members = new Pool(problem, IntStream.range(0, n).toArray());
        RttPaths paths = new RttPaths(problem, members.nodes);
        double[] values = levels(problem);
        int full = 1 << n;
        // The best pipeline over exactly each set: its bottleneck (infinite for none), latency, first and last member.
        double[] bottleneck = new double[full];
        double[] latency = new double[full];
        int[] firstOf = new int[full];
        int[] lastOf = new int[full];
        Arrays.fill(bottleneck, Double.POSITIVE_INFINITY);
        for (int set = 1; set < full; set++) {
            int size = Integer.bitCount(set);
            if (size == 1) {
                int k = Integer.numberOfTrailingZeros(set);
                double alone = layers * members.t[k];
                if (members.capAlone[k] >= layers && alone <= limit * (1 + 1e-12)) {
                    bottleneck[set] = alone;
                    latency[set] = alone;
                    firstOf[set] = k;
                    lastOf[set] = k;
                }
                continue;
            }
            if (size > layers) {
                continue;
            }
            double slowest = 0;
            for (int k = 0; k < n; k++) {
                if ((set & (1 << k)) != 0) {
                    slowest = Math.max(slowest, members.t[k]);
                }
            }
            int from = Math.max(0, Arrays.binarySearch(values, slowest)); // every member runs a layer at least
            for (int f = 0; f < n; f++) {
                if ((set & (1 << f)) == 0 || members.capFirst[f] < 1) {
                    continue;
                }
                for (int l = 0; l < n; l++) {
                    if (l == f || (set & (1 << l)) == 0 || members.capLast[l] < 1) {
                        continue;
                    }
                    double rtt = paths.rtt(f, set, l);
                    if (!meets(members, set, f, l, values[values.length - 1], rtt, limit)) {
                        continue;
                    }
                    int low = from;
                    int high = values.length - 1;
                    while (low < high) {
                        int mid = (low + high) >>> 1;
                        if (meets(members, set, f, l, values[mid], rtt, limit)) {
                            high = mid;
                        } else {
                            low = mid + 1;
                        }
                    }
                    double lat = rtt + members.fill(set, f, l, values[high], null);
                    if (values[high] < bottleneck[set] || (values[high] == bottleneck[set] && lat < latency[set])) {
                        bottleneck[set] = values[high];
                        latency[set] = lat;
                        firstOf[set] = f;
                        lastOf[set] = l;
                    }
                }
            }
        }
        // Partition: the most tokens/s over disjoint sets, then the least Σ tokens/s × latency (the weighted mean's
        // numerator: equal totals compare by it). group[mask] is the set holding mask's lowest node, 0 if it is idle.
        double[] rate = new double[full];
        double[] weighted = new double[full];
        int[] group = new int[full];
        for (int mask = 1; mask < full; mask++) {
            int low = mask & -mask;
            int rest = mask ^ low;
            rate[mask] = rate[rest];
            weighted[mask] = weighted[rest];
            for (int sub = rest; ; sub = (sub - 1) & rest) {
                int g = sub | low;
                if (bottleneck[g] < Double.POSITIVE_INFINITY) {
                    double r = 1000 / bottleneck[g];
                    double total = r + rate[mask ^ g];
                    double w = r * latency[g] + weighted[mask ^ g];
                    if (total > rate[mask] * (1 + 1e-12)
                            || (total >= rate[mask] * (1 - 1e-12) && w < weighted[mask] * (1 - 1e-12))) {
                        rate[mask] = total;
                        weighted[mask] = w;
                        group[mask] = g;
                    }
                }
                if (sub == 0) {
                    break;
                }
            }
        }
        List<int[][]> chains = new ArrayList<>();
        for (int mask = full - 1; mask != 0; ) {
            int g = group[mask];
            if (g == 0) {
                mask ^= mask & -mask;
                continue;
            }
            mask ^= g;
            int f = firstOf[g];
            int l = lastOf[g];
            if (f == l) {
                chains.add(new int[][] {{f}, {layers}});
            } else {
                int[] counts = new int[n];
                members.fill(g, f, l, bottleneck[g], counts);
                chains.add(members.chain(paths.order(f, g, l), counts));
            }
        }
        return chains;
    }

    /** Whether the set's fill within {@code bottleneck} holds the model and, with {@code rtt}, meets the limit. */
    private static boolean meets(Pool members, int set, int f, int l, double bottleneck, double rtt, double limit) {
        double stages = members.fill(set, f, l, bottleneck, null);
        // The tolerance: the sum here adds in another order than Problem.pipeline's, which a limit may equal exactly.
        return stages < Double.POSITIVE_INFINITY && rtt + stages <= limit * (1 + 1e-12);
    }

    static List<int[][]> heuristic(Problem problem) {
        int n = problem.size();
        int[] all = IntStream.range(0, n).toArray();
        List<List<int[][]>> candidates = new ArrayList<>();
        int[][] single = BottleneckSearch.best(problem, all);
        if (single != null) {
            candidates.add(List.<int[][]>of(single));
        }
        candidates.add(GreedyAllocator.chains(problem, true));
        double[] values = levels(problem);
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
        Pool members = new Pool(problem, IntStream.range(0, problem.size()).toArray());
        List<int[]> items = new ArrayList<>(); // {node, room}
        for (int i = 0; i < problem.size(); i++) {
            int room = members.within(i, members.capMiddle[i], level);
            if (room > 0 || members.capAlone[i] > 0) {
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
