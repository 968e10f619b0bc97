package dev.maze.offline;

/**
 * Bounds no plan can beat (maze-offline/README.md, "Lower bounds"):
 * <ul>
 *   <li><b>path</b>: the longest chain of execution times, each task starting no earlier than its model can first be
 *       loaded when no GPU starts with it ({@code size / bandwidth + overhead});
 *   <li><b>work</b>: the GPU-seconds of all tasks ({@code seconds × gpusNeeded}) plus, for each model no GPU starts
 *       with, its first load on each of the GPUs it needs, spread over all GPUs;
 * </ul>
 * and their maximum, rounded up to a whole number when every time is whole and switching is free (then some optimal
 * plan has whole-number times).
 */
public record LowerBounds(double path, double work) {

    public double best() {
        return Math.max(path, work);
    }

    public static LowerBounds of(Problem problem) {
        int models = problem.modelCount();
        double[] firstLoad = new double[models];
        boolean[] resident = new boolean[models];
        for (int g = 0; g < problem.gpus(); g++) {
            if (problem.initialModel(g) >= 0) {
                resident[problem.initialModel(g)] = true;
            }
        }
        boolean[] used = new boolean[models];
        for (int i = 0; i < problem.size(); i++) {
            used[problem.model(i)] = true;
        }
        double work = 0;
        for (int m = 0; m < models; m++) {
            firstLoad[m] = resident[m] ? 0 : problem.switchSeconds(-1, m);
            if (used[m]) {
                work += firstLoad[m] * problem.gpusOf(m);
            }
        }
        double[] end = new double[problem.size()];
        double path = 0;
        boolean whole = problem.cluster().switchOverheadSeconds() == 0
                && Double.isInfinite(problem.cluster().pcieGbPerSecond());
        for (int i = 0; i < problem.size(); i++) { // indexes are a topological order
            double start = firstLoad[problem.model(i)];
            for (int p : problem.predecessors(i)) {
                start = Math.max(start, end[p]);
            }
            end[i] = start + problem.seconds(i);
            path = Math.max(path, end[i]);
            work += problem.seconds(i) * problem.gpusNeeded(i);
            whole &= problem.seconds(i) == Math.rint(problem.seconds(i));
        }
        work /= problem.gpus();
        if (whole) {
            path = Math.ceil(path - Verifier.EPSILON);
            work = Math.ceil(work - Verifier.EPSILON);
        }
        return new LowerBounds(path, work);
    }
}
