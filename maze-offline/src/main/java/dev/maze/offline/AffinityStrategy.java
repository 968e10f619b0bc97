package dev.maze.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * {@code affinity}: a switch-aware list scheduler plus an improvement phase.
 *
 * <p><b>Construction.</b> Tasks are taken from the ready list by a priority key: the upward rank; or a switch-weighted
 * rank (each task's time plus {@code beta} × the cost of loading its model onto an empty GPU, so that chains through
 * rarely resident models rise); or a key grouping same-model work by level. Each task goes to the GPU group minimising
 * its start with insertion (as HEFT) plus {@code lambda} × an eviction penalty (the switch back to the model the group
 * held there, when unplaced tasks still need that model) plus {@code mu} × the GPU-seconds its switch takes from the
 * cluster. Groups of a k-GPU model may be aligned to multiples of k, so that copies tile the cluster rather than
 * strand GPUs between them. Ties go to the lowest first GPU.
 *
 * <p><b>Improvement.</b> Within {@code budget.timeLimitSeconds()}: first a sweep of the weights ({@code lambda} ×
 * {@code mu}, aligned; a few pairs unaligned) on the upward rank, and of the other keys with the best weights; then an
 * iterated greedy over priority keys (random keys re-decoded by the list scheduler). Each iteration either perturbs
 * the incumbent's keys (half the time raising a few tasks of its critical path — through dependencies, GPU order and
 * switches — else multiplying a random 2–20% of them by {@code exp(σ·N(0,1))}), mostly keeping its weights, or
 * restarts from a base key with noise and random weights; a result no longer than the incumbent's replaces it
 * (neutral moves cross plateaus). Iteration {@code i} draws its choices from a {@code Random} seeded by
 * {@code budget.seed()} and {@code i}, so a fixed seed makes iteration i's choices the same; how many iterations fit
 * the time limit depends on the machine. The search stops early when the best plan reaches {@link LowerBounds}.
 *
 * <p>The second half of the time limit goes to {@link SequenceSearch}, a local search over the best plan's GPU
 * sequences (relocate a task, swap two), which revisits one placement at a time what the list scheduler decided in one
 * pass.
 *
 * <p>The starting candidates include HEFT's, dynamic's and batch's plans, so the result is never longer than any of
 * them; every candidate is built by {@link Timelines}, so every plan is valid.
 */
final class AffinityStrategy implements Strategy {

    /** Weights of the eviction penalty, and of the GPU-seconds a switch takes from the cluster. */
    private static final double[] LAMBDAS = {0, 1, 2, 4};
    private static final double[] MUS = {0, 0.5, 1, 2, 4};
    /** Pairs also tried with unaligned groups in the first sweep (all pairs are tried aligned). */
    private static final double[][] UNALIGNED = {{0, 0}, {1, 0.5}, {2, 1}, {4, 2}};

    @Override
    public String name() {
        return "affinity";
    }

    @Override
    public String description() {
        return "switch-aware list scheduling (eviction and switch penalties, aligned groups) + iterated greedy within --time-limit";
    }

