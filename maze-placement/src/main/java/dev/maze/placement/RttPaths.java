package dev.maze.placement;

import java.util.Arrays;

/**
 * Held-Karp over a pool of at most {@value LatencySearch#EXACT_NODES} nodes: for every first node f, set S containing
 * it and last node l in S, the least RTT of a path from f through exactly the nodes of S ending at l, and that path.
 * O(2^n · n³) time, O(2^n · n²) space; both allocators that need an exact order by RTT read it ({@link LatencySearch},
 * {@link ReplicaSearch}). Members are positions {@code 0 .. pool.length - 1}; sets are bit masks over them.
 */
final class RttPaths {

    private final double[][][] least; // [f][set][l]; null rows for sets without f
    private final byte[][][] before;

    RttPaths(Problem problem, int[] pool) {
        int n = pool.length;
        int full = 1 << n;
        least = new double[n][][];
        before = new byte[n][][];
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
            least[f] = d;
            before[f] = p;
        }
    }

    /** The least RTT from f through exactly {@code set} to l; infinite when f or l is not in it. */
    double rtt(int f, int set, int l) {
        double[] row = least[f][set];
        return row == null ? Double.POSITIVE_INFINITY : row[l];
    }

    /** The members of {@code set} in the order of that least path, f first and l last. */
    int[] order(int f, int set, int l) {
        int[] order = new int[Integer.bitCount(set)];
        int k = order.length - 1;
        int v = l;
        while (v != f) {
            order[k--] = v;
            int prev = before[f][set][v];
            set &= ~(1 << v);
            v = prev;
        }
        order[0] = f;
        return order;
    }
}
