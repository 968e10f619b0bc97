package dev.maze.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.engine.StateEvent;
import dev.maze.core.engine.TaskSnapshot;
import dev.maze.core.engine.TaskState;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.workflow.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workflow's snapshot rebuilt from its stored events: how the API answers for a workflow the running engine no
 * longer holds (it ended before a restart, or fell out of the engine's retained window). The same fold as the
 * engine's own state changes, over the journal's records.
 */
public final class WorkflowHistory {

    private WorkflowHistory() {}

    /** The snapshot {@code events} (one workflow's, in order, starting with its acceptance) describe; null if none. */
    public static WorkflowSnapshot snapshot(List<StateEvent> events) {
        if (events.isEmpty() || !(events.get(0) instanceof StateEvent.WorkflowAccepted accepted)) {
            return null;
        }
        Map<String, Task> tasks = new LinkedHashMap<>();
        for (TaskSpec spec : accepted.spec().tasks()) {
            tasks.put(spec.id(), new Task(spec.id(), spec.toolType()));
        }
        WorkflowState state = WorkflowState.RUNNING;
        Double finishedAt = null;
        String error = null;
        for (StateEvent event : events) {
            Task task = event instanceof StateEvent.OfTask ofTask ? tasks.get(ofTask.taskId()) : null;
            switch (event) {
                case StateEvent.TaskReady ready -> {
                    task.state = TaskState.READY;
                    task.readyAt = ready.atSeconds();
                    task.predictedSeconds = ready.predictedSeconds();
                }
                case StateEvent.TaskStarted started -> {
                    task.state = TaskState.RUNNING;
                    task.attempts = started.attempt();
                    task.node = started.nodeId();
                    task.startedAt = started.atSeconds();
                    task.modelLoadSeconds = started.modelLoadSeconds();
                }
                case StateEvent.TaskFinished finished -> {
                    task.state = TaskState.FINISHED;
                    task.finishedAt = finished.atSeconds();
                    task.output = finished.output();
                }
                case StateEvent.AttemptFailed failed -> {
                    task.error = failed.message();
                    task.state = failed.retry() ? TaskState.PENDING : TaskState.FAILED;
                    if (!failed.retry()) {
                        task.finishedAt = failed.atSeconds();
                    }
                }
                case StateEvent.AttemptLost lost -> {
                    task.state = TaskState.READY;
                    task.error = lost.reason();
                }
                case StateEvent.TaskCancelled cancelled -> {
                    task.state = TaskState.CANCELLED;
                    task.error = cancelled.reason();
                    task.finishedAt = cancelled.atSeconds();
                }
                case StateEvent.TasksAdded added -> {
                    for (TaskSpec spec : added.tasks()) {
                        tasks.put(spec.id(), new Task(spec.id(), spec.toolType()));
                    }
                }
                case StateEvent.WorkflowEnded ended -> {
                    state = ended.state();
                    finishedAt = ended.atSeconds();
                    error = ended.error();
                }
                default -> {
                    // acceptance (handled above); membership events are not a workflow's
                }
            }
        }
        List<TaskSnapshot> snapshots = new ArrayList<>();
        for (Task task : tasks.values()) {
            snapshots.add(new TaskSnapshot(task.id, task.toolType, task.state, task.attempts, task.node, task.readyAt,
                    task.startedAt, task.finishedAt, task.output, task.error, task.modelLoadSeconds,
                    task.predictedSeconds, null));
        }
        return new WorkflowSnapshot(accepted.workflowId(), accepted.spec().name(), state, accepted.atSeconds(),
                finishedAt, error, snapshots);
    }

    /**
     * One task's attempts as its stored events tell them, in order: each with its number, id, node, start, end,
     * outcome ({@code RUNNING}, {@code FINISHED}, {@code FAILED}, {@code LOST}) and message; and the inputs of its
     * latest attempt (templates rendered). Null when the workflow has no such task.
     */
    public static ObjectNode attempts(List<StateEvent> events, String taskId) {
        var json = JsonNodeFactory.instance;
        var result = json.objectNode();
        var list = result.putArray("attempts");
        ObjectNode current = null;
        boolean known = false;
        for (StateEvent event : events) {
            if (event instanceof StateEvent.WorkflowAccepted accepted) {
                known |= accepted.spec().tasks().stream().anyMatch(t -> t.id().equals(taskId));
            } else if (event instanceof StateEvent.TasksAdded added) {
                known |= added.tasks().stream().anyMatch(t -> t.id().equals(taskId));
            }
            if (!(event instanceof StateEvent.OfTask ofTask) || !ofTask.taskId().equals(taskId)) {
                continue;
            }
            switch (event) {
                case StateEvent.TaskStarted started -> {
                    current = list.addObject().put("attempt", started.attempt()).put("attemptId", started.attemptId())
                            .put("node", started.nodeId()).put("startedAt", started.atSeconds()).put("outcome", "RUNNING");
                    result.set("inputs", started.inputs());
                }
                case StateEvent.TaskFinished finished -> end(current, finished.atSeconds(), "FINISHED", null);
                case StateEvent.AttemptFailed failed -> end(current, failed.atSeconds(), "FAILED", failed.message());
                case StateEvent.AttemptLost lost -> end(current, lost.atSeconds(), "LOST", lost.reason());
                default -> {
                    // readiness and cancellation are the task's state, not an attempt's
                }
            }
        }
        return known ? result : null;
    }

    private static void end(ObjectNode attempt, double at, String outcome,
            String message) {
        if (attempt != null) {
            attempt.put("endedAt", at).put("outcome", outcome);
            if (message != null) {
                attempt.put("message", message);
            }
        }
    }

    /** One task's state as the fold goes. */
    private static final class Task {
        final String id;
        final String toolType;
        TaskState state = TaskState.PENDING;
        int attempts;
        String node;
        Double readyAt;
        Double startedAt;
        Double finishedAt;
        JsonNode output;
        String error;
        double modelLoadSeconds;
        Double predictedSeconds;

        Task(String id, String toolType) {
            this.id = id;
            this.toolType = toolType;
        }
    }
}
