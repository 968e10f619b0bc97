package dev.maze.server.store;

import dev.maze.core.engine.StateEvent;
import dev.maze.core.engine.StateJournal;
import dev.maze.core.engine.WorkflowState;
import java.util.List;

/**
 * The journal a server keeps: the engine's state events, and what the API reads back from them — a workflow's history,
 * the events after a sequence number (how a stream resumes), the workflows accepted (filtered and paged), the answers
 * to idempotency keys. The embedded default is {@link SqliteJournal}.
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

    /** Stores the first answer for {@code key} (a later one for the same key is ignored). */
    void remember(String key, Answer answer) throws JournalException;

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
