package dev.maze.core.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The default journal: keeps, in memory, the events of workflows that have not ended and every membership event, so
 * that an engine can be restored from it in the same process (tests, a supervisor that rebuilds a crashed engine).
 * The events of a workflow are dropped when it ends, so memory stays bounded by the active work. Not durable across
 * processes: {@code maze server} plugs in a database journal. Thread-safe.
 */
public final class InMemoryJournal implements StateJournal {

    private final Map<String, List<StateEvent>> byWorkflow = new LinkedHashMap<>();
    private final List<StateEvent> membership = new ArrayList<>();
    private long appended;

    @Override
    public synchronized void append(List<StateEvent> batch) {
        for (StateEvent event : batch) {
            switch (event) {
                case StateEvent.WorkflowEnded ended -> byWorkflow.remove(ended.workflowId());
                case StateEvent.OfWorkflow ofWorkflow ->
                        byWorkflow.computeIfAbsent(ofWorkflow.workflowId(), id -> new ArrayList<>()).add(event);
                case StateEvent.OfNode ofNode -> membership.add(ofNode);
            }
        }
        appended += batch.size();
    }

    @Override
    public synchronized List<StateEvent> read() {
        List<StateEvent> events = new ArrayList<>(membership);
        byWorkflow.values().forEach(events::addAll);
        events.sort(Comparator.comparingLong(StateEvent::sequence));
        return events;
    }

    /** Events appended so far, including those of ended workflows that were since dropped. */
    public synchronized long appendedCount() {
        return appended;
    }

    /** Workflows whose events are held (accepted, not ended). */
    public synchronized int activeWorkflows() {
        return byWorkflow.size();
    }
}
