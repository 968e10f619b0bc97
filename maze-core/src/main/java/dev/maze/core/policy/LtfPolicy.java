package dev.maze.core.policy;

/**
 * Longest predicted task first, the Maze artifact's other online baseline (src/agentos/scheduler/ltf.py). As coded
 * ({@link Order#SUBMIT_FIRST}, the default) its queue key is (workflow submission time, −predicted run time): first
 * come first served across workflows, and within one workflow (or workflows submitted together) the task predicted to
 * run longest first. {@link Order#LONGEST_FIRST} drops the submission time: the longest predicted ready task of any
 * workflow first. That variant can starve a short task behind a stream of long ones; the coded one cannot, since a
 * later workflow never precedes an earlier one.
 */
public final class LtfPolicy implements OrderingPolicy {

    /** Whether workflows are served in submission order first. */
    public enum Order {
        /** As coded: (workflow submission time, −predicted). */
        SUBMIT_FIRST,
        /** Across workflows: −predicted alone (ties by arrival in the ready queue). */
        LONGEST_FIRST
    }

    private final Order order;

    /** As coded: {@link Order#SUBMIT_FIRST}. */
    public LtfPolicy() {
        this(Order.SUBMIT_FIRST);
    }

    public LtfPolicy(Order order) {
        this.order = order;
    }

    @Override
    public String name() {
        return "ltf";
    }

    /** The order this instance uses. */
    public Order order() {
        return order;
    }

    @Override
    public QueueKey key(ReadyTask task) {
        return switch (order) {
            case SUBMIT_FIRST -> new QueueKey(task.workflowSubmittedAt(), -task.predictedSeconds());
            case LONGEST_FIRST -> new QueueKey(-task.predictedSeconds(), 0);
        };
    }
}
