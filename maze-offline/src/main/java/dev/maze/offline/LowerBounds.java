package dev.maze.offline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Bounds no plan can beat (maze-offline/README.md, "Lower bounds"):
 * <ul>
 *   <li><b>path</b>: the longest chain of execution times, each task starting no earlier than its model can first be
 *       loaded when no GPU starts with it ({@code size / bandwidth + overhead});
 *   <li><b>work</b>: the GPU-seconds of all tasks ({@code seconds × gpusNeeded}) plus, for each model no GPU starts
 *       with, its first load on each of the GPUs it needs, spread over all GPUs;
 *   <li><b>window</b>: for tasks that cannot start before {@code a} (their head) and leave a chain of at least
 *       {@code b} after them (their tail), {@code a + b + their GPU-seconds / G}, over all thresholds;
 *   <li><b>loads</b>: the least makespan T at which the GPUs can hold every model long enough: a GPU holding model m
 *       from a load runs at most {@code T − load(m)} seconds of it, so m's work forces loads, each costing its load
 *       time, and every residency that is not the last on its GPU pays for its model leaving;
 * </ul>
 * and their maximum, rounded up to a whole number when every time is whole and switching is free (then some optimal
 * plan has whole-number times).
 */
public record LowerBounds(double path, double work, double window, double loads) {

    /** Head thresholds the window bound tries at most (evenly spread over the distinct heads). */
    private static final int WINDOW_HEADS = 256;

    public double best() {
        return Math.max(Math.max(path, work), Math.max(window, loads));
    }

    /**
     * The bound for a run that charges loads but not a model leaving its GPU, and may keep several models on one GPU
     * (the engine's switch model: {@link OnlineComparison}, {@link PlanExecution}): path, work and window hold there,
     * the loads bound does not.
     */
    public double withoutEvictionCharge() {
        return Math.max(Math.max(path, work), window);
    }

