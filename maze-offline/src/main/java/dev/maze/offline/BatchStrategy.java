package dev.maze.offline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code batch}: the seed's first strategy. Tasks of the same model and topological level form a batch; batches in
 * order of level, larger first within a level; each batch goes to the GPU group that can start it soonest (free time
 * plus the switch to its model) and runs there serially, each task as soon as its predecessors have ended.
 */
final class BatchStrategy implements Strategy {

    @Override
    public String name() {
        return "batch";
    }

    @Override
    public String description() {
        return "the seed's first: same-model batches by level, larger first, each on the cheapest GPU, run serially";
    }

    @Override
    public Plan plan(Problem problem, Budget budget) {
        int[] level = Levels.topological(problem);
        Map<List<Integer>, List<Integer>> batches = new LinkedHashMap<>();
        for (int i = 0; i < problem.size(); i++) {
            batches.computeIfAbsent(List.of(level[i], problem.model(i)), key -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> order = new ArrayList<>(batches.values());
        order.sort(Comparator.<List<Integer>>comparingInt(batch -> level[batch.get(0)])
                .thenComparing(batch -> -batch.size()));
        Timelines timelines = new Timelines(problem);
        for (List<Integer> batch : order) {
            int first = batch.get(0);
            int k = problem.gpusNeeded(first);
            int bestGpu = 0;
            double bestCost = Double.POSITIVE_INFINITY;
            for (int g = 0; g + k <= problem.gpus(); g++) {
                double cost = timelines.earliestStart(first, g, 0, false); // idle time plus the switch
                if (cost < bestCost) {
                    bestCost = cost;
                    bestGpu = g;
                }
            }
            for (int task : batch) {
                timelines.place(task, bestGpu, timelines.earliestStart(task, bestGpu, timelines.ready(task), false));
            }
        }
        return timelines.plan(name());
    }
}
