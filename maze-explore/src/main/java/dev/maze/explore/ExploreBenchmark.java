package dev.maze.explore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * The synthetic benchmark behind {@code maze explore bench} (maze-explore/README.md, "Benchmark"): no models, no runs,
 * the real schedulers driven through their lease API by P loops in virtual time. Trace k, the k-th root leased, has a
 * hidden quality: in {@link Mode#SUCCESS} a probability p_k that an experiment on it is accepted, in
 * {@link Mode#HILL_CLIMB} a mean m_k of the step a child's score takes from where its path stands.
 *
 * <p>Where a path stands, B, is the score of the best accepted experiment on the path from the root to the parent (0
 * for a new root, or when none is accepted): a rejected experiment is discarded, so its children build on the last
 * accepted one, as RD-Agent's do. SUCCESS: accepted with probability p_k, score B + 1 when accepted, else B. HILL_CLIMB:
 * score B + N(m_k, 1), accepted when above B. Each experiment takes 0.5 + U[0, 1) virtual seconds; a loop whose lease
 * is committed asks for the next at once, loops in index order; the budget counts experiments started, so exactly B
 * are committed. Random streams are split from the seed in a fixed order (the scheduler's, the durations', then one
 * per trace), so every scheduler meets the same draws for the same trace and seed.
 */
public final class ExploreBenchmark {

    /** Upper bounds of the settings, so that a typo cannot start a run that never ends. */
    public static final int MAX_BUDGET = 10_000;
    public static final int MAX_LOOPS = 64;
    public static final int MAX_TRACES = 64;
    public static final int MAX_SEEDS = 10_000;

    /** What the hidden quality of a trace is. */
    public enum Mode {
        /** An experiment on trace k is accepted with probability p_k. */
        SUCCESS,
        /** A child's score is where its path stands plus N(m_k, 1), accepted when it improves. */
        HILL_CLIMB
    }

    /**
     * One benchmark.
     *
     * @param mode what {@code hidden} means
     * @param hidden per trace, in the order the traces are started: p_k in [0, 1], or m_k (finite)
     * @param budget experiments per run
     * @param loops loops in parallel
     * @param maxTraces traces each scheduler may start, at most the number of hidden values
     * @param seeds runs per scheduler, seeds 1 to {@code seeds}
     * @param schedulers scheduler specs ({@link TraceSchedulers#policy})
     */
    public record Settings(Mode mode, List<Double> hidden, int budget, int loops, int maxTraces, int seeds,
            List<String> schedulers) {

        /** @throws IllegalArgumentException naming the value out of range or the scheduler that does not exist */
        public Settings {
            hidden = List.copyOf(hidden);
            schedulers = List.copyOf(schedulers);
            if (hidden.isEmpty() || hidden.size() > MAX_TRACES) {
                throw new IllegalArgumentException("give 1 to " + MAX_TRACES + " traces' hidden values, not "
                        + hidden.size());
            }
            for (double value : hidden) {
                if (mode == Mode.SUCCESS ? !(value >= 0 && value <= 1) : !Double.isFinite(value)) {
                    throw new IllegalArgumentException(mode == Mode.SUCCESS
                            ? "a success probability must be from 0 to 1, not " + value
                            : "a hill-climb mean must be a finite number, not " + value);
                }
            }
            check("budget", budget, MAX_BUDGET);
            check("loops", loops, MAX_LOOPS);
            check("maxTraces", maxTraces, hidden.size());
            check("seeds", seeds, MAX_SEEDS);
            if (schedulers.isEmpty()) {
                throw new IllegalArgumentException("name at least one scheduler; known: "
                        + String.join(", ", TraceSchedulers.names()));
            }
            schedulers.forEach(TraceSchedulers::policy);
        }

        private static void check(String name, int value, int max) {
            if (value < 1 || value > max) {
                throw new IllegalArgumentException(name + " must be from 1 to " + max + ", not " + value);
            }
        }

        /** The trace with the best hidden value (the first of equals). */
        public int bestTrace() {
            int best = 0;
            for (int k = 1; k < maxTraces; k++) {
                if (hidden.get(k) > hidden.get(best)) {
                    best = k;
                }
            }
            return best;
        }
    }

    /**
     * One run's figures.
     *
     * @param accepted accepted experiments
     * @param bestPathDepth experiments on the path from the root to the best experiment, both included (0 when none
     *     is accepted)
     * @param bestScore the best experiment's score (0, where every path starts, when none is accepted)
     * @param shareBest the share of the budget spent on the trace with the best hidden value (its whole tree)
     */
    public record Run(int accepted, int bestPathDepth, double bestScore, double shareBest) {}

    /** A mean over the seeds and its standard error. */
    public record Figure(double mean, double standardError) {
        static Figure of(double[] values) {
            double sum = 0;
            for (double value : values) {
                sum += value;
            }
            double mean = sum / values.length;
            double squares = 0;
            for (double value : values) {
                squares += (value - mean) * (value - mean);
            }
            double error = values.length < 2 ? 0 : Math.sqrt(squares / (values.length - 1) / values.length);
            return new Figure(mean, error);
        }
    }

    /** One scheduler's figures: each the mean over the seeds (with its standard error). */
    public record Row(String scheduler, Figure accepted, Figure bestPathDepth, Figure bestScore, Figure shareBest) {}

    private ExploreBenchmark() {}

    /** Every scheduler of {@code settings} over its seeds, in the order they are named. */
    public static List<Row> run(Settings settings) {
        List<Row> rows = new ArrayList<>();
        for (String scheduler : settings.schedulers()) {
            double[][] figures = new double[4][settings.seeds()];
            for (int seed = 1; seed <= settings.seeds(); seed++) {
                Run run = run(settings, scheduler, seed);
                figures[0][seed - 1] = run.accepted();
                figures[1][seed - 1] = run.bestPathDepth();
                figures[2][seed - 1] = run.bestScore();
                figures[3][seed - 1] = run.shareBest();
            }
            rows.add(new Row(scheduler, Figure.of(figures[0]), Figure.of(figures[1]), Figure.of(figures[2]),
                    Figure.of(figures[3])));
        }
        return rows;
    }

    /** One run of the scheduler {@code spec} names, with {@code seed}. */
    public static Run run(Settings settings, String spec, long seed) {
        SplittableRandom master = new SplittableRandom(seed);
        RandomGenerator choices = master.split();
        RandomGenerator durations = master.split();
        List<RandomGenerator> traces = new ArrayList<>();
        for (int k = 0; k < settings.maxTraces(); k++) {
            traces.add(master.split());
        }
        ExperimentDag dag = new ExperimentDag(Direction.HIGHER);
        TraceScheduler scheduler = TraceSchedulers.create(spec, dag, settings.maxTraces(), choices);
        List<Integer> traceOf = new ArrayList<>();
        PriorityQueue<Running> running = new PriorityQueue<>(
                Comparator.comparingDouble(Running::finish).thenComparingInt(Running::loop));
        TreeSet<Integer> idle = new TreeSet<>();
        for (int loop = 0; loop < settings.loops(); loop++) {
            idle.add(loop);
        }
        int started = 0;
        int roots = 0;
        double now = 0;
        while (true) {
            while (!idle.isEmpty() && started < settings.budget()) {
                Optional<Lease> lease = scheduler.tryNext();
                if (lease.isEmpty()) {
                    break;
                }
                OptionalInt parent = lease.get().parent();
                int trace = parent.isPresent() ? traceOf.get(parent.getAsInt()) : roots++;
                running.add(new Running(now + 0.5 + durations.nextDouble(), idle.pollFirst(), lease.get(), trace));
                started++;
            }
            Running done = running.poll();
            if (done == null) {
                break;
            }
            now = done.finish();
            double standing = done.lease().parent().isPresent()
                    ? dag.bestOf(dag.path(done.lease().parent().getAsInt())).map(Experiment::score).orElse(0.0)
                    : 0;
            Experiment experiment = scheduler.commit(done.lease(),
                    outcome(settings, settings.hidden().get(done.trace()), traces.get(done.trace()), standing));
            traceOf.add(experiment.id(), done.trace());
            idle.add(done.loop());
        }
        int accepted = 0;
        int onBest = 0;
        for (Experiment experiment : dag.experiments()) {
            accepted += experiment.accepted() ? 1 : 0;
            onBest += traceOf.get(experiment.id()) == settings.bestTrace() ? 1 : 0;
        }
        Optional<Experiment> best = dag.best();
        return new Run(accepted, best.map(experiment -> dag.depth(experiment.id())).orElse(0),
                best.map(Experiment::score).orElse(0.0), (double) onBest / dag.size());
    }

    private static Feedback outcome(Settings settings, double hidden, RandomGenerator random, double standing) {
        if (settings.mode() == Mode.SUCCESS) {
            boolean accepted = random.nextDouble() < hidden;
            return Feedback.ok(accepted, accepted ? standing + 1 : standing);
        }
        double score = standing + random.nextGaussian(hidden, 1);
        return Feedback.ok(score > standing, score);
    }

    private record Running(double finish, int loop, Lease lease, int trace) {}
}
