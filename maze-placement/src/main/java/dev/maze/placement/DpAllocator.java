package dev.maze.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The optimising allocator: for {@code throughput} the exact least-bottleneck pipeline ({@link BottleneckSearch}), for
 * {@code latency} the exact least-latency pipeline up to {@value LatencySearch#EXACT_NODES} nodes and a heuristic
 * beyond ({@link LatencySearch}), for {@code replicas} disjoint pipelines for the most throughput within the latency
 * limit ({@link ReplicaSearch}).
 */
final class DpAllocator implements LayerAllocator {

    @Override
    public String name() {
        return "dp";
    }

    @Override
    public String description() {
        return "optimal for its objective: least bottleneck, least latency (exact to 12 nodes) or most replica throughput";
    }

    @Override
    public Allocation allocate(Problem problem, Objective objective) {
        String why = problem.infeasibility();
        if (why != null) {
            return Allocation.none(name(), objective, why);
        }
        int[] all = IntStream.range(0, problem.size()).toArray();
        List<int[][]> chains = new ArrayList<>();
        switch (objective) {
            case THROUGHPUT -> chains.add(BottleneckSearch.best(problem, all));
            case LATENCY -> chains.add(LatencySearch.best(problem, all));
            case REPLICAS -> chains.addAll(ReplicaSearch.best(problem));
        }
        chains.removeIf(java.util.Objects::isNull);
        if (chains.isEmpty()) {
            return Allocation.none(name(), objective, objective == Objective.REPLICAS
                    ? String.format(java.util.Locale.ROOT, "no pipeline meets the latency limit of %.1f ms (the "
                            + "least-latency pipeline takes %.1f ms)", problem.maxLatencyMs(),
                            leastLatency(problem, all))
                    : "no pipeline fits");
        }
        return new Allocation(name(), objective, chains.stream().map(c -> problem.pipeline(c[0], c[1])).toList(), null);
    }

    private static double leastLatency(Problem problem, int[] all) {
        int[][] chain = LatencySearch.best(problem, all);
        return chain == null ? Double.NaN : problem.pipeline(chain[0], chain[1]).latencyMs();
    }
}
