package dev.maze.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The one pipeline with the least bottleneck stage time over a pool of nodes, exactly (maze-placement/README.md,
 * "dp, throughput").
 *
 * <p>The optimum is {@code n · t_i} for some node i and layer count n, so it searches those {@code nodes × layers}
 * values. A bottleneck B is reachable iff some first node f and last node l (or one node alone) leave enough room:
 * with {@code k_i(B) = min(capacity_i, floor(B / t_i))} layers per node at its position,
 * {@code kFirst_f + kLast_l + Σ_{others} kMiddle ≥ layers} — every node may take fewer layers than it could, or none
 * (it is left out), so more room never hurts. Reachability grows with B, so a binary search over the sorted values
 * finds the least. O(n·L·log(n·L) + n²·log(n·L)) for n nodes and L layers.
 */
final class BottleneckSearch {

    private BottleneckSearch() {}

    /** {nodes, layer counts} of the best pipeline over {@code pool} (indexes into the problem), or null if none fits. */
    static int[][] best(Problem problem, int[] pool) {
        int n = pool.length;
        int layers = problem.layers();
        if (n == 0) {
            return null;
        }
        double[] values = new double[n * layers];
        for (int k = 0; k < n; k++) {
            double t = problem.layerMs(pool[k]);
            for (int count = 1; count <= layers; count++) {
                values[k * layers + count - 1] = count * t;
            }
        }
        Arrays.sort(values);
        Room room = new Room(problem, pool);
        if (!room.reachable(values[values.length - 1])) {
            return null;
        }
        int low = 0;
        int high = values.length - 1; // reachable
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (room.reachable(values[mid])) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return room.build(values[high]);
    }

    /** The layers each node of a pool can take at each position under a bottleneck. */
    private static final class Room {
        final Problem problem;
        final int[] pool;
        final Pool members;
        final double[] t;
        final int[] capFirst;
        final int[] capLast;
        final int[] capMiddle;
        final int[] capAlone;

        Room(Problem problem, int[] pool) {
            this.problem = problem;
            this.pool = pool;
            members = new Pool(problem, pool);
            t = members.t;
            capFirst = members.capFirst;
            capLast = members.capLast;
            capMiddle = members.capMiddle;
            capAlone = members.capAlone;
        }

        /** Layers node k may take at a position with capacity {@code cap} without exceeding {@code bottleneck}. */
        int within(int k, int cap, double bottleneck) {
            return members.within(k, cap, bottleneck);
        }

        boolean reachable(double bottleneck) {
            return choose(bottleneck) != null;
        }

        /** {f, l} (equal for one node alone) that cover the layers within {@code bottleneck}, or null. */
        int[] choose(double bottleneck) {
            int n = pool.length;
            int layers = problem.layers();
            int[] alone = null;
            for (int k = 0; k < n; k++) {
                if (within(k, capAlone[k], bottleneck) >= layers
                        && (alone == null || t[k] < t[alone[0]])) {
                    alone = new int[] {k, k};
                }
            }
            if (alone != null) {
                return alone; // one node: no RTT at all, and no worse bottleneck
            }
            long middle = 0;
            int[] mid = new int[n];
            for (int k = 0; k < n; k++) {
                mid[k] = within(k, capMiddle[k], bottleneck);
                middle += mid[k];
            }
            int[] best = null;
            long bestEnds = -1;
            double bestRtt = Double.POSITIVE_INFINITY;
            for (int f = 0; f < n; f++) {
                int first = within(f, capFirst[f], bottleneck);
                if (first < 1) {
                    continue;
                }
                for (int l = 0; l < n; l++) {
                    int last = within(l, capLast[l], bottleneck);
                    if (l == f || last < 1 || first + last + middle - mid[f] - mid[l] < layers) {
                        continue;
                    }
                    // Among the pairs that reach, the one holding most itself needs fewest middle nodes (fewer hops).
                    long ends = first + last;
                    double rtt = problem.rttMs(pool[f], pool[l]);
                    if (ends > bestEnds || (ends == bestEnds && rtt < bestRtt)) {
                        best = new int[] {f, l};
                        bestEnds = ends;
                        bestRtt = rtt;
                    }
                }
            }
            return best;
        }

        int[][] build(double bottleneck) {
            int layers = problem.layers();
            int[] ends = choose(bottleneck);
            int f = ends[0];
            int l = ends[1];
            if (f == l) {
                return new int[][] {{pool[f]}, {layers}};
            }
            int first = Math.min(within(f, capFirst[f], bottleneck), layers - 1);
            int last = Math.min(within(l, capLast[l], bottleneck), layers - first);
            int need = layers - first - last;
            List<int[]> middles = new ArrayList<>(); // {k, count}
            if (need > 0) {
                List<Integer> others = new ArrayList<>();
                for (int k = 0; k < pool.length; k++) {
                    if (k != f && k != l && within(k, capMiddle[k], bottleneck) > 0) {
                        others.add(k);
                    }
                }
                others.sort(Comparator.comparingInt((Integer k) -> -within(k, capMiddle[k], bottleneck))
                        .thenComparingDouble(k -> t[k]));
                for (int k : others) {
                    if (need == 0) {
                        break;
                    }
                    int take = Math.min(need, within(k, capMiddle[k], bottleneck));
                    middles.add(new int[] {k, take});
                    need -= take;
                }
            }
            List<int[]> ordered = nearestNeighbour(f, middles);
            int size = ordered.size() + 2;
            int[] nodes = new int[size];
            int[] counts = new int[size];
            nodes[0] = pool[f];
            counts[0] = first;
            for (int s = 0; s < ordered.size(); s++) {
                nodes[s + 1] = pool[ordered.get(s)[0]];
                counts[s + 1] = ordered.get(s)[1];
            }
            nodes[size - 1] = pool[l];
            counts[size - 1] = last;
            return new int[][] {nodes, counts};
        }

        /** The middle stages in nearest-neighbour order by RTT from the first: fewer slow hops, same bottleneck. */
        private List<int[]> nearestNeighbour(int from, List<int[]> middles) {
            List<int[]> left = new ArrayList<>(middles);
            List<int[]> ordered = new ArrayList<>();
            int at = from;
            while (!left.isEmpty()) {
                int current = at;
                int[] next = left.stream().min(Comparator.comparingDouble(m -> problem.rttMs(pool[current], pool[m[0]])))
                        .orElseThrow();
                left.remove(next);
                ordered.add(next);
                at = next[0];
            }
            return ordered;
        }
    }
}
