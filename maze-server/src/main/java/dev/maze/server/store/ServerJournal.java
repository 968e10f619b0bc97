package dev.maze.server.store;

import dev.maze.core.engine.StateEvent;
import dev.maze.core.engine.StateJournal;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.List;
import java.util.function.Function;

/**
 * The journal a server keeps: the engine's state events, and what the API reads back from them — a workflow's history,
 * the events after a sequence number (how a stream resumes), the workflows accepted (filtered and paged), the answers
 * to idempotency keys. The embedded default is {@link SqliteJournal}; {@link PostgresJournal} keeps the same on an
 * external PostgreSQL ({@link Journals#open} picks one from the server's {@code --store}).
 */
public interface ServerJournal extends StateJournal {

    /** Every stored event of one workflow, ended or not, in order: its history. */
    List<StateEvent> history(String workflowId) throws JournalException;

    /**
     * Up to {@code limit} stored events after sequence number {@code after}, in order, of one workflow (or of all when
     * {@code workflowId} is null).
     */
    List<StateEvent> after(long after, String workflowId, int limit) throws JournalException;

    /** Whether a workflow of this id ended here (its id belongs to its history for good). */
    boolean ended(String workflowId) throws JournalException;

    /** Events stored in all (of every workflow, ended or not, and of membership). */
    long count() throws JournalException;

    /** The accepted workflows {@code query} selects, newest first. */
    List<WorkflowRow> workflows(WorkflowQuery query) throws JournalException;

    /** The first answer stored for {@code key}, or null. */
    Answer answer(String key) throws JournalException;

    /**
     * Stores the answer to an {@code Idempotency-Key} with the acceptance it answers: in the transaction of the
     * {@link #append} batch that stores the {@code WorkflowAccepted} event of the last of {@code specs} to be accepted
     * (the engine's events carry the very spec objects it was given), so the key is stored exactly when all of its
     * request's workflows are, and a crash can never keep the one without the other. Register before handing
     * {@code specs} to the engine. A key stored already keeps its first answer.
     *
     * @param answer the answer, made from the accepted workflows' ids in the order of {@code specs}
     * @return the registration; close it once the submission was decided (closing withdraws an answer not stored)
     */
    PendingAnswer rememberOnAcceptance(String key, List<WorkflowSpec> specs, Function<List<String>, Answer> answer);

    /** An answer waiting for its workflows' acceptance ({@link #rememberOnAcceptance}). */
    interface PendingAnswer extends AutoCloseable {
        /** Withdraws the answer where it was not stored yet; nothing when it was. */
        @Override
        void close();
    }

    /** The first answer stored for an {@code Idempotency-Key}: the request's SHA-256 and the response. */
    record Answer(String requestSha256, int status, String body) {}

    /**
     * An accepted workflow as listed: {@code sequence} is its acceptance's, the order of the list and its cursor.
     *
     * @param endedAt null while it runs
     */
    record WorkflowRow(String id, long sequence, String name, WorkflowState state, double submittedAt, Double endedAt) {}

    /**
     * Which workflows to list; null fields do not filter.
     *
     * @param state only in this state
     * @param name only of this name
     * @param submittedFrom only submitted at or after (seconds on the engine's clock)
     * @param submittedUntil only submitted before
     * @param before only accepted before this sequence number: the cursor of the page before
     * @param limit at most this many
     */
    record WorkflowQuery(WorkflowState state, String name, Double submittedFrom, Double submittedUntil, Long before,
            int limit) {}
}
