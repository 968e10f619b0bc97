package dev.maze.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Local search over a plan's GPU sequences, the second half of {@code affinity}'s improvement phase.
 *
 * <p>A plan is represented by what each GPU runs, in order; the times follow (every task as early as its predecessors,
 * its GPUs' previous tasks and the switches between allow: a longest path over dependencies plus sequence edges, each
 * sequence edge weighted with its switch). A move changes the sequences: <b>relocate</b> a single-GPU task — or a
 * third of the time the run of same-model tasks around it on its GPU — to another place on any GPU (half the time
 * next to a task of its model, where it switches nothing), or <b>swap</b> two adjacent tasks of one GPU. A move that
 * would make a task wait for its own successor (a cycle) is refused. Moves pick tasks of the current critical path
 * half the time, since only they can shorten the makespan. Moves are accepted by simulated annealing on the makespan
 * plus 1% of the mean task end (among plans of one makespan the compact ones are where the next gains are): a longer
 * plan is kept with probability {@code exp(−Δ / temperature)}, the temperature falling geometrically with the time
 * used from 0.5% to 0.005% of the starting makespan; the best plan seen is returned. Random choices come from the given
 * {@code Random}.
 *
 * <p>Multi-GPU tasks keep their GPU group (moving one would move k sequences at once); other tasks may still pass them
 * by relocation or swap. List schedulers decide where each task goes once, in one order; this search revisits those
 * decisions one at a time, which is what removes the switches left by a greedy choice.
 */
final class SequenceSearch {

    private final Problem problem;
    private final int n;
    private final List<List<Integer>> sequences = new ArrayList<>();
    private final int[] first;
    /** Per task, the first index of its slots (one per GPU of its group) in the flat per-slot arrays. */
    private final int[] slot;
    private final int[] prevOnGpu;
    private final int[] nextOnGpu;
    private final int[] waiting;
    private final int[] queue;
    private final double[] start;
    /** Per task, what set its start: -1 nothing (time 0 or a switch from the GPU's initial model), else a task. */
    private final int[] cause;
    /** The annealing's temperature at the start and at the end, as shares of the plan's makespan. */
    private static final double HOT = 0.005;
    private static final double COLD = 0.00005;

    private double makespan;
    private double sumOfEnds;

    private SequenceSearch(Plan plan) {
        problem = plan.problem();
        n = problem.size();
        first = new int[n];
        slot = new int[n];
        int slots = 0;
        for (int i = 0; i < n; i++) {
            first[i] = plan.firstGpu(i);
            slot[i] = slots;
            slots += problem.gpusNeeded(i);
        }
        prevOnGpu = new int[slots];
        nextOnGpu = new int[slots];
        for (int g = 0; g < problem.gpus(); g++) {
            sequences.add(new ArrayList<>(plan.timeline(g)));
        }
        waiting = new int[n];
        queue = new int[n];
        start = new double[n];
        cause = new int[n];
    }

    /**
     * A plan no longer than {@code plan}, searched until {@code deadlineNanos} ({@link System#nanoTime}) or until it
     * reaches {@code bound}.
     */
    static Plan improve(Plan plan, long deadlineNanos, Random random, double bound) {
        if (plan.problem().size() < 2 || System.nanoTime() >= deadlineNanos) {
            return plan;
        }
        SequenceSearch search = new SequenceSearch(plan);
        if (!search.evaluate() || search.makespan > plan.makespan() + Verifier.EPSILON) {
            return plan; // the plan is not left-shifted the way this search times it: leave it as it is
        }
        double[] bestStart = search.start.clone();
        int[] bestFirst = search.first.clone();
        double best = search.makespan;
        int[] critical = search.criticalPath();
        long began = System.nanoTime();
        double span = Math.max(1, deadlineNanos - began);
        double current = search.cost();
        double hot = HOT * plan.makespan();
        double temperature = hot;
        for (long step = 0; best > bound + Verifier.EPSILON; step++) {
            if ((step & 63) == 0) {
                long now = System.nanoTime();
                if (now >= deadlineNanos) {
                    break;
                }
                temperature = hot * Math.pow(COLD / HOT, (now - began) / span);
            }
            double makespanBefore = search.makespan;
            double endsBefore = search.sumOfEnds;
            Runnable undo = search.move(random, critical);
            if (undo == null) {
                continue;
            }
            boolean valid = search.evaluate();
            double cost = valid ? search.cost() : Double.POSITIVE_INFINITY;
            if (cost <= current || valid && random.nextDouble() < Math.exp((current - cost) / temperature)) {
                current = cost;
                if (search.makespan < best - Verifier.EPSILON) {
                    best = search.makespan;
                    bestStart = search.start.clone();
                    bestFirst = search.first.clone();
                }
                if (search.makespan != makespanBefore || random.nextInt(8) == 0) {
                    critical = search.criticalPath();
                }
            } else {
                undo.run();
                search.makespan = makespanBefore; // the times are stale until the next evaluation; these are not
                search.sumOfEnds = endsBefore;
            }
        }
        if (best >= plan.makespan() - Verifier.EPSILON) {
            return plan;
        }
        Plan improved = new Plan(plan.strategy(), plan.problem(), bestStart, bestFirst);
        return Verifier.violations(improved).isEmpty() ? improved : plan;
    }

    /**
     * What the search minimises: the makespan, plus a small share of the mean task end, so that among plans of one
     * makespan the more compact ones are preferred (moves that free GPUs early are what later moves build on).
     */
    private double cost() {
        return makespan + 0.01 * sumOfEnds / n;
    }

