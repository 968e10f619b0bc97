package dev.maze.core.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A task's state at one instant, safe to hand to any thread. Times are seconds on the engine's clock.
 *
 * @param attempts attempts started so far
 * @param readyAt when it last became READY, or null
 * @param node node of the latest attempt, or null
 * @param startedAt start of the latest attempt, or null
 * @param finishedAt when it reached a terminal state, or null
 * @param output output of a finished task, or null
 * @param error why it failed or was cancelled, or null
 * @param modelLoadSeconds part of the latest attempt spent loading its model onto its GPU
 * @param predictedSeconds the run time the scheduler predicted when the task last became ready, or null before
 * @param pendingReason for a READY task, why it has not started, aggregated over the nodes (e.g. "needs 2 GPUs,
 *     model qwen3-32b: 6 nodes have fewer free GPUs, 2 nodes do not allow the model; holds the reservation on
 *     gpu-3"); null in any other state
 */
public record TaskSnapshot(
        String id, String toolType, TaskState state, int attempts, String node, Double readyAt, Double startedAt,
        Double finishedAt, JsonNode output, String error, double modelLoadSeconds, Double predictedSeconds,
        String pendingReason) {}
