package dev.maze.placement;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small seeded instances for the property tests, and the exhaustive search they are checked against. */
final class RandomInstances {

    private RandomInstances() {}

    /** Up to {@code maxNodes} nodes of 1-2 GPUs and a model of 2-9 layers, sized so that some seeds do not fit. */
    static Problem problem(long seed, int maxNodes) {
        Random random = new Random(seed);
        int layers = 2 + random.nextInt(8);
        LayerModel model = new LayerModel("m" + seed, layers, 0.5 + random.nextDouble() * 2, 1.0,
                random.nextInt(4) * 0.5, random.nextInt(4) * 0.5, random.nextBoolean(), 0, 0);
        int n = 1 + random.nextInt(maxNodes);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Double> rtt = new LinkedHashMap<>();
            for (int j = 0; j < i; j++) {
                rtt.put("n" + j, (double) random.nextInt(6));
            }
            double bandwidth = random.nextBoolean() ? 0 : 200 + random.nextInt(800);
            double measured = random.nextInt(5) == 0 ? 0.1 + random.nextDouble() : 0;
            nodes.add(new Node("n" + i, 1 + random.nextInt(2), 1 + random.nextInt(20), 1 + random.nextInt(5),
                    bandwidth, rtt, 1, 0, measured, 0, 0));
        }
        return Problem.of(model, new Cluster(nodes, null));
    }

    /** Every valid pipeline: every order of every subset of nodes, every split of the layers within capacity. */
    static List<Pipeline> allPipelines(Problem problem) {
        List<Pipeline> all = new ArrayList<>();
        orders(problem, new ArrayList<>(), new boolean[problem.size()], all);
        return all;
    }

    private static void orders(Problem problem, List<Integer> order, boolean[] used, List<Pipeline> out) {
        if (!order.isEmpty()) {
            splits(problem, order, new int[order.size()], 0, problem.layers(), out);
        }
        for (int i = 0; i < problem.size(); i++) {
            if (!used[i]) {
                used[i] = true;
                order.add(i);
                orders(problem, order, used, out);
                order.remove(order.size() - 1);
                used[i] = false;
            }
        }
    }

    private static void splits(Problem problem, List<Integer> order, int[] counts, int k, int left, List<Pipeline> out) {
        int n = order.size();
        if (k == n) {
            if (left == 0) {
                out.add(problem.pipeline(order.stream().mapToInt(Integer::intValue).toArray(), counts.clone()));
            }
            return;
        }
        int cap = problem.capacity(order.get(k), k == 0, k == n - 1);
        for (int c = 1; c <= Math.min(cap, left - (n - k - 1)); c++) {
            counts[k] = c;
            splits(problem, order, counts, k + 1, left - c, out);
        }
    }
}
