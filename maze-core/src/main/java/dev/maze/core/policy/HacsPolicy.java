package dev.maze.core.policy;

/**
 * Maze's newer policy HACS, as coded (maze/core/scheduler/strategy.py): the ready queue is sorted by descending
 * score, ties by arrival. The key is computed once, with the workflow's submission time as "now", so the wait
 * term is always 0:
 * <ul>
 *   <li>{@code dynamic} (Maze's default): score = (ancestors + wait / avg_completion) / predicted = ancestors / predicted;
 *   <li>{@code static}: score = log2(2 + 2 * descendants) * 1.1^phi / predicted with
 *       phi = clamp(wait / avg_completion - remaining_tasks, -20, 20) = clamp(-remaining_tasks, -20, 20).
 * </ul>
 * Because wait is 0, avg_completion never matters and there is no aging: across workflows nothing is first come
 * first served.
 */
public final class HacsPolicy implements OrderingPolicy {

    /** Which HACS formula. */
    public enum Mode {
        DYNAMIC,
        STATIC
    }

    private static final double BETA = 1.1;
    private final Mode mode;

    public HacsPolicy(Mode mode) {
        this.mode = mode;
    }

    @Override
    public String name() {
        return mode == Mode.DYNAMIC ? "hacs" : "hacs-static";
    }

    @Override
    public QueueKey key(ReadyTask task) {
        return new QueueKey(-score(task), 0);
    }

    /** The task's HACS score (higher runs first). */
    public double score(ReadyTask task) {
        double predicted = Math.max(task.predictedSeconds(), 1e-3);
        return switch (mode) {
            case DYNAMIC -> task.ancestors() / predicted;
            case STATIC -> {
                double phi = Math.max(-20, Math.min(20, -task.remainingTasks()));
                yield Math.log(2.0 + 2.0 * task.descendants()) / Math.log(2) * Math.pow(BETA, phi) / predicted;
            }
        };
    }
}
