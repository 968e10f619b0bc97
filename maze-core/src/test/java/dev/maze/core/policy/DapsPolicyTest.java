package dev.maze.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.maze.core.node.Resources;
import dev.maze.core.workflow.TaskSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * DAPS Score and queue keys against hand-computed values: Score = 2 * Urgency + 1 * Criticality, Urgency =
 * 1 - remaining / max_known_inferences, Criticality = predicted / expected_dag_time.
 */
class DapsPolicyTest {

    private static final double EPS = 1e-12;

    /** What the engine would tell the policy about a ready task. */
    record Task(String workflowName, double workflowSubmittedAt, double readyAt, int workflowInferences,
            int remainingInferences, double predictedSeconds, double criticalPathSeconds, int topologicalIndex)
            implements ReadyTask {

        @Override
        public TaskSpec spec() {
            return new TaskSpec("t", "sim", "llm_process", List.of(), Resources.DEFAULT, null, null, null, Map.of(), null);
        }

        @Override
        public int ancestors() {
            return topologicalIndex;
        }

        @Override
        public int descendants() {
            return 0;
        }

        @Override
        public int remainingTasks() {
            return 1;
        }

        @Override
        public double remainingPathSeconds() {
            return predictedSeconds;
        }
    }

    /** A task of workflow "rag" (4 inferences, 3 left), predicted 5 s on a 10 s critical path. */
    private static Task ragTask() {
        return new Task("rag", 12, 20, 4, 3, 5, 10, 0);
    }

    @Test
    void scoreIsTwiceUrgencyPlusCriticality() {
        DapsPolicy daps = new DapsPolicy();
        daps.onWorkflowSubmitted("rag", 4);
        // Urgency 1 - 3/4 = 0.25; Criticality 5/10 = 0.5 (no "rag" finished yet: critical path); 2*0.25 + 0.5 = 1.0.
        assertThat(daps.score(ragTask())).isCloseTo(1.0, within(EPS));
        assertThat(daps.key(ragTask())).isEqualTo(new QueueKey(12, -1.0));
    }

    @Test
    void maxKnownInferencesGrowsWithSubmittedWorkflowsAndNeverShrinks() {
        DapsPolicy daps = new DapsPolicy();
        assertThat(daps.maxKnownInferences()).isZero();
        daps.onWorkflowSubmitted("rag", 4);
        assertThat(daps.maxKnownInferences()).isEqualTo(4);
        daps.onWorkflowSubmitted("agent", 8);
        assertThat(daps.maxKnownInferences()).isEqualTo(8);
        daps.onWorkflowSubmitted("tiny", 2);
        assertThat(daps.maxKnownInferences()).isEqualTo(8);
        // Urgency is now 1 - 3/8 = 0.625: 2*0.625 + 0.5 = 1.75.
        assertThat(daps.score(ragTask())).isCloseTo(1.75, within(EPS));
    }

    @Test
    void aWorkflowLargerThanAnySeenCountsItselfAsTheMaximum() {
        DapsPolicy daps = new DapsPolicy(); // never told about the workflow: max = its own 4 inferences
        assertThat(daps.score(new Task("rag", 0, 0, 4, 1, 5, 10, 0))).isCloseTo(2 * 0.75 + 0.5, within(EPS));
    }

    @Test
    void initialMaxInferencesStartsTheMaximum() {
        DapsPolicy daps = new DapsPolicy(new DapsPolicy.Config(2, 1, DapsPolicy.Order.SUBMIT_FIRST, 60, 10, 0, 300));
        assertThat(daps.maxKnownInferences()).isEqualTo(10);
        assertThat(daps.score(ragTask())).isCloseTo(2 * (1 - 3 / 10.0) + 0.5, within(EPS));
    }

