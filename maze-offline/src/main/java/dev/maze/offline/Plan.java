package dev.maze.offline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A plan for a problem: for every task its first GPU (it runs on {@code gpusNeeded} consecutive GPUs from there) and
 * its start; it ends {@code seconds} later. What follows from that — each GPU's timeline, the switches before each
 * task whose GPU held another model, utilisation — is derived here, the same way for every strategy, so that plans
 * compare on equal terms and {@link Verifier} checks exactly what is reported.
 */
public final class Plan {

    /** A model switch on a GPU, just before the task that needs it: from {@code at} for {@code seconds}. */
    public record Switch(int gpu, double at, double seconds, String from, String to, String beforeTask) {}

    private final String strategy;
    private final Problem problem;
    private final double[] start;
    private final int[] firstGpu;

    /** @param start each task's start (by index); @param firstGpu each task's first GPU */
    public Plan(String strategy, Problem problem, double[] start, int[] firstGpu) {
        if (start.length != problem.size() || firstGpu.length != problem.size()) {
            throw new IllegalArgumentException("a plan places every task: " + problem.size() + " expected");
        }
        this.strategy = strategy;
        this.problem = problem;
        this.start = start.clone();
        this.firstGpu = firstGpu.clone();
    }

    public String strategy() {
        return strategy;
    }

    public Problem problem() {
        return problem;
    }

    public double start(int task) {
        return start[task];
    }

    public double end(int task) {
        return start[task] + problem.seconds(task);
    }

    public int firstGpu(int task) {
        return firstGpu[task];
    }

    /** The GPUs task {@code i} runs on. */
    public int[] gpus(int task) {
        return IntStream.range(firstGpu[task], firstGpu[task] + problem.gpusNeeded(task)).toArray();
    }

    /** When the last task ends (0 for no task). */
    public double makespan() {
        double makespan = 0;
        for (int i = 0; i < problem.size(); i++) {
            makespan = Math.max(makespan, end(i));
        }
        return makespan;
    }

    /** The tasks on GPU {@code g} in the order they run. */
    public List<Integer> timeline(int g) {
        List<Integer> on = new ArrayList<>();
        for (int i = 0; i < problem.size(); i++) {
            if (g >= firstGpu[i] && g < firstGpu[i] + problem.gpusNeeded(i)) {
                on.add(i);
            }
        }
        on.sort(Comparator.<Integer>comparingDouble(i -> start[i]).thenComparingDouble(this::end).thenComparing(i -> i));
        return on;
    }

    /** Every switch, GPU by GPU, in time order on each. */
    public List<Switch> switches() {
        List<Switch> switches = new ArrayList<>();
        for (int g = 0; g < problem.gpus(); g++) {
            int held = problem.initialModel(g);
            for (int task : timeline(g)) {
                int wanted = problem.model(task);
                if (wanted != held) {
                    double seconds = problem.switchSeconds(held, wanted);
                    switches.add(new Switch(g, start[task] - seconds, seconds, problem.modelName(held),
                            problem.modelName(wanted), problem.task(task).id()));
                    held = wanted;
                }
            }
        }
        return switches;
    }

    /** Seconds GPU {@code g} spends running tasks (switches not counted). */
    public double busySeconds(int g) {
        return timeline(g).stream().mapToDouble(problem::seconds).sum();
    }

    /** Each GPU's busy time over the makespan, 0..1. */
    public double[] utilisation() {
        double makespan = makespan();
        return IntStream.range(0, problem.gpus()).mapToDouble(g -> makespan == 0 ? 0 : busySeconds(g) / makespan)
                .toArray();
    }

    /** The spread of utilisation over GPUs: the highest minus the lowest. */
    public double utilisationSpread() {
        double[] u = utilisation();
        return Arrays.stream(u).max().orElse(0) - Arrays.stream(u).min().orElse(0);
    }
}