    @Override
    public Plan plan(Problem problem, Budget budget) {
        long began = System.nanoTime();
        long deadline = began + (long) (Math.max(0, budget.timeLimitSeconds()) * 1e9);
        // the first half of the time for the iterated greedy, the rest for the local search over its best plan
        long greedyDeadline = began + (deadline - began) / 2;
        Plan best = HeftStrategy.schedule(problem).plan(name());
        for (Plan other : new Plan[] {new DynamicStrategy().plan(problem, budget), new BatchStrategy().plan(problem, budget)}) {
            if (other.makespan() < best.makespan() - Verifier.EPSILON) {
                best = relabel(other);
            }
        }
        double[][] bases = {Levels.upwardRank(problem), switchWeightedRank(problem, 0.5), switchWeightedRank(problem, 1),
                byLevelThenModel(problem)};
        // The construction: the switch-aware decoder on the plain rank with moderate penalties.
        double[] incumbentKey = bases[0];
        double incumbentLambda = 0.5;
        double incumbentMu = 0.5;
        boolean incumbentAligned = true;
        Plan incumbentPlan = decode(problem, incumbentKey, incumbentLambda, incumbentMu, incumbentAligned).plan(name());
        double incumbent = incumbentPlan.makespan();
        int[] critical = criticalPath(incumbentPlan);
        if (incumbent < best.makespan() - Verifier.EPSILON) {
            best = incumbentPlan;
        }
        int n = problem.size();
        double bound = LowerBounds.of(problem).best();
        int grid = LAMBDAS.length * MUS.length;
        int sweep = grid + UNALIGNED.length;
        for (long iteration = 0; System.nanoTime() < greedyDeadline && n > 1
                && best.makespan() > bound + Verifier.EPSILON; iteration++) { // at the bound nothing is shorter
            Random random = new Random(budget.seed() * 0x9E3779B97F4A7C15L + iteration);
            double[] key;
            double lambda;
            double mu;
            boolean aligned;
            if (iteration < grid) { // first the plain rank with every pair of weights, groups aligned
                key = bases[0];
                lambda = LAMBDAS[(int) (iteration % LAMBDAS.length)];
                mu = MUS[(int) (iteration / LAMBDAS.length)];
                aligned = true;
            } else if (iteration < sweep) { // and a few pairs with groups anywhere
                key = bases[0];
                lambda = UNALIGNED[(int) (iteration - grid)][0];
                mu = UNALIGNED[(int) (iteration - grid)][1];
                aligned = false;
            } else if (iteration < sweep + bases.length - 1) { // then the switch-weighted ranks with the best pair
                key = bases[(int) (iteration - sweep) + 1];
                lambda = incumbentLambda;
                mu = incumbentMu;
                aligned = incumbentAligned;
            } else if (random.nextDouble() < 0.8) {
                key = incumbentKey.clone();
                double fraction = 0.02 + 0.18 * random.nextDouble();
                double sigma = 0.05 + 0.25 * random.nextDouble();
                if (random.nextBoolean() && critical.length > 0) {
                    // raise a few tasks of the incumbent's critical path (dependencies, GPU order and switches)
                    int changes = 1 + random.nextInt(Math.max(1, Math.min(critical.length, 8)));
                    for (int c = 0; c < changes; c++) {
                        int task = critical[random.nextInt(critical.length)];
                        key[task] *= Math.exp(sigma * Math.abs(random.nextGaussian()));
                    }
                } else {
                    int changes = Math.max(1, (int) Math.round(fraction * n));
                    for (int c = 0; c < changes; c++) {
                        int task = random.nextInt(n);
                        key[task] *= Math.exp(sigma * random.nextGaussian());
                    }
                }
                boolean keep = random.nextDouble() < 0.8;
                lambda = keep ? incumbentLambda : LAMBDAS[random.nextInt(LAMBDAS.length)];
                mu = keep ? incumbentMu : MUS[random.nextInt(MUS.length)];
                aligned = random.nextDouble() < 0.9 ? incumbentAligned : !incumbentAligned;
            } else {
                key = noisy(bases[random.nextInt(bases.length)], random, 0.02 + 0.2 * random.nextDouble());
                lambda = LAMBDAS[random.nextInt(LAMBDAS.length)];
                mu = MUS[random.nextInt(MUS.length)];
                aligned = random.nextBoolean();
            }
            Plan plan = decode(problem, key, lambda, mu, aligned).plan(name());
            double makespan = plan.makespan();
            if (makespan <= incumbent + Verifier.EPSILON) {
                if (makespan < incumbent - Verifier.EPSILON || random.nextInt(4) == 0) {
                    critical = criticalPath(plan);
                }
                incumbent = makespan;
                incumbentKey = key;
                incumbentLambda = lambda;
                incumbentMu = mu;
                incumbentAligned = aligned;
                incumbentPlan = plan;
            }
            if (makespan < best.makespan() - Verifier.EPSILON) {
                best = plan;
            }
        }
        return SequenceSearch.improve(best, deadline, new Random(budget.seed()), bound);
    }

    /**
     * The tasks of a critical path of {@code plan}: from a last-ending task back through whatever made each start
     * when it did, a predecessor ending then or the task before it on one of its GPUs (with the switch between).
     */
    static int[] criticalPath(Plan plan) {
        Problem problem = plan.problem();
        int n = problem.size();
        if (n == 0) {
            return new int[0];
        }
        int[] before = new int[n]; // the task before each on its GPUs, the one ending latest (plus switch)
        double[] beforeEnd = new double[n];
        java.util.Arrays.fill(before, -1);
        for (int g = 0; g < problem.gpus(); g++) {
            int previous = -1;
            for (int task : plan.timeline(g)) {
                if (previous >= 0) {
                    double end = plan.end(previous) + problem.switchSeconds(problem.model(previous), problem.model(task));
                    if (before[task] < 0 || end > beforeEnd[task]) {
                        before[task] = previous;
                        beforeEnd[task] = end;
                    }
                }
                previous = task;
            }
        }
        int last = 0;
        for (int i = 1; i < n; i++) {
            if (plan.end(i) > plan.end(last)) {
                last = i;
            }
        }
        List<Integer> path = new ArrayList<>();
        for (int task = last; task >= 0 && path.size() < n; ) {
            path.add(task);
            int next = -1;
            double at = plan.start(task) - Verifier.EPSILON;
            for (int p : problem.predecessors(task)) {
                if (plan.end(p) >= at) {
                    next = p;
                    break;
                }
            }
            if (next < 0 && before[task] >= 0 && beforeEnd[task] >= at) {
                next = before[task];
            }
            task = next;
        }
        return path.stream().mapToInt(Integer::intValue).toArray();
    }

