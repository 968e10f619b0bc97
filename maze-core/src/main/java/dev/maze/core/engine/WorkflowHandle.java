package dev.maze.core.engine;

import java.util.concurrent.CompletableFuture;

/**
 * A submitted workflow.
 *
 * @param id its id (assigned by the engine if the spec had none)
 * @param accepted completes when the engine's journal has stored the workflow's acceptance (durable before
 *     acknowledged); completes exceptionally with a {@link StateJournal.JournalException} when the journal refused it,
 *     in which case nothing of the workflow ran and {@code result} fails the same way
 * @param result completes with the final snapshot when the workflow reaches a terminal state
 */
public record WorkflowHandle(String id, CompletableFuture<Void> accepted, CompletableFuture<WorkflowSnapshot> result) {

    /** A handle for a workflow already in the engine. */
    WorkflowHandle(WorkflowRun run) {
        this(run.id, run.accepted, run.result);
    }
}
