package dev.maze.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The seed's greedy allocator, a baseline: nodes sorted by capability (TFLOPS of the node, then weight memory), each
 * filled with as many layers as it holds, in that order, until the model is covered. For {@code replicas} it goes on
 * building pipelines from the nodes left until they no longer hold a whole model; otherwise it stops at one. It reads
 * neither RTTs nor memory bandwidth.
 */
final class GreedyAllocator implements LayerAllocator {

    @Override
    public String name() {
        return "greedy";
    }

    @Override
    public String description() {
        return "the seed's baseline: nodes by capability, each filled in order";
    }

    @Override
    public Allocation allocate(Problem problem, Objective objective) {
        String why = problem.infeasibility();
        if (why != null) {
            return Allocation.none(name(), objective, why);
        }
        List<Pipeline> pipelines = new ArrayList<>();
        for (int[][] chain : chains(problem, objective == Objective.REPLICAS)) {
            pipelines.add(problem.pipeline(chain[0], chain[1]));
        }
        return pipelines.isEmpty() ? Allocation.none(name(), objective,
                "filling the nodes in order of capability strands the last layers (no node left holds them with the "
                        + "LM head), although a pipeline exists: try --allocator dp")
                : new Allocation(name(), objective, pipelines, null);
    }

    /** The nodes by capability: TFLOPS of the whole node, then its weight memory, then id. */
    static List<Integer> byCapability(Problem problem) {
        return IntStream.range(0, problem.size()).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -problem.node(i).gpus() * problem.node(i).tflops())
                        .thenComparingDouble(i -> -problem.node(i).weightMemoryGb())
                        .thenComparing(i -> problem.node(i).id()))
                .toList();
    }

    /** Greedy pipelines as {nodes, layer counts}: one, or as many as the nodes hold when {@code all}. */
    static List<int[][]> chains(Problem problem, boolean all) {
        List<Integer> pool = new ArrayList<>(byCapability(problem));
        List<int[][]> chains = new ArrayList<>();
        while (true) {
            int[][] chain = fill(problem, pool);
            if (chain == null) {
                return chains;
            }
            chains.add(chain);
            for (int i : chain[0]) {
                pool.remove(Integer.valueOf(i));
            }
            if (!all) {
                return chains;
            }
        }
    }

    /** One pipeline filled from {@code pool} in order, or null when the pool cannot cover the model. */
    private static int[][] fill(Problem problem, List<Integer> pool) {
        List<Integer> nodes = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        int remaining = problem.layers();
        for (int i : pool) {
            boolean first = nodes.isEmpty();
            if (problem.capacity(i, first, true) >= remaining) {
                nodes.add(i);
                counts.add(remaining);
                return new int[][] {nodes.stream().mapToInt(Integer::intValue).toArray(),
                        counts.stream().mapToInt(Integer::intValue).toArray()};
            }
            // Not the last: leave at least one layer for a node that can hold the LM head.
            int take = Math.min(problem.capacity(i, first, false), remaining - 1);
            if (take > 0) {
                nodes.add(i);
                counts.add(take);
                remaining -= take;
            }
        }
        return null;
    }
}
