package dev.maze.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EventLog;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Longest predicted task first as the Maze artifact codes it: (workflow submission time, −predicted), so workflows in
 * submission order and, within one, the longest predicted task first; {@code order=longest} orders by −predicted alone.
 */
class LtfPolicyTest {

    @Test
    void keyIsSubmissionTimeThenTheNegatedPrediction() {
        LtfPolicy ltf = new LtfPolicy();
        assertThat(ltf.name()).isEqualTo("ltf");
        assertThat(ltf.traits()).isEmpty();
        // Task(workflowName, submittedAt, readyAt, inferences, remaining, predicted, criticalPath, topologicalIndex)
        assertThat(ltf.key(new DapsPolicyTest.Task("w", 12, 20, 1, 1, 7.5, 10, 0))).isEqualTo(new QueueKey(12, -7.5));
        assertThat(new LtfPolicy(LtfPolicy.Order.LONGEST_FIRST).key(new DapsPolicyTest.Task("w", 12, 20, 1, 1, 7.5, 10, 0)))
                .isEqualTo(new QueueKey(-7.5, 0));
    }

    @Test
    void keysSortWorkflowsBySubmissionAndTasksOfOneWorkflowLongestFirst() {
        LtfPolicy ltf = new LtfPolicy();
        QueueKey earlyShort = ltf.key(new DapsPolicyTest.Task("a", 0, 5, 1, 1, 1, 1, 0));
        QueueKey earlyLong = ltf.key(new DapsPolicyTest.Task("a", 0, 5, 1, 1, 90, 90, 1));
        QueueKey lateLongest = ltf.key(new DapsPolicyTest.Task("b", 1, 5, 1, 1, 500, 500, 0));
        List<QueueKey> sorted = List.of(lateLongest, earlyShort, earlyLong).stream()
                .sorted(java.util.Comparator.comparingDouble(QueueKey::primary).thenComparingDouble(QueueKey::secondary))
                .toList();
        assertThat(sorted).containsExactly(earlyLong, earlyShort, lateLongest);
    }

    @Test
    void onOneCoreTheEngineRunsTheLongestPredictedTaskOfTheEarliestWorkflowFirst() throws Exception {
        // w1 at 0 has three independent tasks predicted 1, 30 and 10 s; w2 at 0.5 one task predicted 100 s. Each runs
        // 1 s on the one core, so a choice is made at 0, 1, 2 and 3. As coded: w1's tasks longest first (b, c, a),
        // then w2's, although it is predicted longest of all.
        assertThat(startOrder("ltf")).containsExactly("w1/b", "w1/c", "w1/a", "w2/x");
        // Longest first across workflows: b starts at 0 (w2 is not there yet), then w2's 100 s task jumps the queue.
        assertThat(startOrder("ltf:order=longest")).containsExactly("w1/b", "w2/x", "w1/c", "w1/a");
        // FCFS, for contrast, follows arrival in the ready queue.
        assertThat(startOrder("fcfs")).containsExactly("w1/a", "w1/b", "w1/c", "w2/x");
    }

    @Test
    void theSpecTakesOnlyOrder() {
        assertThat(((LtfPolicy) OrderingPolicies.create("ltf")).order()).isEqualTo(LtfPolicy.Order.SUBMIT_FIRST);
        assertThat(((LtfPolicy) OrderingPolicies.create("ltf:order=longest")).order()).isEqualTo(LtfPolicy.Order.LONGEST_FIRST);
        assertThat(OrderingPolicies.parameters("ltf")).containsExactly("order");
        assertThatThrownBy(() -> OrderingPolicies.create("ltf:order=shortest")).hasMessageContaining("'submit' or 'longest'");
        assertThatThrownBy(() -> OrderingPolicies.create("ltf:w1=1"))
                .hasMessageContaining("unknown parameter(s) [w1]").hasMessageContaining("known: order");
    }

    /** w1 is submitted at 0 and w2 at 0.5 to one core; each task runs 1 s. */
    private static List<String> startOrder(String policy) throws Exception {
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n1", 1, 8, 0, 0)))
                .policy(policy).listener(log).build();
        WorkflowSpec w1 = WorkflowBuilder.workflow("fan").id("w1")
                .task("a", t -> t.input("seconds", 1).predictedSeconds(1))
                .task("b", t -> t.input("seconds", 1).predictedSeconds(30))
                .task("c", t -> t.input("seconds", 1).predictedSeconds(10))
                .build();
        WorkflowSpec w2 = WorkflowBuilder.workflow("one").id("w2").task("x", t -> t.input("seconds", 1).predictedSeconds(100)).build();
        engine.submitAt(0, w1);
        engine.submitAt(0.5, w2);
        engine.runUntilIdle();
        return log.startOrder();
    }
}
