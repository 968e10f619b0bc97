package dev.maze.core.policy;

import java.util.HashMap;
import java.util.Map;

/**
 * Maze's DAPS: {@code Score = w1 * Urgency + w2 * Criticality} with
 * <ul>
 *   <li>{@code Urgency = 1 - remaining_inferences / max_known_inferences}: a workflow close to done goes first;
 *       {@code max_known_inferences} is the largest inference count seen in any workflow so far (this one included);
 *   <li>{@code Criticality = predicted_exec_time / expected_dag_time}: a task that is a large share of its
 *       workflow goes first; {@code expected_dag_time} is the running mean of finished workflows' execution
 *       times for the same workflow name, or the predicted critical path for a name never finished.
 * </ul>
 * Queue order {@link Order#SUBMIT_FIRST} (the default, as in Maze) sorts by (workflow submission time, -Score):
 * first come first served across workflows, Score within one. {@link Order#SCORE_AGING} sorts by Score first with
 * aging: key = readyAt - Score * agingSeconds, so a task with Score 1 is treated as if it had become ready
 * {@code agingSeconds} earlier; because new tasks' keys grow with the clock, no task waits forever.
 * {@link Order#LAXITY} sorts by (workflow submission time - the task's remaining path, -Score): least laxity first
 * when every workflow has the same relative deadline. Of two workflows, the one that would finish later after its
 * submission, were both started now, goes first: an old workflow and a long one ahead of a young, short one.
 * That targets the tail (P95/P99) rather than the mean. No task waits forever: a task's key is at most its
 * workflow's submission time, and a workflow submitted after that time plus the longest predicted path can never
 * precede it.
 */
public final class DapsPolicy implements OrderingPolicy {

    /** How Score and arrival combine into the queue order. */
    public enum Order {
        SUBMIT_FIRST,
        /** Score first, with aging. */
        SCORE_AGING,
        /** Least laxity first: submission time minus the task's remaining predicted path. */
        LAXITY
    }

    /**
     * Settings.
     *
     * @param urgencyWeight w1
     * @param criticalityWeight w2
     * @param order queue order
     * @param agingSeconds for {@link Order#SCORE_AGING}: seconds of head start per unit of Score
     * @param initialMaxInferences starting value of max_known_inferences (0 = learn from workflows only)
     * @param expectedTimeWeight 0: expected_dag_time is the running mean of finished workflows of a name, falling back
     *     to the critical path; w > 0: an exponential moving average {@code (1 - w) * old + w * new} that starts at
     *     {@code initialExpectedSeconds} for every name (as Maze codes it: w = 0.2, 300 s)
     * @param initialExpectedSeconds the EMA's starting value
     */
    public record Config(double urgencyWeight, double criticalityWeight, Order order, double agingSeconds,
            int initialMaxInferences, double expectedTimeWeight, double initialExpectedSeconds) {

        public static final Config DEFAULT = new Config(2.0, 1.0, Order.SUBMIT_FIRST, 60, 0, 0, 300);

        /** Maze's DAPS as coded: max_known_inferences from 10, expected_dag_time EMA 0.8/0.2 from 300 s. */
        public static final Config AS_CODED = new Config(2.0, 1.0, Order.SUBMIT_FIRST, 60, 10, 0.2, 300);

        /** These settings with another queue order. */
        public Config withOrder(Order newOrder) {
            return new Config(urgencyWeight, criticalityWeight, newOrder, agingSeconds, initialMaxInferences,
                    expectedTimeWeight, initialExpectedSeconds);
        }
    }

    private final Config config;
    private int maxKnownInferences;
    private final Map<String, RunningMean> executionTimes = new HashMap<>();
    private final Map<String, Double> emaTimes = new HashMap<>();

    public DapsPolicy() {
        this(Config.DEFAULT);
    }

    public DapsPolicy(Config config) {
        this.config = config;
        this.maxKnownInferences = config.initialMaxInferences();
    }

    @Override
    public String name() {
        return switch (config.order()) {
            case SUBMIT_FIRST -> "daps";
            case SCORE_AGING -> "daps-aging";
            case LAXITY -> "daps-laxity";
        };
    }

    @Override
    public void onWorkflowSubmitted(String workflowName, int inferences) {
        maxKnownInferences = Math.max(maxKnownInferences, inferences);
    }

    @Override
    public void onWorkflowFinished(String workflowName, double executionSeconds) {
        if (config.expectedTimeWeight() > 0) {
            double w = config.expectedTimeWeight();
            emaTimes.merge(workflowName, (1 - w) * config.initialExpectedSeconds() + w * executionSeconds,
                    (old, ignored) -> (1 - w) * old + w * executionSeconds);
        } else {
            executionTimes.computeIfAbsent(workflowName, name -> new RunningMean()).add(executionSeconds);
        }
    }

    @Override
    public QueueKey key(ReadyTask task) {
        double score = score(task);
        return switch (config.order()) {
            case SUBMIT_FIRST -> new QueueKey(task.workflowSubmittedAt(), -score);
            case SCORE_AGING -> new QueueKey(task.readyAt() - score * config.agingSeconds(), 0);
            case LAXITY -> new QueueKey(task.workflowSubmittedAt() - task.remainingPathSeconds(), -score);
        };
    }

    /** The task's Score under the current statistics. */
    public double score(ReadyTask task) {
        int maxInferences = Math.max(maxKnownInferences, task.workflowInferences());
        double urgency = maxInferences == 0 ? 0 : 1 - (double) task.remainingInferences() / maxInferences;
        double expected = expectedExecutionSeconds(task.workflowName(), task.criticalPathSeconds());
        double criticality = expected > 0 ? task.predictedSeconds() / expected : 0;
        return config.urgencyWeight() * urgency + config.criticalityWeight() * criticality;
    }

    /** expected_dag_time for a workflow name, or {@code fallbackSeconds} when none of that name has finished. */
    public double expectedExecutionSeconds(String workflowName, double fallbackSeconds) {
        if (config.expectedTimeWeight() > 0) {
            return emaTimes.getOrDefault(workflowName, config.initialExpectedSeconds());
        }
        RunningMean mean = executionTimes.get(workflowName);
        return mean == null ? fallbackSeconds : mean.value;
    }

    /** max_known_inferences so far. */
    public int maxKnownInferences() {
        return maxKnownInferences;
    }

    private static final class RunningMean {
        private long count;
        private double value;

        void add(double sample) {
            count++;
            value += (sample - value) / count;
        }
    }
}
