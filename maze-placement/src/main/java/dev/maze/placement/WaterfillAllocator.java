package dev.maze.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Parallax's proportional water-filling, for comparison: over every node in order of capability (for
 * {@code replicas}: over each of greedy's pipelines), node k gets
 * {@code min(cap_k, λ · TFLOPS_k)} layers with λ such that these sum to the model's layers, rounded to whole layers
 * by largest remainder within the capacities. A node rounded to no layer leaves the pipeline. It splits by compute
 * alone, so it loses where stages are memory-bound or capacity-bound (maze-placement/README.md, "Measured").
 */
final class WaterfillAllocator implements LayerAllocator {

    @Override
    public String name() {
        return "waterfill";
    }

    @Override
    public String description() {
        return "Parallax's water-filling: layers in proportion to TFLOPS, within capacity";
    }

    @Override
    public Allocation allocate(Problem problem, Objective objective) {
        String why = problem.infeasibility();
        if (why != null) {
            return Allocation.none(name(), objective, why);
        }
        List<Pipeline> pipelines = new ArrayList<>();
        List<int[][]> chains = objective == Objective.REPLICAS ? GreedyAllocator.chains(problem, true)
                : List.<int[][]>of(new int[][] {GreedyAllocator.byCapability(problem).stream().mapToInt(Integer::intValue)
                        .toArray(), null});
        for (int[][] chain : chains) {
            if (chain[1] == null) { // one pipeline over every node: fill it, or fall back to greedy's
                int[][] filled = waterfill(problem, chain[0]);
                int[][] greedy = GreedyAllocator.chains(problem, false).stream().findFirst().orElse(null);
                if (filled != null) {
                    pipelines.add(problem.pipeline(filled[0], filled[1]));
                } else if (greedy != null) {
                    pipelines.add(problem.pipeline(greedy[0], greedy[1]));
                }
                continue;
            }
            int[][] filled = waterfill(problem, chain[0]);
            pipelines.add(filled == null ? problem.pipeline(chain[0], chain[1]) : problem.pipeline(filled[0], filled[1]));
        }
        return pipelines.isEmpty() ? Allocation.none(name(), objective,
                "filling the nodes in order of capability strands the last layers (no node left holds them with the "
                        + "LM head), although a pipeline exists: try --allocator dp")
                : new Allocation(name(), objective, pipelines, null);
    }

    /** {nodes, counts} water-filled over {@code nodes} in order; null when dropping a node left too little room. */
    static int[][] waterfill(Problem problem, int[] given) {
        int[] nodes = given.clone();
        while (true) {
            int n = nodes.length;
            int layers = problem.layers();
            double[] cap = new double[n];
            double[] speed = new double[n];
            double total = 0;
            for (int k = 0; k < n; k++) {
                cap[k] = problem.capacity(nodes[k], k == 0, k == n - 1);
                speed[k] = problem.node(nodes[k]).gpus() * problem.node(nodes[k]).tflops();
                total += cap[k];
            }
            if (total < layers) {
                return null;
            }
            double lambda = lambda(cap, speed, layers);
            int[] counts = largestRemainder(cap, speed, lambda, layers);
            int zero = IntStream.range(0, n).filter(k -> counts[k] == 0).findFirst().orElse(-1);
            if (zero < 0) {
                return new int[][] {nodes, counts};
            }
            int[] fewer = new int[n - 1];
            for (int k = 0, j = 0; k < n; k++) {
                if (k != zero) {
                    fewer[j++] = nodes[k];
                }
            }
            nodes = fewer;
        }
    }

    /** λ with {@code Σ min(cap_k, λ · speed_k) = layers}, by bisection (the sum grows with λ). */
    static double lambda(double[] cap, double[] speed, int layers) {
        double low = 0;
        double high = 1;
        while (filled(cap, speed, high) < layers) {
            high *= 2;
        }
        for (int iteration = 0; iteration < 200; iteration++) {
            double mid = (low + high) / 2;
            if (filled(cap, speed, mid) < layers) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return high;
    }

    private static double filled(double[] cap, double[] speed, double lambda) {
        double sum = 0;
        for (int k = 0; k < cap.length; k++) {
            sum += Math.min(cap[k], lambda * speed[k]);
        }
        return sum;
    }

    /** Whole layers: each share's floor, then one more to the largest remainders (within capacity) until they sum. */
    private static int[] largestRemainder(double[] cap, double[] speed, double lambda, int layers) {
        int n = cap.length;
        double[] share = new double[n];
        int[] counts = new int[n];
        int sum = 0;
        for (int k = 0; k < n; k++) {
            share[k] = Math.min(cap[k], lambda * speed[k]);
            counts[k] = (int) Math.min(cap[k], Math.floor(share[k] + 1e-9));
            sum += counts[k];
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(k -> -(share[k] - Math.floor(share[k] + 1e-9)))
                .thenComparingInt(k -> k));
        while (sum < layers) {
            boolean added = false;
            for (int k : order) {
                if (sum < layers && counts[k] < cap[k]) {
                    counts[k]++;
                    sum++;
                    added = true;
                }
            }
            if (!added) {
                break; // cannot happen: the capacities sum to at least the layers
            }
        }
        while (sum > layers) { // a share rounded up past the total by the tolerance: take it back from the smallest
            int k = IntStream.range(0, n).filter(j -> counts[j] > 0).boxed()
                    .min(Comparator.comparingDouble(j -> share[j] - Math.floor(share[j]))).orElseThrow();
            counts[k]--;
            sum--;
        }
        return counts;
    }
}
