package dev.maze.placement;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The figures the searches read for a pool of nodes, by member position {@code 0 .. size() - 1} ({@code node(k)} is
 * the problem's index): per-layer time and layer capacity at each position in a pipeline, members by time.
 */
final class Pool {

    final Problem problem;
    final int[] nodes;
    final double[] t;
    final int[] capFirst;
    final int[] capLast;
    final int[] capMiddle;
    final int[] capAlone;
    /** Members from the least per-layer time; ties by position. */
    final int[] byTime;

    Pool(Problem problem, int[] nodes) {
        this.problem = problem;
        this.nodes = nodes;
        int n = nodes.length;
        t = new double[n];
        capFirst = new int[n];
        capLast = new int[n];
        capMiddle = new int[n];
        capAlone = new int[n];
        for (int k = 0; k < n; k++) {
            t[k] = problem.layerMs(nodes[k]);
            capFirst[k] = problem.capacity(nodes[k], true, false);
            capLast[k] = problem.capacity(nodes[k], false, true);
            capMiddle[k] = problem.capacity(nodes[k], false, false);
            capAlone[k] = problem.capacity(nodes[k], true, true);
        }
        byTime = IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble((Integer k) -> t[k]))
                .mapToInt(Integer::intValue).toArray();
    }

    int size() {
        return nodes.length;
    }

    /** Layers member k may take at a position of capacity {@code cap} without exceeding {@code bottleneck}. */
    int within(int k, int cap, double bottleneck) {
        // The tolerance keeps n · t / t from flooring to n - 1.
        return bottleneck == Double.POSITIVE_INFINITY ? cap
                : (int) Math.min(cap, Math.floor(bottleneck / t[k] * (1 + 1e-12) + 1e-9));
    }

    /**
     * The least stage sum {@code Σ n_k · t_k} over the members of {@code set} (first f, last l; f ≠ l), each at least
     * one layer and within its capacity there and {@code bottleneck} (infinite for none): one layer each and the rest
     * to the fastest first, which is exact because each extra layer costs its own node's t alone. The counts go to
     * {@code counts} (by member) when not null. Infinite when they cannot hold the model.
     */
    double fill(int set, int f, int l, double bottleneck, int[] counts) {
        int left = problem.layers() - Integer.bitCount(set);
        double cost = 0;
        for (int k : byTime) {
            if ((set & (1 << k)) == 0) {
                continue;
            }
            int cap = within(k, k == f ? capFirst[k] : k == l ? capLast[k] : capMiddle[k], bottleneck);
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

    /** {nodes, counts} of the pipeline through the members in {@code order} with counts by member. */
    int[][] chain(int[] order, int[] counts) {
        return new int[][] {IntStream.of(order).map(k -> nodes[k]).toArray(),
                IntStream.of(order).map(k -> counts[k]).toArray()};
    }
}
