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
 * part is the shortest Hamiltonian path from f to l through S, which Held-Karp ({@link RttPaths}) gives for all
 * (S, f, l) in {@code O(2^n · n³)}. The answer is the least sum over all (S, f, l): exact, and used for pools up to
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
        Pool members = new Pool(problem, pool);
        double bestCost = Double.POSITIVE_INFINITY;
        int bestSet = -1;
        int bestFirst = -1;
        int bestLast = -1;
        for (int k = 0; k < n; k++) {
            if (members.capAlone[k] >= layers && layers * members.t[k] < bestCost) {
                bestCost = layers * members.t[k];
                bestSet = 1 << k;
                bestFirst = k;
                bestLast = k;
            }
        }
        int full = 1 << n;
        RttPaths paths = new RttPaths(problem, pool);
        for (int set = 1; set < full; set++) {
            int size = Integer.bitCount(set);
            if (size < 2 || size > layers) {
                continue;
            }
            for (int f = 0; f < n; f++) {
                if ((set & (1 << f)) == 0 || members.capFirst[f] < 1) {
                    continue;
                }
                for (int l = 0; l < n; l++) {
                    double rtt = paths.rtt(f, set, l);
                    if (l == f || (set & (1 << l)) == 0 || members.capLast[l] < 1 || rtt >= bestCost) {
                        continue;
                    }
                    double cost = rtt + members.fill(set, f, l, Double.POSITIVE_INFINITY, null);
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
        int[] order = paths.order(bestFirst, bestSet, bestLast);
        int[] counts = new int[n];
        members.fill(bestSet, bestFirst, bestLast, Double.POSITIVE_INFINITY, counts);
        return members.chain(order, counts);
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
