package dev.maze.core.sim;

import dev.maze.core.engine.WorkflowState;
import java.util.List;

/**
 * Everything one simulation run produced, as plain records; reports and charts derive their figures from it.
 * Times are virtual seconds.
 *
 * @param workload workload name
 * @param profile scheduler profile name
 * @param seed the seed of arrivals and durations
 * @param phases arrival phases (statistics per phase group workflows by submission time)
 * @param workflows one record per submitted workflow, in submission order
 * @param tasks one record per task that started at least once (its last attempt)
 * @param gpus GPUs in the cluster
 * @param gpuMemoryGb total GPU memory in the cluster
 * @param endSeconds virtual time when the last workflow ended
 * @param gpuBusySeconds GPU-seconds during which a GPU ran a task (model loads included)
 * @param modelLoads how many times a model was loaded onto a GPU
 * @param modelLoadSeconds GPU-seconds spent loading models
 * @param gpuMemoryGbSeconds integral of GPU memory in use (running tasks and resident models) over time
 * @param schedulingPasses times the engine ran its scheduling stage
 * @param wallSeconds real time the simulation took
 */
public record SimulationResult(
        String workload,
        String profile,
        long seed,
        List<Phase> phases,
        List<WorkflowRecord> workflows,
        List<TaskRecord> tasks,
        int gpus,
        double gpuMemoryGb,
        double endSeconds,
        double gpuBusySeconds,
        long modelLoads,
        double modelLoadSeconds,
        double gpuMemoryGbSeconds,
        long schedulingPasses,
        double wallSeconds) {

    /**
     * One workflow.
     *
     * @param phase index into {@link #phases()} of its submission
     * @param finishedAt NaN if it never ended (cannot happen when the run completes)
     */
    public record WorkflowRecord(String id, String type, int phase, double submittedAt, double finishedAt,
            WorkflowState state) {

        public double latencySeconds() {
            return finishedAt - submittedAt;
        }
    }

    /**
     * One task's last attempt.
     *
     * @param resourceClass gpu, cpu or io
     * @param model model it called, or null
     * @param readyAt when it last became READY
     * @param startedAt when its last attempt started
     * @param finishedAt when it ended
     * @param modelLoadSeconds part of the attempt spent loading its model (0 when it was resident)
     * @param node node it ran on
     */
    public record TaskRecord(String workflowId, String taskId, String resourceClass, String model, double readyAt,
            double startedAt, double finishedAt, double modelLoadSeconds, String node, double predictedSeconds) {

        /** Its run time without the model load: what the predictor was asked to predict. */
        public double runSeconds() {
            return finishedAt - startedAt - modelLoadSeconds;
        }


        /** Time spent READY before starting. */
        public double queueingSeconds() {
            return startedAt - readyAt;
        }
    }
}