    @Test
    void expectedDagTimeIsTheRunningMeanOfFinishedWorkflowsOfTheSameName() {
        DapsPolicy daps = new DapsPolicy();
        daps.onWorkflowSubmitted("rag", 4);
        daps.onWorkflowFinished("rag", 20);
        daps.onWorkflowFinished("rag", 30);
        daps.onWorkflowFinished("other", 1000);
        assertThat(daps.expectedExecutionSeconds("rag", 99)).isCloseTo(25, within(EPS));
        assertThat(daps.expectedExecutionSeconds("never-finished", 99)).isEqualTo(99);
        // Criticality 5/25 = 0.2 instead of 5/10: 2*0.25 + 0.2 = 0.7.
        assertThat(daps.score(ragTask())).isCloseTo(0.7, within(EPS));
        daps.onWorkflowFinished("rag", 70);
        assertThat(daps.expectedExecutionSeconds("rag", 99)).isCloseTo(40, within(EPS));
    }

    @Test
    void aWorkflowWithoutInferencesOrPredictionsScoresZero() {
        DapsPolicy daps = new DapsPolicy();
        assertThat(daps.score(new Task("tools", 0, 0, 0, 0, 0, 0, 0))).isZero();
        assertThat(daps.score(new Task("tools", 0, 0, 0, 0, 3, 0, 0))).as("no expected time: criticality 0").isZero();
    }

    @Test
    void aWorkflowWithoutModelCallsIsAsUrgentAsOneWithNoneLeft() {
        DapsPolicy daps = new DapsPolicy();
        daps.onWorkflowSubmitted("rag", 4);
        // remaining 0 of max 4: Urgency 1.
        assertThat(daps.score(new Task("tools", 0, 0, 0, 0, 1, 4, 0))).isCloseTo(2 * 1 + 0.25, within(EPS));
    }

    @Test
    void weightsScaleTheirTerms() {
        DapsPolicy criticalOnly = new DapsPolicy(new DapsPolicy.Config(0, 3, DapsPolicy.Order.SUBMIT_FIRST, 60, 0, 0, 300));
        criticalOnly.onWorkflowSubmitted("rag", 4);
        assertThat(criticalOnly.score(ragTask())).isCloseTo(1.5, within(EPS));
        DapsPolicy urgentOnly = new DapsPolicy(new DapsPolicy.Config(1, 0, DapsPolicy.Order.SUBMIT_FIRST, 60, 0, 0, 300));
        urgentOnly.onWorkflowSubmitted("rag", 4);
        assertThat(urgentOnly.score(ragTask())).isCloseTo(0.25, within(EPS));
    }

    @Test
    void scoreAgingKeysByReadyTimeMinusScoreTimesAgingSeconds() {
        DapsPolicy aging = new DapsPolicy(new DapsPolicy.Config(2, 1, DapsPolicy.Order.SCORE_AGING, 60, 0, 0, 300));
        aging.onWorkflowSubmitted("rag", 4);
        assertThat(aging.name()).isEqualTo("daps-aging");
        // readyAt 20, Score 1.0: treated as ready 60 s earlier.
        assertThat(aging.key(ragTask())).isEqualTo(new QueueKey(20 - 60, 0));
        // A Score-0 task ready at 0 goes after a Score-1 task ready at 20, but before one ready at 61.
        // Score 0: none of its 4 model calls done, nothing predicted.
        QueueKey idle = aging.key(new Task("rag", 0, 0, 4, 4, 0, 10, 0));
        assertThat(idle).isEqualTo(new QueueKey(0, 0));
        assertThat(aging.key(ragTask()).primary()).isLessThan(idle.primary());
        assertThat(aging.key(new Task("rag", 61, 61, 4, 3, 5, 10, 0)).primary()).isGreaterThan(idle.primary());
    }

    @Test
    void submitFirstKeysBySubmissionTimeThenNegativeScore() {
        DapsPolicy daps = new DapsPolicy();
        daps.onWorkflowSubmitted("rag", 4);
        assertThat(daps.name()).isEqualTo("daps");
        QueueKey early = daps.key(new Task("rag", 10, 50, 4, 4, 1, 10, 0)); // Score 0.1
        QueueKey late = daps.key(new Task("rag", 11, 11, 4, 1, 10, 10, 0)); // Score 2.5
        assertThat(early).isEqualTo(new QueueKey(10, -0.1));
        assertThat(late).isEqualTo(new QueueKey(11, -2.5));
    }
}
