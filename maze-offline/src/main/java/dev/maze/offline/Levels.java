package dev.maze.offline;

/** Structural figures of a problem's DAG that several strategies rank by. */
final class Levels {

    private Levels() {}

    /** Each task's topological level: 0 for a task without predecessors, else 1 + its predecessors' highest. */
    static int[] topological(Problem problem) {
        int[] level = new int[problem.size()];
        for (int i = 0; i < problem.size(); i++) { // indexes are a topological order
            for (int p : problem.predecessors(i)) {
                level[i] = Math.max(level[i], level[p] + 1);
            }
        }
        return level;
    }

    /** HEFT's upward rank: a task's time plus the highest rank of its successors (no communication costs here). */
    static double[] upwardRank(Problem problem) {
        double[] rank = new double[problem.size()];
        for (int i = problem.size() - 1; i >= 0; i--) {
            double below = 0;
            for (int s : problem.successors(i)) {
                below = Math.max(below, rank[s]);
            }
            rank[i] = problem.seconds(i) + below;
        }
        return rank;
    }
}
