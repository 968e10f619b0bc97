package dev.maze.offline;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * {@code heft}: classic HEFT (Topcuoglu, Hariri and Wu, 2002) on this model. Upward rank from execution times (GPUs
 * are identical, so the mean time is the time; there are no communication costs); tasks by decreasing rank, ties by
 * index (a topological order: a predecessor's rank is at least its successor's, and its index is lower); each on the
 * GPU group (consecutive GPUs for a k-GPU model) giving the earliest finish with insertion into idle gaps. Switch
 * costs enter only through {@link Timelines}: a gap must fit the switch into the task and out of it to the next.
 * Ties between groups go to the lowest first GPU.
 */
final class HeftStrategy implements Strategy {

    @Override
    public String name() {
        return "heft";
    }

    @Override
    public String description() {
        return "classic HEFT: upward rank, insertion-based earliest finish time, switch costs in the gaps";
    }

    @Override
    public Plan plan(Problem problem, Budget budget) {
        return schedule(problem).plan(name());
    }

    static Timelines schedule(Problem problem) {
        double[] rank = Levels.upwardRank(problem);
        Integer[] order = IntStream.range(0, problem.size()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -rank[i]).thenComparingInt(i -> i));
        Timelines timelines = new Timelines(problem);
        for (int task : order) {
            double ready = timelines.ready(task);
            int k = problem.gpusNeeded(task);
            int bestGpu = -1;
            double bestStart = Double.POSITIVE_INFINITY;
            for (int g = 0; g + k <= problem.gpus(); g++) {
                double start = timelines.earliestStart(task, g, ready, true);
                if (start < bestStart - Verifier.EPSILON / 10) { // same task: earliest start is earliest finish
                    bestStart = start;
                    bestGpu = g;
                }
            }
            timelines.place(task, bestGpu, bestStart);
        }
        return timelines;
    }
}
