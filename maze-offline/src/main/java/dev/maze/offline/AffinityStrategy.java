package dev.maze.offline;

import java.util.PriorityQueue;
import java.util.Random;

/**
 * {@code affinity}: a switch-aware list scheduler plus an improvement phase.
 *
 * <p><b>Construction.</b> Tasks are taken from the ready list by a priority key (at first the upward rank, optionally
 * with switch-aware weights: each task's time plus {@code beta} × the cost of loading its model onto an empty GPU, so
 * that chains through rarely resident models rise). Each task goes to the GPU group minimising its finish time with
 * insertion (as HEFT) plus {@code lambda} × an eviction penalty: the switch back to the model the group held there
 * when other unplaced tasks still need that model. Ties go to the lowest first GPU.
 *
 * <p><b>Improvement.</b> Within {@code budget.timeLimitSeconds()}: an iterated greedy over priority keys (random keys
 * re-decoded by the list scheduler). Each iteration either perturbs a few keys of the incumbent's (multiplying a random
 * 2–20% of them by {@code exp(σ·N(0,1))}) or restarts from a base key with noise, and may draw a new {@code lambda};
 * a result no longer than the incumbent's replaces it (neutral moves cross plateaus). Iteration {@code i} draws its
 * choices from a {@code Random} seeded by {@code budget.seed()} and {@code i}, so a fixed seed makes iteration i's
 * choices the same; how many iterations fit the time limit depends on the machine.
 *
 * <p>The search stops early when the best plan reaches {@link LowerBounds}: nothing is shorter.
 *
 * <p>The starting candidates include HEFT's, dynamic's and batch's plans, so the result is never longer than any of
 * them; every candidate is built by {@link Timelines}, so every plan is valid.
 */
final class AffinityStrategy implements Strategy {

    private static final double[] LAMBDAS = {0, 0.25, 0.5, 1, 2};

    @Override
    public String name() {
        return "affinity";
    }

    @Override
    public String description() {
        return "switch-aware list scheduling (eviction penalty, switch-weighted rank) + iterated greedy within --time-limit";
    }

    @Override
    public Plan plan(Problem problem, Budget budget) {
        long deadline = System.nanoTime() + (long) (Math.max(0, budget.timeLimitSeconds()) * 1e9);
        Plan best = HeftStrategy.schedule(problem).plan(name());
        for (Plan other : new Plan[] {new DynamicStrategy().plan(problem, budget), new BatchStrategy().plan(problem, budget)}) {
            if (other.makespan() < best.makespan() - Verifier.EPSILON) {
                best = relabel(other);
            }
        }
        double[][] bases = {Levels.upwardRank(problem), switchWeightedRank(problem, 0.5), switchWeightedRank(problem, 1)};
        // The construction: the switch-aware decoder on the plain rank with a moderate eviction penalty.
        double[] incumbentKey = bases[0];
        double incumbentLambda = 0.5;
        Timelines first = decode(problem, incumbentKey, incumbentLambda);
        double incumbent = first.plan(name()).makespan();
        if (incumbent < best.makespan() - Verifier.EPSILON) {
            best = first.plan(name());
        }
        int n = problem.size();
        double bound = LowerBounds.of(problem).best();
        for (long iteration = 0; System.nanoTime() < deadline && n > 1
                && best.makespan() > bound + Verifier.EPSILON; iteration++) { // at the bound nothing is shorter
            Random random = new Random(budget.seed() * 0x9E3779B97F4A7C15L + iteration);
            double[] key;
            double lambda;
            if (iteration < 2L * bases.length * LAMBDAS.length) { // first every base with every lambda, unperturbed
                key = bases[(int) (iteration / LAMBDAS.length) % bases.length];
                lambda = LAMBDAS[(int) (iteration % LAMBDAS.length)];
                if (iteration >= (long) bases.length * LAMBDAS.length) {
                    key = noisy(key, random, 0.05);
                }
            } else if (random.nextDouble() < 0.8) {
                key = incumbentKey.clone();
                double fraction = 0.02 + 0.18 * random.nextDouble();
                double sigma = 0.05 + 0.25 * random.nextDouble();
                int changes = Math.max(1, (int) Math.round(fraction * n));
                for (int c = 0; c < changes; c++) {
                    int task = random.nextInt(n);
                    key[task] *= Math.exp(sigma * random.nextGaussian());
                }
                lambda = random.nextDouble() < 0.8 ? incumbentLambda : LAMBDAS[random.nextInt(LAMBDAS.length)];
            } else {
                key = noisy(bases[random.nextInt(bases.length)], random, 0.02 + 0.2 * random.nextDouble());
                lambda = LAMBDAS[random.nextInt(LAMBDAS.length)];
            }
            Timelines decoded = decode(problem, key, lambda);
            Plan plan = decoded.plan(name());
            double makespan = plan.makespan();
            if (makespan <= incumbent + Verifier.EPSILON) {
                incumbent = makespan;
                incumbentKey = key;
                incumbentLambda = lambda;
            }
            if (makespan < best.makespan() - Verifier.EPSILON) {
                best = plan;
            }
        }
        return best;
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

    /** The constructive phase without search: the plain rank, eviction penalty 0.5. */
    static Plan construct(Problem problem) {
        return decode(problem, Levels.upwardRank(problem), 0.5).plan("affinity");
    }

    /**
     * The list scheduler: the ready task of highest key (ties: lowest index) goes to the group of least finish time
     * (insertion) plus {@code lambda} × the eviction penalty.
     */
    static Timelines decode(Problem problem, double[] key, double lambda) {
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
            for (int g = 0; g + k <= problem.gpus(); g++) {
                double start = timelines.earliestStart(task, g, readyAt, true);
                double score = start;
                if (lambda > 0) {
                    double penalty = 0;
                    for (int h = g; h < g + k; h++) {
                        int held = timelines.heldBefore(h, start);
                        if (held >= 0 && held != m && remaining[held] > 0) {
                            penalty = Math.max(penalty, problem.switchSeconds(m, held));
                        }
                    }
                    score += lambda * penalty;
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
