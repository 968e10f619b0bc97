package dev.maze.core.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Records every event an engine emits, in emission order, for tests to read after (or during) a run. Events arrive on
 * the engine loop; reads from another thread are safe because every access is synchronized.
 */
public final class EventLog implements EngineListener {

    private final List<Object> events = new ArrayList<>();

    @Override
    public synchronized void onTaskEvent(TaskEvent event) {
        events.add(event);
    }

    @Override
    public synchronized void onWorkflowEvent(WorkflowEvent event) {
        events.add(event);
    }

    /** Task and workflow events, in the order the engine emitted them. */
    public synchronized List<Object> all() {
        return List.copyOf(events);
    }

    public synchronized List<TaskEvent> taskEvents() {
        return events.stream().filter(TaskEvent.class::isInstance).map(TaskEvent.class::cast).toList();
    }

    public synchronized List<WorkflowEvent> workflowEvents() {
        return events.stream().filter(WorkflowEvent.class::isInstance).map(WorkflowEvent.class::cast).toList();
    }

    /** Events of one task, in order. */
    public List<TaskEvent> of(String workflowId, String taskId) {
        return taskEvents().stream()
                .filter(e -> e.workflowId().equals(workflowId) && e.taskId().equals(taskId))
                .toList();
    }

    /** Events of one task in one state, in order. */
    public List<TaskEvent> of(String workflowId, String taskId, TaskState state) {
        return of(workflowId, taskId).stream().filter(e -> e.state() == state).toList();
    }

    /** Every attempt start as {@code workflow/task}, in start order. */
    public List<String> startOrder() {
        return taskEvents().stream()
                .filter(e -> e.state() == TaskState.RUNNING)
                .map(e -> e.workflowId() + "/" + e.taskId())
                .toList();
    }

    /** Time of the task's first start; fails when it never started. */
    public double startOf(String workflowId, String taskId) {
        List<TaskEvent> running = of(workflowId, taskId, TaskState.RUNNING);
        if (running.isEmpty()) {
            throw new AssertionError(workflowId + "/" + taskId + " never started; events: " + of(workflowId, taskId));
        }
        return running.get(0).timeSeconds();
    }

    /** Time the task reached {@code state} (its last such event); fails when it never did. */
    public double timeOf(String workflowId, String taskId, TaskState state) {
        List<TaskEvent> matching = of(workflowId, taskId, state);
        if (matching.isEmpty()) {
            throw new AssertionError(workflowId + "/" + taskId + " never reached " + state + "; events: "
                    + of(workflowId, taskId));
        }
        return matching.get(matching.size() - 1).timeSeconds();
    }

    /** A compact line per event, for failure messages. */
    @Override
    public synchronized String toString() {
        StringBuilder text = new StringBuilder();
        for (Object event : events) {
            text.append(event).append('\n');
        }
        return text.toString();
    }
}
