package dev.maze.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSummaryTest {

    private static WorkflowSnapshot workflow(String id, WorkflowState state, double submitted, double finished) {
        return new WorkflowSnapshot(id, "w", state, submitted, finished, null, List.of());
    }

    @Test
    void percentilesInterpolateBetweenOrderStatistics() {
        double[] sorted = {10, 20, 30, 40};
        assertThat(RunSummary.percentile(sorted, 50)).isEqualTo(25.0);
        assertThat(RunSummary.percentile(sorted, 95)).isCloseTo(38.5, within(1e-9));
        assertThat(RunSummary.percentile(sorted, 0)).isEqualTo(10.0);
        assertThat(RunSummary.percentile(sorted, 100)).isEqualTo(40.0);
        assertThat(RunSummary.percentile(new double[0], 50)).isNaN();
    }

    @Test
    void latencyCountsFinishedWorkflowsOnlyAndThroughputUsesTheMakespan() {
        RunSummary summary = RunSummary.of(List.of(
                workflow("a", WorkflowState.FINISHED, 0, 10),
                workflow("b", WorkflowState.FINISHED, 0, 30),
                workflow("c", WorkflowState.FAILED, 5, 6),
                workflow("d", WorkflowState.CANCELLED, 10, 60)), 45, 1);
        assertThat(summary.completed()).isEqualTo(2);
        assertThat(summary.failed()).isEqualTo(1);
        assertThat(summary.cancelled()).isEqualTo(1);
        assertThat(summary.latencyP50()).isEqualTo(20.0);
        assertThat(summary.latencyMean()).isEqualTo(20.0);
        assertThat(summary.makespanSeconds()).isEqualTo(60.0);
        assertThat(summary.throughputPerMin()).isEqualTo(2.0);
        assertThat(summary.gpuBusyPercent()).isEqualTo(75.0);
    }

    @Test
    void gpuBusyIsUndefinedWithoutGpus() {
        RunSummary summary = RunSummary.of(List.of(workflow("a", WorkflowState.FINISHED, 0, 10)), 0, 0);
        assertThat(summary.gpuBusyPercent()).isNaN();
    }
}