    private Plan relabel(Plan plan) {
        Problem problem = plan.problem();
        double[] start = new double[problem.size()];
        int[] first = new int[problem.size()];
        for (int i = 0; i < problem.size(); i++) {
            start[i] = plan.start(i);
            first[i] = plan.firstGpu(i);
        }
        return new Plan(name(), problem, start, first);
    }

    private static double[] noisy(double[] base, Random random, double sigma) {
        double[] key = new double[base.length];
        for (int i = 0; i < key.length; i++) {
            key[i] = base[i] * Math.exp(sigma * random.nextGaussian());
        }
        return key;
    }

    /**
     * A key grouping same-model work: by topological level, then within a level by model (the model with most work
     * first), then by upward rank; decoded with switch penalties it runs each level's tasks of a model back to back.
     */
    static double[] byLevelThenModel(Problem problem) {
        int n = problem.size();
        int[] level = Levels.topological(problem);
        double[] rank = Levels.upwardRank(problem);
        int models = problem.modelCount();
        double[] work = new double[models];
        int maxLevel = 0;
        double maxRank = 0;
        for (int i = 0; i < n; i++) {
            work[problem.model(i)] += problem.seconds(i) * problem.gpusNeeded(i);
            maxLevel = Math.max(maxLevel, level[i]);
            maxRank = Math.max(maxRank, rank[i]);
        }
        Integer[] byWork = new Integer[models];
        for (int m = 0; m < models; m++) {
            byWork[m] = m;
        }
        java.util.Arrays.sort(byWork, (a, b) -> Double.compare(work[b], work[a]));
        int[] place = new int[models];
        for (int r = 0; r < models; r++) {
            place[byWork[r]] = r;
        }
        double[] key = new double[n];
        for (int i = 0; i < n; i++) {
            key[i] = (maxLevel - level[i]) * (models + 1.0) + (models - place[problem.model(i)])
                    + rank[i] / (maxRank + 1);
        }
        return key;
    }

    /** Upward rank where each task weighs its time plus {@code beta} × its model's load onto an empty GPU. */
    static double[] switchWeightedRank(Problem problem, double beta) {
        double[] rank = new double[problem.size()];
        for (int i = problem.size() - 1; i >= 0; i--) {
            double below = 0;
            for (int s : problem.successors(i)) {
                below = Math.max(below, rank[s]);
            }
            rank[i] = problem.seconds(i) + beta * problem.switchSeconds(-1, problem.model(i)) + below;
        }
        return rank;
    }

    /**
     * The list scheduler: the ready task of highest key (ties: lowest index) goes to the group of least start
     * (insertion) plus {@code lambda} × the eviction penalty plus {@code mu} × the GPU-seconds of its switch; groups
     * start at multiples of k when {@code aligned}.
     */
    static Timelines decode(Problem problem, double[] key, double lambda, double mu, boolean aligned) {
        int n = problem.size();
        int[] waiting = new int[n];
        int[] remaining = new int[problem.modelCount()];
        PriorityQueue<Integer> ready = new PriorityQueue<>((a, b) -> {
            int byKey = Double.compare(key[b], key[a]);
            return byKey != 0 ? byKey : Integer.compare(a, b);
        });
        for (int i = 0; i < n; i++) {
            waiting[i] = problem.predecessors(i).length;
            remaining[problem.model(i)]++;
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        Timelines timelines = new Timelines(problem);
        while (!ready.isEmpty()) {
            int task = ready.poll();
            int m = problem.model(task);
            remaining[m]--;
            double readyAt = timelines.ready(task);
            int k = problem.gpusNeeded(task);
            int bestGpu = -1;
            double bestStart = 0;
            double bestScore = Double.POSITIVE_INFINITY;
            // aligned groups (first GPU a multiple of k): copies of a k-GPU model tile the cluster instead of
            // straddling, so a switched group does not strand GPUs that no other copy can use
            int step = aligned ? k : 1;
            for (int g = 0; g + k <= problem.gpus(); g += step) {
                double start = timelines.earliestStart(task, g, readyAt, true);
                double score = start;
                if (lambda > 0 || mu > 0) {
                    double penalty = 0;
                    double switching = 0;
                    for (int h = g; h < g + k; h++) {
                        int held = timelines.heldBefore(h, start);
                        if (held != m) {
                            switching += problem.switchSeconds(held, m);
                        }
                        if (held >= 0 && held != m && remaining[held] > 0) {
                            penalty = Math.max(penalty, problem.switchSeconds(m, held));
                        }
                    }
                    // a switch costs the cluster its GPU-seconds (on every GPU of the group), besides delaying this task
                    score += lambda * penalty + mu * switching;
                }
                if (score < bestScore - Verifier.EPSILON / 10) {
                    bestScore = score;
                    bestGpu = g;
                    bestStart = start;
                }
            }
            timelines.place(task, bestGpu, bestStart);
            for (int s : problem.successors(task)) {
                if (--waiting[s] == 0) {
                    ready.add(s);
                }
            }
        }
        return timelines;
    }
}
