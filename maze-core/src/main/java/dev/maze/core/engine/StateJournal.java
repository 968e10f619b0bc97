package dev.maze.core.engine;

import java.util.List;

/**
 * Where the engine's state changes go, so that its state survives the process (DESIGN.md: "accepted work is durable
 * before it is acknowledged"). The loop hands each turn's events to {@link #append} as one batch, in order, on the
 * loop thread, and treats the batch as durable when {@code append} returns. A submission is accepted (its
 * {@link WorkflowHandle#accepted()} completes) only after the batch holding its {@link StateEvent.WorkflowAccepted}
 * was appended; when {@code append} throws, the submissions in that batch are refused and the engine's state is as if
 * they had never arrived, while the batch's other events are offered again, ahead of the next batch.
 *
 * <p>{@link #read()} returns what {@link Engine.Builder#restore} needs to rebuild the state: at least every event of
 * every workflow that has not ended and every membership event, in sequence order. A journal may drop the events of
 * ended workflows (the in-memory one does, so it does not grow without bound).
 */
public interface StateJournal extends AutoCloseable {

    /**
     * No journal: nothing is recorded and nothing can be restored. For simulations and benchmarks, where the state
     * lives as long as the run; with it (and no listeners) the engine does not even build the events.
     */
    StateJournal NONE = new StateJournal() {
        @Override
        public void append(List<StateEvent> batch) {}

        @Override
        public List<StateEvent> read() {
            return List.of();
        }

        @Override
        public String toString() {
            return "no journal";
        }
    };

    /**
     * Makes {@code batch} durable, in order. Called on the engine loop; should not block longer than the write needs.
     *
     * @throws JournalException when the batch could not be stored (nothing of it counts as stored)
     */
    void append(List<StateEvent> batch) throws JournalException;

    /** The events needed to restore the engine's state, in sequence order. */
    List<StateEvent> read() throws JournalException;

    /**
     * The highest sequence number stored (0 when none): an engine writing to this journal continues after it, also
     * when the events it restores (those of active workflows) end earlier. The default reads {@link #read()}; a
     * journal that keeps events {@code read()} leaves out (the history of ended workflows) must override it.
     */
    default long lastSequence() throws JournalException {
        List<StateEvent> events = read();
        return events.isEmpty() ? 0 : events.get(events.size() - 1).sequence();
    }

    /**
     * Tells {@code ids} of every workflow and attempt id the journal holds beyond {@link #read()} (ended workflows'),
     * so that an engine writing to it never gives out an id its history already has. The default holds none beyond.
     */
    default void observeIds(IdGenerator ids) throws JournalException {}

    /** Releases what the journal holds (files, connections). The default holds nothing. */
    @Override
    default void close() {}

    /** A journal that could not store or read events; the message says what failed and what to do. */
    final class JournalException extends Exception {
        public JournalException(String message, Throwable cause) {
            super(message, cause);
        }

        public JournalException(String message) {
            super(message);
        }
    }
}
