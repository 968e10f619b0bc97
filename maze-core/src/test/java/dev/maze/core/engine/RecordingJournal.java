package dev.maze.core.engine;

import java.util.ArrayList;
import java.util.List;

/** A journal that keeps every event and every batch (ended workflows included), and can be told to fail. */
final class RecordingJournal implements StateJournal {

    private final List<StateEvent> events = new ArrayList<>();
    private final List<List<StateEvent>> batches = new ArrayList<>();
    volatile boolean failing;

    RecordingJournal() {}

    /** A journal that already holds {@code prefix} (what survived a crash). */
    RecordingJournal(List<StateEvent> prefix) {
        events.addAll(prefix);
    }

    @Override
    public synchronized void append(List<StateEvent> batch) throws JournalException {
        if (failing) {
            throw new JournalException("disk full (test)");
        }
        events.addAll(batch);
        batches.add(List.copyOf(batch));
    }

    @Override
    public synchronized List<StateEvent> read() {
        return List.copyOf(events);
    }

    synchronized List<List<StateEvent>> batches() {
        return List.copyOf(batches);
    }
}
