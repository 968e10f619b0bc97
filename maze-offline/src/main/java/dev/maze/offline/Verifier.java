package dev.maze.offline;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a plan against its problem's rules (maze-offline/README.md, "Model"): every task starts at or after each of
 * its predecessors' ends, on {@code gpusNeeded} consecutive GPUs of the cluster; on each GPU tasks do not overlap and
 * between two tasks of different models (and before a GPU's first task, from the model it started with) there is room
 * for the switch. A plan that passes is one the cluster can run as written.
 */
public final class Verifier {

    /** Slack for floating-point sums. */
    static final double EPSILON = 1e-6;

    private Verifier() {}

    /** What is wrong with {@code plan}, one line per violation (the first 50); empty when it is valid. */
    public static List<String> violations(Plan plan) {
        Problem problem = plan.problem();
        List<String> found = new ArrayList<>();
        for (int i = 0; i < problem.size() && found.size() < 50; i++) {
            String id = problem.task(i).id();
            if (!Double.isFinite(plan.start(i)) || plan.start(i) < -EPSILON) {
                found.add("task " + id + " has no valid start (" + plan.start(i) + ")");
                continue;
            }
            int first = plan.firstGpu(i);
            if (first < 0 || first + problem.gpusNeeded(i) > problem.gpus()) {
                found.add("task " + id + " needs GPUs " + first + ".." + (first + problem.gpusNeeded(i) - 1)
                        + "; the cluster has 0.." + (problem.gpus() - 1));
            }
            for (int p : problem.predecessors(i)) {
                if (plan.start(i) < plan.end(p) - EPSILON) {
                    found.add("task " + id + " starts at " + plan.start(i) + " before its predecessor "
                            + problem.task(p).id() + " ends at " + plan.end(p));
                }
            }
        }
        for (int g = 0; g < problem.gpus() && found.size() < 50; g++) {
            int held = problem.initialModel(g);
            double free = 0;
            String previous = null;
            for (int task : plan.timeline(g)) {
                double needed = free + problem.switchSeconds(held, problem.model(task));
                if (plan.start(task) < needed - EPSILON) {
                    found.add("GPU " + g + ": task " + problem.task(task).id() + " starts at " + plan.start(task)
                            + (previous == null ? "" : " after " + previous + " ends at " + free) + ", but "
                            + (held == problem.model(task) ? "the GPU is busy until " + free
                                    : "switching from " + problem.modelName(held) + " to "
                                            + problem.modelName(problem.model(task)) + " takes it to " + needed));
                }
                free = plan.end(task);
                held = problem.model(task);
                previous = problem.task(task).id();
            }
        }
        return found;
    }
}
