package dev.maze.core.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.maze.core.engine.WorkflowState;
import dev.maze.core.sim.SimulationMetrics.PhaseMetrics;
import dev.maze.core.sim.SimulationResult.TaskRecord;
import dev.maze.core.sim.SimulationResult.WorkflowRecord;
import dev.maze.core.testing.Choices;
import dev.maze.core.testing.SeededProperty;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationMetricsTest {

    private static final List<Phase> TWO_PHASES = List.of(new Phase("phase 1 (50%)", 0, 100, 0.01),
            new Phase("phase 2 (100%)", 100, 200, 0.02));

    static WorkflowRecord workflow(String id, int phase, double submitted, double finished, WorkflowState state) {
        return new WorkflowRecord(id, "type-" + id, phase, submitted, finished, state);
    }

    static TaskRecord task(String id, String resourceClass, double ready, double started, double finished) {
        return new TaskRecord("w", id, resourceClass, "gpu".equals(resourceClass) ? "qwen3-32b" : null, ready, started,
                finished, 0, "node-0", Double.NaN);
    }

    static SimulationResult result(List<WorkflowRecord> workflows, List<TaskRecord> tasks, int gpus, double end) {
        return new SimulationResult("tiny", "daps", 7, TWO_PHASES, workflows, tasks, gpus, 160, end, 105, 3, 21,
                160 * 210 * 0.4, 500, 0.5);
    }

    /** Latencies 10 and 30 in phase 1 (plus a failed one), 60 and 100 in phase 2; the last ends at 210 s. */
    private static SimulationResult handBuilt() {
        return result(List.of(
                workflow("a", 0, 0, 10, WorkflowState.FINISHED),
                workflow("b", 0, 20, 50, WorkflowState.FINISHED),
                workflow("c", 0, 40, 41, WorkflowState.FAILED),
                workflow("d", 1, 100, 160, WorkflowState.FINISHED),
                workflow("e", 1, 110, 210, WorkflowState.FINISHED)),
                List.of(task("t1", "gpu", 0, 0, 5), task("t2", "cpu", 1, 3, 4), task("t3", "io", 2, 6, 7),
                        task("t4", "gpu", 10, 20, 30)),
                2, 210);
    }

    @Test
    void predictionErrorIsWeightedByRunTimeAndLeavesTheModelLoadOut() {
        // a: ran 10 s after a 30 s load, predicted 12 (error 2); b: ran 30 s, predicted 21 (error 9); c: unfinished.
        List<TaskRecord> tasks = List.of(
                new TaskRecord("w", "a", "gpu", "m", 0, 0, 40, 30, "n", 12),
                new TaskRecord("w", "b", "gpu", "m", 0, 40, 70, 0, "n", 21),
                new TaskRecord("w", "c", "cpu", null, 0, 70, Double.NaN, 0, "n", 3));
        assertThat(SimulationMetrics.predictionErrorPercent(tasks)).isCloseTo(100.0 * 11 / 40, within(1e-9));
        assertThat(SimulationMetrics.predictionErrorPercent(List.of())).isNaN();
    }

    @Test
    void latencyPercentilesAreOverFinishedWorkflowsAndInterpolateLinearly() {
        SimulationMetrics metrics = SimulationMetrics.of(handBuilt());
        assertThat(metrics.submitted()).isEqualTo(5);
        assertThat(metrics.completed()).isEqualTo(4);
        // Sorted latencies 10, 30, 60, 100.
        assertThat(metrics.latencyMean()).isEqualTo(50.0);
        assertThat(metrics.latencyP50()).isCloseTo(45.0, within(1e-9));
        assertThat(metrics.latencyP95()).isCloseTo(94.0, within(1e-9));
        assertThat(metrics.latencyP99()).isCloseTo(98.8, within(1e-9));
    }

    @Test
    void throughputIsCompletedPerMinuteFromFirstSubmissionToTheLastEnd() {
        SimulationMetrics metrics = SimulationMetrics.of(handBuilt());
        assertThat(metrics.spanSeconds()).isEqualTo(210.0);
        assertThat(metrics.throughputPerMin()).isCloseTo(4 / 3.5, within(1e-12));
    }

    @Test
    void phasesGroupWorkflowsBySubmissionPhase() {
        List<PhaseMetrics> phases = SimulationMetrics.of(handBuilt()).phases();
        assertThat(phases).extracting(PhaseMetrics::name).containsExactly("phase 1 (50%)", "phase 2 (100%)");
        PhaseMetrics first = phases.get(0);
        assertThat(first.submitted()).isEqualTo(3);
        assertThat(first.completed()).isEqualTo(2);
        assertThat(first.latencyMean()).isEqualTo(20.0);
        assertThat(first.latencyP50()).isEqualTo(20.0);
        assertThat(first.latencyP95()).isCloseTo(29.0, within(1e-9));
        PhaseMetrics second = phases.get(1);
        assertThat(second.submitted()).isEqualTo(2);
        assertThat(second.completed()).isEqualTo(2);
        assertThat(second.latencyMean()).isEqualTo(80.0);
        assertThat(second.latencyP95()).isCloseTo(98.0, within(1e-9));
    }

    @Test
    void aPhaseWithoutFinishedWorkflowsHasNoLatency() {
        SimulationMetrics metrics = SimulationMetrics.of(result(
                List.of(workflow("a", 0, 0, 10, WorkflowState.FINISHED), workflow("b", 1, 120, 130, WorkflowState.FAILED)),
                List.of(), 2, 130));
        PhaseMetrics second = metrics.phases().get(1);
        assertThat(second.submitted()).isEqualTo(1);
        assertThat(second.completed()).isZero();
        assertThat(second.latencyP95()).isNaN();
        assertThat(second.latencyMean()).isNaN();
    }

    @Test
    void gpuBusyLoadingShareAndMemoryAreOverGpusTimesTheSpan() {
        SimulationMetrics metrics = SimulationMetrics.of(handBuilt());
        assertThat(metrics.gpuBusyPercent()).isCloseTo(100.0 * 105 / (2 * 210), within(1e-9)); // 25%
        assertThat(metrics.modelLoadSharePercent()).isCloseTo(20.0, within(1e-9)); // 21 of 105 busy GPU-seconds
        assertThat(metrics.modelLoads()).isEqualTo(3);
        assertThat(metrics.gpuMemoryPercent()).isCloseTo(40.0, within(1e-9));
    }

    @Test
    void queueingDelayIsStartMinusReady() {
        SimulationMetrics metrics = SimulationMetrics.of(handBuilt());
        // Delays 0, 2, 4, 10.
        assertThat(metrics.queueingMeanSeconds()).isEqualTo(4.0);
        assertThat(metrics.queueingP95Seconds()).isCloseTo(9.1, within(1e-9));
    }

    @Test
    void ratesAreOverWallTime() {
        SimulationMetrics metrics = SimulationMetrics.of(handBuilt());
        assertThat(metrics.tasks()).isEqualTo(4);
        assertThat(metrics.schedulingPasses()).isEqualTo(500);
        assertThat(metrics.schedulingPassesPerSecond()).isEqualTo(1000.0);
        assertThat(metrics.simulatedTasksPerSecond()).isEqualTo(8.0);
        assertThat(metrics.wallSeconds()).isEqualTo(0.5);
    }

    @Test
    void figuresThatDoNotExistAreNaN() {
        SimulationResult nothing = new SimulationResult("empty", "daps", 1, TWO_PHASES, List.of(), List.of(), 0, 0, 0,
                0, 0, 0, 0, 0, 0);
        SimulationMetrics metrics = SimulationMetrics.of(nothing);
        assertThat(metrics.completed()).isZero();
        assertThat(metrics.latencyP95()).isNaN();
        assertThat(metrics.throughputPerMin()).isNaN();
        assertThat(metrics.gpuBusyPercent()).isNaN();
        assertThat(metrics.modelLoadSharePercent()).isNaN();
        assertThat(metrics.queueingMeanSeconds()).isNaN();
        assertThat(metrics.simulatedTasksPerSecond()).isNaN();
        assertThat(SimulationMetrics.gpuUtilisation(nothing, 10).size()).isZero();
    }

    @Test
    void aWorkflowInAnUnknownPhaseIsRejected() {
        SimulationResult broken = result(List.of(workflow("a", 2, 0, 10, WorkflowState.FINISHED)), List.of(), 1, 10);
        assertThatThrownBy(() -> SimulationMetrics.of(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workflow 'a' names phase 2 but the result has 2 phases");
    }

    /** GPU tasks [0, 20) and [5, 15) on 2 GPUs; READY intervals [0, 5) and [2, 12); the run ends at 30 s. */
    private static SimulationResult timeline() {
        return result(List.of(workflow("a", 0, 0, 30, WorkflowState.FINISHED)),
                List.of(task("A", "gpu", 0, 0, 20), task("B", "gpu", 0, 5, 15), task("C", "cpu", 2, 12, 30)), 2, 30);
    }

    @Test
    void gpuUtilisationIsTheMeanShareOfGpusBusyInEachStep() {
        Curve curve = SimulationMetrics.gpuUtilisation(timeline(), 10);
        assertThat(curve.x()).containsExactly(0.0, 10.0, 20.0);
        // [0, 10): A 10 s + B 5 s = 15 GPU-seconds of 20 -> 75%; [10, 20): A 10 s + B 5 s -> 75%; [20, 30): idle.
        assertThat(curve.y()).containsExactly(75.0, 75.0, 0.0);
    }

    @Test
    void gpuUtilisationNeverExceedsAllGpus() {
        SimulationResult shared = result(List.of(workflow("a", 0, 0, 10, WorkflowState.FINISHED)),
                List.of(task("A", "gpu", 0, 0, 10), task("B", "gpu", 0, 0, 10), task("C", "gpu", 0, 0, 10)), 2, 10);
        assertThat(SimulationMetrics.gpuUtilisation(shared, 10).y()).containsExactly(100.0);
    }

    @Test
    void readyQueueLengthIsTheMeanNumberOfReadyTasksInEachStep() {
        Curve curve = SimulationMetrics.readyQueueLength(timeline(), 10);
        assertThat(curve.x()).containsExactly(0.0, 10.0, 20.0);
        // [0, 10): B READY 5 s + C READY 8 s -> 1.3 on average; [10, 20): C 2 s -> 0.2.
        assertThat(curve.y().get(0)).isCloseTo(1.3, within(1e-12));
        assertThat(curve.y().get(1)).isCloseTo(0.2, within(1e-12));
        assertThat(curve.y().get(2)).isZero();
    }

    @Test
    void aFinerGridSeesTheInstants() {
        Curve curve = SimulationMetrics.readyQueueLength(timeline(), 1);
        assertThat(curve.size()).isEqualTo(30);
        assertThat(curve.y().get(1)).isEqualTo(1.0); // B only
        assertThat(curve.y().get(3)).isEqualTo(2.0); // B and C
        assertThat(curve.y().get(7)).isEqualTo(1.0); // C only
        assertThat(curve.y().get(12)).isEqualTo(0.0);
    }

    @Test
    void theLatencyCdfRisesByOneOverNAtEachFinishedWorkflow() {
        Curve cdf = SimulationMetrics.latencyCdf(SimulationMetrics.finishedLatencies(handBuilt().workflows()));
        assertThat(cdf.x()).containsExactly(10.0, 30.0, 60.0, 100.0);
        assertThat(cdf.y()).containsExactly(0.25, 0.5, 0.75, 1.0);
    }

    @Test
    void aStepMustBePositive() {
        assertThatThrownBy(() -> SimulationMetrics.readyQueueLength(timeline(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step must be > 0");
    }

    /**
     * The utilisation curve conserves GPU time: summed over the grid it gives back every GPU task's running time
     * (when no bin is capped, i.e. never more tasks than GPUs), whatever the step. Times are whole hundredths of a
     * second, so that a task now and then starts or ends exactly on a bin's edge.
     */
    @SeededProperty(tries = 200, seed = 31)
    void gpuUtilisationConservesBusyTime(long seed) {
        Choices choices = Choices.of(seed);
        List<Double> starts = choices.listOf(1, 20, () -> hundredths(choices.between(0.0, 500.0)));
        double duration = hundredths(choices.between(0.01, 100.0));
        int step = choices.between(1, 60);
        List<TaskRecord> tasks = new ArrayList<>();
        double busy = 0;
        double end = 0;
        for (int i = 0; i < starts.size(); i++) {
            tasks.add(task("t" + i, "gpu", starts.get(i), starts.get(i), starts.get(i) + duration));
            busy += duration;
            end = Math.max(end, starts.get(i) + duration);
        }
        SimulationResult result = result(List.of(workflow("a", 0, 0, end, WorkflowState.FINISHED)), tasks,
                starts.size(), end);
        Curve curve = SimulationMetrics.gpuUtilisation(result, step);
        double integrated = curve.y().stream().mapToDouble(Double::doubleValue).sum() / 100 * step * starts.size();
        assertThat(integrated).isCloseTo(busy, within(1e-6 * Math.max(1, busy)));
    }

    @Test
    void aRunAsLongAsTheLongestDurationIsSampledOnACoarserGridOfAtMostTheCap() {
        // Two GPU tasks of the longest duration, one after the other: 2e8 s, 2e10 steps of 0.01 s asked.
        SimulationResult longRun = result(List.of(workflow("a", 0, 0, 2e8, WorkflowState.FINISHED)),
                List.of(task("A", "gpu", 0, 0, 1e8), task("B", "gpu", 1e8, 1e8, 2e8)), 1, 2e8);
        for (double asked : new double[] {0.01, 10, 19_999}) {
            double step = SimulationMetrics.gridStep(2e8, asked);
            assertThat(step / asked).as("a whole multiple of the step asked").isEqualTo(Math.rint(step / asked));
            Curve gpu = SimulationMetrics.gpuUtilisation(longRun, asked);
            Curve queue = SimulationMetrics.readyQueueLength(longRun, asked);
            assertThat(gpu.size()).isBetween(SimulationMetrics.MAX_CURVE_POINTS / 2, SimulationMetrics.MAX_CURVE_POINTS);
            assertThat(queue.size()).isEqualTo(gpu.size());
            assertThat(gpu.x().get(1) - gpu.x().get(0)).isEqualTo(step);
            // The one GPU is busy all along; the last step may reach past the run's end.
            assertThat(gpu.y().subList(0, gpu.size() - 1)).allSatisfy(y -> assertThat(y).isCloseTo(100.0, within(1e-6)));
        }
        // A grid that fits is left as asked.
        assertThat(SimulationMetrics.gridStep(30, 10)).isEqualTo(10);
        assertThat(SimulationMetrics.gridStep(100_000, 10)).isEqualTo(10);
        assertThat(SimulationMetrics.gridStep(100_001, 10)).isEqualTo(20);
        assertThatThrownBy(() -> SimulationMetrics.gridStep(10, Double.NaN)).hasMessageContaining("step must be > 0");
    }

    @Test
    void aLargeLatencyCdfKeepsAtMostTheCapOfItsOwnPoints() {
        double[] latencies = new double[25_000];
        for (int i = 0; i < latencies.length; i++) {
            latencies[i] = i + 1;
        }
        Curve cdf = SimulationMetrics.latencyCdf(latencies);
        assertThat(cdf.size()).isEqualTo(SimulationMetrics.MAX_CURVE_POINTS);
        assertThat(cdf.y().get(cdf.size() - 1)).isEqualTo(1.0);
        for (int i = 0; i < cdf.size(); i += 997) { // each point is a point of the exact CDF
            assertThat(cdf.y().get(i)).isEqualTo(cdf.x().get(i) / latencies.length);
        }
    }

    private static double hundredths(double seconds) {
        return Math.round(seconds * 100) / 100.0;
    }
}