    /** Applies a random move and returns how to take it back, or null when the move chosen is not possible. */
    private Runnable move(Random random, int[] critical) {
        int task = critical.length > 0 && random.nextBoolean() ? critical[random.nextInt(critical.length)]
                : random.nextInt(n);
        if (random.nextInt(4) == 0) { // swap the task with the one after it on one of its GPUs
            List<Integer> on = sequences.get(first[task] + random.nextInt(problem.gpusNeeded(task)));
            int at = on.indexOf(task);
            if (at + 1 >= on.size()) {
                return null;
            }
            java.util.Collections.swap(on, at, at + 1);
            return () -> java.util.Collections.swap(on, at, at + 1);
        }
        if (problem.gpusNeeded(task) != 1) {
            return null;
        }
        List<Integer> from = sequences.get(first[task]);
        int oldGpu = first[task];
        int model = problem.model(task);
        // the task alone, or (a third of the time) the run of single-GPU tasks of its model around it on its GPU
        int lo = from.indexOf(task);
        int hi = lo + 1;
        if (random.nextInt(3) == 0) {
            while (lo > 0 && problem.model(from.get(lo - 1)) == model && problem.gpusNeeded(from.get(lo - 1)) == 1) {
                lo--;
            }
            while (hi < from.size() && problem.model(from.get(hi)) == model && problem.gpusNeeded(from.get(hi)) == 1) {
                hi++;
            }
        }
        List<Integer> run = new ArrayList<>(from.subList(lo, hi));
        from.subList(lo, hi).clear();
        int fromAt = lo;
        int gpu = random.nextInt(problem.gpus());
        List<Integer> to = sequences.get(gpu);
        int position;
        if (random.nextBoolean()) { // next to a task of its model on that GPU, before or after it
            List<Integer> same = new ArrayList<>();
            for (int p = 0; p < to.size(); p++) {
                if (problem.model(to.get(p)) == model) {
                    same.add(p);
                }
            }
            position = same.isEmpty() ? random.nextInt(to.size() + 1)
                    : same.get(random.nextInt(same.size())) + (random.nextBoolean() ? 1 : 0);
        } else {
            position = random.nextInt(to.size() + 1);
        }
        to.addAll(position, run);
        for (int t : run) {
            first[t] = gpu;
        }
        return () -> {
            to.subList(position, position + run.size()).clear();
            from.addAll(fromAt, run);
            for (int t : run) {
                first[t] = oldGpu;
            }
        };
    }

    /**
     * Times every task from the sequences (Kahn's algorithm over dependencies and sequence edges).
     *
     * @return false when the sequences contradict the dependencies (a cycle)
     */
    private boolean evaluate() {
        java.util.Arrays.fill(prevOnGpu, -1);
        java.util.Arrays.fill(nextOnGpu, -1);
        for (int g = 0; g < problem.gpus(); g++) {
            List<Integer> on = sequences.get(g);
            for (int p = 0; p < on.size(); p++) {
                int task = on.get(p);
                int s = slot[task] + g - first[task];
                prevOnGpu[s] = p == 0 ? -1 : on.get(p - 1);
                nextOnGpu[s] = p + 1 == on.size() ? -1 : on.get(p + 1);
            }
        }
        int head = 0;
        int tail = 0;
        for (int i = 0; i < n; i++) {
            int count = problem.predecessors(i).length;
            for (int j = 0; j < problem.gpusNeeded(i); j++) {
                count += prevOnGpu[slot[i] + j] >= 0 ? 1 : 0;
            }
            waiting[i] = count;
            if (count == 0) {
                queue[tail++] = i;
            }
        }
        makespan = 0;
        sumOfEnds = 0;
        while (head < tail) {
            int i = queue[head++];
            int m = problem.model(i);
            double at = 0;
            int why = -1;
            for (int p : problem.predecessors(i)) {
                double end = start[p] + problem.seconds(p);
                if (end > at) {
                    at = end;
                    why = p;
                }
            }
            for (int j = 0; j < problem.gpusNeeded(i); j++) {
                int before = prevOnGpu[slot[i] + j];
                double free = before < 0 ? problem.switchSeconds(problem.initialModel(first[i] + j), m)
                        : start[before] + problem.seconds(before) + problem.switchSeconds(problem.model(before), m);
                if (free > at) {
                    at = free;
                    why = before;
                }
            }
            start[i] = at;
            cause[i] = why;
            double end = at + problem.seconds(i);
            makespan = Math.max(makespan, end);
            sumOfEnds += end;
            for (int s : problem.successors(i)) {
                if (--waiting[s] == 0) {
                    queue[tail++] = s;
                }
            }
            for (int j = 0; j < problem.gpusNeeded(i); j++) {
                int after = nextOnGpu[slot[i] + j];
                if (after >= 0 && --waiting[after] == 0) {
                    queue[tail++] = after;
                }
            }
        }
        return tail == n;
    }

    /** The tasks of the current critical path, from a last-ending task back through what set each start. */
    private int[] criticalPath() {
        int last = 0;
        for (int i = 1; i < n; i++) {
            if (start[i] + problem.seconds(i) > start[last] + problem.seconds(last)) {
                last = i;
            }
        }
        List<Integer> path = new ArrayList<>();
        for (int task = last; task >= 0 && path.size() < n; task = cause[task]) {
            path.add(task);
        }
        return path.stream().mapToInt(Integer::intValue).toArray();
    }
}
