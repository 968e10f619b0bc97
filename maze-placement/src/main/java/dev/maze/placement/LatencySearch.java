package dev.maze.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The one pipeline with the least end-to-end latency, {@code Σ stage times + Σ RTT between consecutive stages}, over
 * node choice and order (maze-placement/README.md, "dp, latency").
 *
 * <p>For a fixed set S of nodes with first f and last l, the stage sum {@code Σ n_i · t_i} does not depend on the
 * order, and giving every node one layer and the rest to the fastest nodes first, up to their capacity at their
 * position, minimises it exactly (each extra layer costs its node's {@code t_i}, independently of the others). The RTT
 * part is the shortest Hamiltonian path from f to l through S, which Held-Karp gives for all (S, f, l) in
 * {@code O(2^n · n³)}. The answer is the least sum over all (S, f, l): exact, and used for pools up to
 * {@link #EXACT_NODES} nodes (about 10 ms at 12 on one core).
 *
 * <p>Beyond that, a heuristic: the exact search over the {@link #EXACT_NODES} nodes of least per-layer time; if they
 * cannot hold the model, the fastest nodes that can, each tried as the first stage, the rest in nearest-neighbour
 * order by RTT, layers to the fastest first.
 */
final class LatencySearch {

    /** The largest pool searched exactly. */
    static final int EXACT_NODES = 12;

    private LatencySearch() {}

    /** {nodes, layer counts} of the least-latency pipeline over {@code pool}, or null when none fits. */
    static int[][] best(Problem problem, int[] pool) {
        if (pool.length <= EXACT_NODES) {
            return exact(problem, pool);
        }
        int[] fastest = IntStream.of(pool).boxed().sorted(Comparator.comparingDouble(problem::layerMs)
                .thenComparingInt(i -> -problem.capacity(i, false, false))).mapToInt(Integer::intValue).toArray();
        int[][] found = exact(problem, Arrays.copyOf(fastest, EXACT_NODES));
        if (found != null) {
            return found;
        }
        return chained(problem, fastest);
    }

    static int[][] exact(Problem problem, int[] pool) {
        int n = pool.length;
        int layers = problem.layers();
        if (n == 0) {
            return null;
        }
        double[] t = new double[n];
        int[] capFirst = new int[n];
        int[] capLast = new int[n];
        int[] capMiddle = new int[n];
        for (int k = 0; k < n; k++) {
            t[k] = problem.layerMs(pool[k]);
            capFirst[k] = problem.capacity(pool[k], true, false);
            capLast[k] = problem.capacity(pool[k], false, true);
            capMiddle[k] = problem.capacity(pool[k], false, false);
        }
        Integer[] byTime = IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble(k -> t[k]))
                .toArray(Integer[]::new);
        double bestCost = Double.POSITIVE_INFINITY;
        int bestSet = -1;
        int bestFirst = -1;
        int bestLast = -1;
        for (int k = 0; k < n; k++) {
            if (problem.capacity(pool[k], true, true) >= layers && layers * t[k] < bestCost) {
                bestCost = layers * t[k];
                bestSet = 1 << k;
                bestFirst = k;
                bestLast = k;
            }
        }
        int full = 1 << n;
        double[][][] path = new double[n][][]; // path[f][S][v]: least RTT from f through exactly S, ending at v
        byte[][][] before = new byte[n][][];
        for (int f = 0; f < n; f++) {
            double[][] d = new double[full][];
            byte[][] p = new byte[full][];
            d[1 << f] = new double[n];
            Arrays.fill(d[1 << f], Double.POSITIVE_INFINITY);
            d[1 << f][f] = 0;
            for (int set = 1; set < full; set++) {
                if (d[set] == null) {
                    continue;
                }
                for (int v = 0; v < n; v++) {
                    double here = d[set][v];
                    if (here == Double.POSITIVE_INFINITY) {
                        continue;
                    }
                    for (int w = 0; w < n; w++) {
                        if ((set & (1 << w)) != 0) {
                            continue;
                        }
                        int next = set | (1 << w);
                        if (d[next] == null) {
                            d[next] = new double[n];
                            Arrays.fill(d[next], Double.POSITIVE_INFINITY);
                            p[next] = new byte[n];
                        }
                        double via = here + problem.rttMs(pool[v], pool[w]);
                        if (via < d[next][w]) {
                            d[next][w] = via;
                            p[next][w] = (byte) v;
                        }
                    }
                }
            }
            path[f] = d;
            before[f] = p;
        }
        for (int set = 1; set < full; set++) {
            int size = Integer.bitCount(set);
            if (size < 2 || size > layers) {
                continue;
            }
            for (int f = 0; f < n; f++) {
                if ((set & (1 << f)) == 0 || capFirst[f] < 1) {
                    continue;
                }
                double[] ends = path[f][set];
                for (int l = 0; l < n; l++) {
                    if (l == f || (set & (1 << l)) == 0 || capLast[l] < 1 || ends[l] >= bestCost) {
                        continue;
                    }
                    double cost = ends[l] + fill(set, f, l, t, capFirst, capLast, capMiddle, byTime, layers, null);
                    if (cost < bestCost) {
                        bestCost = cost;
                        bestSet = set;
                        bestFirst = f;
                        bestLast = l;
                    }
                }
            }
        }
        if (bestSet < 0) {
            return null;
        }
        if (bestFirst == bestLast) {
            return new int[][] {{pool[bestFirst]}, {layers}};
        }
        List<Integer> order = new ArrayList<>();
        int set = bestSet;
        int v = bestLast;
        while (v != bestFirst) {
            order.add(0, v);
            int prev = before[bestFirst][set][v];
            set &= ~(1 << v);
            v = prev;
        }
        order.add(0, bestFirst);
        int[] counts = new int[n];
        fill(bestSet, bestFirst, bestLast, t, capFirst, capLast, capMiddle, byTime, layers, counts);
        return new int[][] {order.stream().mapToInt(k -> pool[k]).toArray(),
                order.stream().mapToInt(k -> counts[k]).toArray()};
    }

    /**
     * The least {@code Σ n_k · t_k} over set members (first f, last l), each at least 1 and within its capacity; the
     * counts go to {@code counts} when not null. Infinite when they cannot hold the layers.
     */
    private static double fill(int set, int f, int l, double[] t, int[] capFirst, int[] capLast, int[] capMiddle,
            Integer[] byTime, int layers, int[] counts) {
        int left = layers - Integer.bitCount(set);
        double cost = 0;
        for (int k : byTime) {
            if ((set & (1 << k)) == 0) {
                continue;
            }
            int cap = k == f ? capFirst[k] : k == l ? capLast[k] : capMiddle[k];
            if (cap < 1) {
                return Double.POSITIVE_INFINITY;
            }
            int extra = Math.min(cap - 1, left);
            left -= extra;
            cost += (1 + extra) * t[k];
            if (counts != null) {
                counts[k] = 1 + extra;
            }
        }
        return left > 0 ? Double.POSITIVE_INFINITY : cost;
    }

    /** The heuristic beyond the exact size: a nearest-neighbour chain over the fewest fastest nodes that hold it. */
    private static int[][] chained(Problem problem, int[] fastest) {
        int layers = problem.layers();
        double bestCost = Double.POSITIVE_INFINITY;
        int[][] best = null;
        for (int size = EXACT_NODES + 1; size <= fastest.length && best == null; size++) {
            int[] pool = Arrays.copyOf(fastest, size);
            for (int first : pool) {
                List<Integer> order = new ArrayList<>(List.of(first));
                List<Integer> left = new ArrayList<>(IntStream.of(pool).boxed().filter(i -> i != first).toList());
                while (!left.isEmpty()) {
                    int at = order.get(order.size() - 1);
                    int next = left.stream().min(Comparator.comparingDouble(i -> problem.rttMs(at, i))).orElseThrow();
                    left.remove(Integer.valueOf(next));
                    order.add(next);
                }
                int[] nodes = order.stream().mapToInt(Integer::intValue).toArray();
                int[] counts = fillInOrder(problem, nodes, layers);
                if (counts == null) {
                    continue;
                }
                double cost = problem.pipeline(nodes, counts).latencyMs();
                if (cost < bestCost) {
                    bestCost = cost;
                    best = new int[][] {nodes, counts};
                }
            }
        }
        return best;
    }

    /** Counts for a fixed order, one layer each and the rest fastest first; null when it cannot hold the model. */
    private static int[] fillInOrder(Problem problem, int[] nodes, int layers) {
        int n = nodes.length;
        if (n > layers) {
            return null;
        }
        int[] counts = new int[n];
        int left = layers - n;
        Integer[] byTime = IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble(k -> problem.layerMs(nodes[k])))
                .toArray(Integer[]::new);
        for (int k : byTime) {
            int cap = problem.capacity(nodes[k], k == 0, k == n - 1);
            if (cap < 1) {
                return null;
            }
            int extra = Math.min(cap - 1, left);
            counts[k] = 1 + extra;
            left -= extra;
        }
        return left > 0 ? null : counts;
    }
}
