package dev.maze.core.engine;

import java.util.concurrent.CompletableFuture;

/**
 * An accepted workflow.
 *
 * @param id its id (assigned by the engine if the spec had none)
 * @param result completes with the final snapshot when the workflow reaches a terminal state
 */
public record WorkflowHandle(String id, CompletableFuture<WorkflowSnapshot> result) {}