    public static LowerBounds of(Problem problem) {
        int n = problem.size();
        int models = problem.modelCount();
        int[] initialCopies = new int[models];
        for (int g = 0; g < problem.gpus(); g++) {
            if (problem.initialModel(g) >= 0) {
                initialCopies[problem.initialModel(g)]++;
            }
        }
        double[] modelWork = new double[models];
        boolean[] used = new boolean[models];
        for (int i = 0; i < n; i++) {
            modelWork[problem.model(i)] += problem.seconds(i) * problem.gpusNeeded(i);
            used[problem.model(i)] = true;
        }
        double[] firstLoad = new double[models]; // before a model's first task can start
        double work = 0;
        for (int m = 0; m < models; m++) {
            firstLoad[m] = initialCopies[m] > 0 ? 0 : problem.switchSeconds(-1, m);
            if (used[m]) {
                work += firstLoad[m] * problem.gpusOf(m) + modelWork[m];
            }
        }
        double[] head = new double[n];
        double path = 0;
        for (int i = 0; i < n; i++) { // indexes are a topological order
            double start = firstLoad[problem.model(i)];
            for (int p : problem.predecessors(i)) {
                start = Math.max(start, head[p] + problem.seconds(p));
            }
            head[i] = start;
            path = Math.max(path, start + problem.seconds(i));
        }
        double[] tail = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            for (int s : problem.successors(i)) {
                tail[i] = Math.max(tail[i], problem.seconds(s) + tail[s]);
            }
        }
        double gpus = problem.gpus();
        work /= gpus;
        double window = window(problem, head, tail, firstLoad);
        double loads = loads(problem, modelWork, initialCopies, Math.max(path, work));
        boolean whole = problem.cluster().switchOverheadSeconds() == 0
                && Double.isInfinite(problem.cluster().pcieGbPerSecond());
        for (int i = 0; i < n && whole; i++) {
            whole = problem.seconds(i) == Math.rint(problem.seconds(i));
        }
        if (whole) {
            path = Math.ceil(path - Verifier.EPSILON);
            work = Math.ceil(work - Verifier.EPSILON);
            window = Math.ceil(window - Verifier.EPSILON);
            loads = Math.ceil(loads - Verifier.EPSILON);
        }
        return new LowerBounds(path, work, window, loads);
    }

    /**
     * The window bound: every task with head at least {@code a} and tail at least {@code b} runs inside
     * {@code [a, T − b]}, so {@code T ≥ a + b + Σ seconds × k / G} over them. With {@code a = 0} the first loads of
     * their models no GPU starts with fall inside the window too.
     */
    private static double window(Problem problem, double[] head, double[] tail, double[] firstLoad) {
        int n = problem.size();
        if (n == 0) {
            return 0;
        }
        Integer[] byTail = new Integer[n];
        for (int i = 0; i < n; i++) {
            byTail[i] = i;
        }
        Arrays.sort(byTail, (x, y) -> Double.compare(tail[y], tail[x]));
        double[] heads = Arrays.stream(head).distinct().sorted().toArray();
        int tries = Math.min(heads.length, WINDOW_HEADS);
        double best = 0;
        double gpus = problem.gpus();
        boolean[] loaded = new boolean[problem.modelCount()];
        for (int t = 0; t < tries; t++) {
            double a = heads[(int) ((long) t * (heads.length - 1) / Math.max(1, tries - 1))];
            Arrays.fill(loaded, false);
            double inside = 0;
            boolean any = false; // with no task inside, a + b proves nothing
            for (int j = 0; j < n; j++) {
                int i = byTail[j];
                if (head[i] >= a) {
                    any = true;
                    inside += problem.seconds(i) * problem.gpusNeeded(i);
                    int m = problem.model(i);
                    if (a == 0 && !loaded[m]) {
                        loaded[m] = true;
                        inside += firstLoad[m] * problem.gpusOf(m);
                    }
                }
                if (any && (j == n - 1 || tail[byTail[j + 1]] < tail[i])) { // the last task of this tail: b = tail[i]
                    best = Math.max(best, a + tail[i] + inside / gpus);
                }
            }
        }
        return best;
    }

    /**
     * The loads bound: the least T with {@code G × T ≥ Σ_m (work_m + R_m(T) × load_m) + leaving(T)}, where
     * {@code R_m(T)} is the fewest GPU loads of model m: at least its first loads (its GPUs no GPU starts with), and
     * enough that its initial copies (at most T each) and loaded ones (at most {@code T − load_m} each) hold its
     * GPU-seconds of work; {@code leaving(T)} charges every residency but the last on each GPU (so all but the
     * G dearest) its model's unload time, {@code size / bandwidth}. Need shrinks as T grows, so a bisection finds T.
     */
    private static double loads(Problem problem, double[] modelWork, int[] initialCopies, double from) {
        if (problem.size() == 0) {
            return 0;
        }
        double lo = Math.max(from, 0);
        double hi = Math.max(lo, 1);
        while (!fits(problem, modelWork, initialCopies, hi)) {
            hi *= 2;
            if (hi > 1e12) {
                return lo; // cannot happen for a valid problem; never report more than is proven
            }
        }
        if (fits(problem, modelWork, initialCopies, lo)) {
            return lo;
        }
        for (int step = 0; step < 60 && hi - lo > 1e-9 * Math.max(1, hi); step++) {
            double mid = (lo + hi) / 2;
            if (fits(problem, modelWork, initialCopies, mid)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return lo; // the largest T shown not to fit: every plan is longer than it
    }

    private static boolean fits(Problem problem, double[] modelWork, int[] initialCopies, double makespan) {
        double need = 0;
        List<Double> leaving = new ArrayList<>();
        double bandwidth = problem.cluster().pcieGbPerSecond();
        for (int m = 0; m < problem.modelCount(); m++) {
            double unload = problem.switchSeconds(m, -1) - problem.cluster().switchOverheadSeconds();
            for (int c = 0; c < initialCopies[m]; c++) {
                leaving.add(Double.isInfinite(bandwidth) ? 0 : unload);
            }
            if (modelWork[m] <= 0) {
                continue;
            }
            double load = problem.switchSeconds(-1, m);
            int first = Math.max(0, problem.gpusOf(m) - initialCopies[m]);
            double rest = modelWork[m] - initialCopies[m] * makespan;
            long copies = first;
            if (rest > Verifier.EPSILON) {
                if (makespan <= load) {
                    return false; // no load of m ends in time to run any of it
                }
                copies = Math.max(copies, (long) Math.ceil((rest - Verifier.EPSILON) / (makespan - load)));
            }
            need += modelWork[m] + copies * load;
            for (long c = 0; c < copies && c < problem.size() + problem.gpus(); c++) {
                leaving.add(Double.isInfinite(bandwidth) ? 0 : unload);
            }
        }
        leaving.sort(Collections.reverseOrder());
        for (int r = problem.gpus(); r < leaving.size(); r++) {
            need += leaving.get(r);
        }
        return need <= problem.gpus() * makespan + Verifier.EPSILON;
    }
}
