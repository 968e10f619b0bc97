package dev.maze.offline;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * {@code dynamic}: the seed's "optimised" strategy. Tasks in order of topological level with a small random tie-break;
 * each goes to the GPU group (consecutive GPUs for a multi-GPU model) that minimises its completion time plus 0.1 × the
 * group's busy time so far (spreading work), appended after the group's last task.
 */
final class DynamicStrategy implements Strategy {

    /** Weight of a GPU's busy time against completion time. */
    static final double BALANCE = 0.1;

    @Override
    public String name() {
        return "dynamic";
    }

    @Override
    public String description() {
        return "the seed's: level order with a random tie-break, earliest completion + 0.1 x busy time, no insertion";
    }

    @Override
    public Plan plan(Problem problem, Budget budget) {
        int[] level = Levels.topological(problem);
        Random random = new Random(budget.seed());
        double[] tieBreak = IntStream.range(0, problem.size()).mapToDouble(i -> random.nextDouble()).toArray();
        Integer[] order = IntStream.range(0, problem.size()).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(order, Comparator.<Integer>comparingInt(i -> level[i]).thenComparingDouble(i -> tieBreak[i]));
        Timelines timelines = new Timelines(problem);
        for (int task : order) {
            double ready = timelines.ready(task);
            int k = problem.gpusNeeded(task);
            int bestGpu = -1;
            double bestStart = 0;
            double bestScore = Double.POSITIVE_INFINITY;
            for (int g = 0; g + k <= problem.gpus(); g++) {
                double start = timelines.earliestStart(task, g, ready, false);
                double busy = 0;
                for (int h = g; h < g + k; h++) {
                    busy = Math.max(busy, timelines.busySeconds(h));
                }
                double score = start + problem.seconds(task) + BALANCE * busy;
                if (score < bestScore) {
                    bestScore = score;
                    bestGpu = g;
                    bestStart = start;
                }
            }
            timelines.place(task, bestGpu, bestStart);
        }
        return timelines.plan(name());
    }
}
