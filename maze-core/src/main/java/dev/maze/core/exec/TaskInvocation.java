package dev.maze.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.TaskSpec;

/**
 * One attempt of a task, as given to its executor.
 *
 * @param workflowId the workflow's id
 * @param spec the task as submitted
 * @param inputs the inputs with every template resolved
 * @param attempt 1 for the first attempt, 2 for the first retry, ...
 * @param node the node it was placed on
 * @param gpus indices of the node's GPUs given to it
 * @param seed seed for anything random in this attempt (fixed for a given engine seed, workflow, task and attempt)
 * @param modelLoadSeconds time the attempt must first spend loading its model onto its GPU (0 when it is resident);
 *     a simulated executor waits it, a real model server pays it itself
 * @param sharingSlowdown how much longer the call runs because other calls share its model's copy (1 = alone); a
 *     simulated executor stretches its duration by it
 * @param unloadModelAfter whether the scheduler drops the call's model from its GPU or endpoint when the call ends
 *     (the {@code UNLOAD_AFTER_CALL} residency of profiles such as {@code daps}); a call to an on-demand model server
 *     tells the server so, so that the server holds what the scheduler believes it holds
 */
public record TaskInvocation(String workflowId, TaskSpec spec, JsonNode inputs, int attempt, NodeSpec node, int[] gpus,
        long seed, double modelLoadSeconds, double sharingSlowdown, boolean unloadModelAfter) {}
