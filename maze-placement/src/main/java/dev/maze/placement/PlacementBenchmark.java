package dev.maze.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The figures of maze-placement/README.md, "Measured": the dp allocator's time on a large cluster, and the baselines'
 * bottleneck against dp's on generated heterogeneous clusters. Everything is seeded; times depend on the machine.
 */
public final class PlacementBenchmark {

    /** GPUs the generator draws from: name, dense bf16 TFLOPS, GB, memory GB/s. */
    private static final Object[][] GPUS = {
        {"h100", 989.0, 80.0, 3350.0}, {"a100-80g", 312.0, 80.0, 2039.0}, {"a100-40g", 312.0, 40.0, 1555.0},
        {"l40s", 362.0, 48.0, 864.0}, {"rtx4090", 165.0, 24.0, 1008.0}, {"rtx3090", 71.0, 24.0, 936.0},
        {"a10", 125.0, 24.0, 600.0}};

    /** The largest cluster dp solves exactly for latency and replicas. */
    public static final int EXACT_NODES = LatencySearch.EXACT_NODES;

    private PlacementBenchmark() {}

    /** A 70B-class model (Llama-3-70B in bf16, as examples/place/llama-70b.yaml). */
    public static LayerModel llama70b() {
        return new LayerModel("llama-70b", 80, 1.71, 1.711, 2.1, 2.1, false, 4.096, 16.384);
    }

    /**
     * {@code nodes} nodes of 1, 2, 4 or 8 GPUs of one kind drawn from the catalogue, 90% of memory for weights, RTTs
     * of 0.2-5 ms.
     */
    public static Cluster cluster(long seed, int nodes) {
        Random random = new Random(seed);
        List<Node> list = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            Object[] gpu = GPUS[random.nextInt(GPUS.length)];
            int count = 1 << random.nextInt(4);
            list.add(new Node("n" + i + "-" + count + "x" + gpu[0], count, (double) gpu[1], (double) gpu[2],
                    (double) gpu[3], Map.of(), 0.9, 0.1, 0, 0, 0));
        }
        // RTTs drawn apart from the GPUs, so that a cluster of n + 1 nodes starts with the same n GPUs
        List<Node> withRtt = new ArrayList<>();
        Random rtts = new Random(seed * 31 + 7);
        for (int i = 0; i < list.size(); i++) {
            Map<String, Double> rtt = new LinkedHashMap<>();
            for (int j = 0; j < i; j++) {
                rtt.put(list.get(j).id(), Math.round((0.2 + rtts.nextDouble() * 4.8) * 10) / 10.0);
            }
            withRtt.add(list.get(i).withRtt(rtt));
        }
        return new Cluster(withRtt, null);
    }

    /** Milliseconds per dp run for the objective: the median of {@code runs} after as many warm-ups. */
    public static double dpMillis(Problem problem, Objective objective, int runs) {
        LayerAllocator dp = Allocators.named("dp");
        double[] times = new double[runs];
        for (int i = 0; i < 2 * runs; i++) {
            long began = System.nanoTime();
            Allocation allocation = dp.allocate(problem, objective);
            long took = System.nanoTime() - began;
            if (!allocation.feasible()) {
                throw new IllegalStateException("the generated cluster cannot hold the model: " + allocation.infeasible());
            }
            if (i >= runs) {
                times[i - runs] = took / 1e6;
            }
        }
        Arrays.sort(times);
        return times[runs / 2];
    }

    /**
     * One allocator against dp on one objective over generated clusters.
     *
     * @param meanRatio the mean of (its figure / dp's): bottleneck for throughput, latency for latency, dp's tokens/s
     *     over its for replicas, so above 1 is always worse
     * @param worstRatio the largest such ratio
     * @param failed clusters where it found no pipeline although dp did
     */
    public record Comparison(String allocator, String objective, int clusters, double meanRatio, double worstRatio,
            int failed) {}

    /** Every allocator against dp on each objective, over seeds 1..{@code seeds} at each cluster size. */
    public static List<Comparison> compare(int seeds, int[] sizes) {
        List<Comparison> rows = new ArrayList<>();
        for (Objective objective : Objective.values()) {
            for (LayerAllocator allocator : Allocators.all()) {
                if (allocator.name().equals("dp")) {
                    continue;
                }
                double sum = 0;
                double worst = 0;
                int counted = 0;
                int failed = 0;
                for (int size : sizes) {
                    for (long seed = 1; seed <= seeds; seed++) {
                        Problem problem = Problem.of(llama70b(), cluster(seed * 1000 + size, size));
                        Allocation dp = Allocators.named("dp").allocate(problem, objective);
                        if (!dp.feasible()) {
                            continue;
                        }
                        Allocation other = allocator.allocate(problem, objective);
                        if (!other.feasible()) {
                            failed++;
                            continue;
                        }
                        double ratio = switch (objective) {
                            case THROUGHPUT -> other.bottleneckMs() / dp.bottleneckMs();
                            case LATENCY -> other.latencyMs() / dp.latencyMs();
                            case REPLICAS -> dp.throughputTokensPerSec() / other.throughputTokensPerSec();
                        };
                        sum += ratio;
                        worst = Math.max(worst, ratio);
                        counted++;
                    }
                }
                rows.add(new Comparison(allocator.name(), objective.label(), counted, counted == 0 ? Double.NaN
                        : sum / counted, worst, failed));
            }
        }
        return rows;
    }

    /**
     * The replicas heuristic (what dp uses beyond {@value LatencySearch#EXACT_NODES} nodes) against the exact search on
     * generated clusters of {@code sizes} nodes (each at most that), seeds 1..{@code seeds}: {mean, worst} of the exact
     * tokens/s over the heuristic's, so 1 means it found the optimum.
     */
    public static double[] replicaHeuristicGap(int seeds, int[] sizes) {
        double sum = 0;
        double worst = 1;
        int counted = 0;
        for (int size : sizes) {
            for (long seed = 1; seed <= seeds; seed++) {
                Problem problem = Problem.of(llama70b(), cluster(seed * 1000 + size, size));
                double exact = tokensPerSec(problem, ReplicaSearch.exact(problem));
                if (exact > 0) {
                    double ratio = exact / tokensPerSec(problem, ReplicaSearch.heuristic(problem));
                    sum += ratio;
                    worst = Math.max(worst, ratio);
                    counted++;
                }
            }
        }
        return new double[] {counted == 0 ? Double.NaN : sum / counted, worst};
    }

    /** Tokens per second of the pipelines given as {nodes, counts} each. */
    static double tokensPerSec(Problem problem, List<int[][]> chains) {
        return chains.stream().mapToDouble(c -> problem.pipeline(c[0], c[1]).tokensPerSec()).sum();
    }
}
