package dev.maze.core.engine;

/**
 * Ids the engine gives out: workflow ids for specs without one, and attempt ids (which fence late reports of lost
 * attempts). Ids must stay unique across restores: {@link Engine.Builder#restore} calls {@link #observe} with every id
 * found in the journal before the engine gives out new ones. Called from any thread.
 */
public interface IdGenerator {

    /** A new id for a workflow called {@code workflowName}. */
    String workflowId(String workflowName);

    /** A new attempt id (positive). */
    long attemptId();

    /** Ids already in use (from a journal); later ids must differ from them. */
    void observe(String workflowId, long attemptId);

    /** {@code name-1}, {@code name-2}, ... and attempts 1, 2, ...; restore continues after the largest seen. */
    static IdGenerator sequential() {
        return new SequentialIds();
    }
}
