package dev.maze.core.engine;

import dev.maze.core.clock.Clock;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.clock.WallClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Rebuilds an engine's state from the events a journal holds ({@link Engine.Builder#restore}), before its loop runs.
 * Workflows that ended are skipped. For the others: finished tasks stay finished with their outputs (successors'
 * templates still resolve, their stated features still reach the predictor); attempts that were running are lost
 * (their tasks are READY again without using a retry, and an {@link StateEvent.AttemptLost} says so); ready tasks
 * keep their place; a failed attempt's backoff, and the workflow's deadline, are re-armed from the recorded times. A
 * journal cut between two events of one loop turn (a crash in the middle of a write) is completed: a task whose
 * predecessors all finished becomes READY, and a workflow whose tasks all ended, or one of whose tasks failed or was
 * cancelled, ends.
 */
final class StateRestore {

    private StateRestore() {}

    /** Per workflow, what the events said, before it is handed to the life cycle. */
    private static final class Replayed {
        final WorkflowRun run;
        final Map<String, TaskRun> tasks = new HashMap<>();
        final Map<TaskRun, Double> retryAt = new HashMap<>();
        String firstStopReason;

        Replayed(WorkflowRun run) {
            this.run = run;
            for (TaskRun task : run.tasks) {
                tasks.put(task.spec.id(), task);
            }
        }

        TaskRun task(StateEvent.OfTask event) {
            TaskRun task = tasks.get(event.taskId());
            if (task == null) {
                throw new IllegalArgumentException("cannot restore: event " + event.sequence() + " names task '"
                        + event.taskId() + "', which workflow '" + run.id + "' does not have");
            }
            return task;
        }
    }

    static List<WorkflowHandle> replay(TaskLifecycle lifecycle, EventLoop loop, List<StateEvent> events,
            java.util.concurrent.ConcurrentMap<String, Boolean> activeIds) {
        Map<String, Replayed> open = new LinkedHashMap<>();
        long last = 0;
        for (StateEvent event : events) {
            if (event.sequence() <= last) {
                throw new IllegalArgumentException("cannot restore: event sequence " + event.sequence() + " follows "
                        + last + "; a journal must return its events in sequence order, each once");
            }
            last = event.sequence();
            apply(event, open, lifecycle);
        }
        double lastTime = events.isEmpty() ? 0 : events.get(events.size() - 1).atSeconds();
        for (StateEvent event : events) {
            lastTime = Math.max(lastTime, event.atSeconds());
        }
        catchUp(loop.clock(), lastTime);
        lifecycle.continueSequenceAfter(last);
        List<WorkflowHandle> handles = new ArrayList<>();
        for (Replayed replayed : open.values()) {
            WorkflowRun run = replayed.run;
            activeIds.put(run.id, false);
            run.accepted.complete(null);
            handles.add(new WorkflowHandle(run));
            resume(replayed, lifecycle, loop);
        }
        return List.copyOf(handles);
    }

    private static void catchUp(Clock clock, double lastTime) {
        if (clock.seconds() >= lastTime) {
            return;
        }
        if (clock instanceof VirtualClock virtual) {
            virtual.advanceTo(EventLoop.saturatingAdd(0, lastTime));
            return;
        }
        throw new IllegalArgumentException("cannot restore: the journal's last event is at " + lastTime
                + " s but the engine clock reads " + clock.seconds() + " s; give the engine a clock on the journal's "
                + "timeline (WallClock.sinceEpoch() for a journal that outlives the process)");
    }

    private static void apply(StateEvent event, Map<String, Replayed> open, TaskLifecycle lifecycle) {
        switch (event) {
            case StateEvent.WorkflowAccepted accepted -> {
                WorkflowRun run = new WorkflowRun(accepted.workflowId(), accepted.spec(), new CompletableFuture<>(),
                        lifecycle.shapeOf(accepted.spec()));
                run.submittedAt = accepted.atSeconds();
                open.put(run.id, new Replayed(run));
                lifecycle.observeIds(run.id, 0);
            }
            case StateEvent.WorkflowEnded ended -> open.remove(ended.workflowId());
            case StateEvent.TasksAdded added -> {
                Replayed replayed = open.get(added.workflowId());
                if (replayed != null) {
                    WorkflowRun run = replayed.run;
                    var extended = run.spec.withTasksAdded(added.tasks());
                    for (TaskRun task : run.extend(extended, lifecycle.shapeOf(extended))) {
                        replayed.tasks.put(task.spec.id(), task);
                    }
                }
            }
            case StateEvent.WorkflowClosed closed -> {
                Replayed replayed = open.get(closed.workflowId());
                if (replayed != null) {
                    replayed.run.open = false;
                    replayed.run.closed = true;
                }
            }
            case StateEvent.OfTask ofTask -> {
                Replayed replayed = open.get(ofTask.workflowId());
                if (replayed == null) {
                    return; // a workflow accepted before the events kept (it ended, or the journal dropped it)
                }
                applyToTask(ofTask, replayed, lifecycle);
            }
            case StateEvent.OfNode ofNode -> lifecycle.replayMembership(ofNode);
        }
    }

    private static void applyToTask(StateEvent.OfTask event, Replayed replayed, TaskLifecycle lifecycle) {
        TaskRun task = replayed.task(event);
        switch (event) {
            case StateEvent.TaskReady readied -> {
                task.state = TaskState.READY;
                task.readyAt = readied.atSeconds();
                replayed.retryAt.remove(task);
            }
            case StateEvent.TaskStarted started -> {
                task.state = TaskState.RUNNING;
                task.attempt = started.attempt();
                task.attemptId = started.attemptId();
                task.startedAt = started.atSeconds();
                lifecycle.observeIds(replayed.run.id, started.attemptId());
            }
            case StateEvent.TaskFinished done -> {
                task.state = TaskState.FINISHED;
                task.output = done.output();
                task.finishedAt = done.atSeconds();
                TaskLifecycle.releaseSuccessors(task, done.successorFeatures(), successor -> {});
            }
            case StateEvent.AttemptFailed failed -> {
                task.finishedAt = failed.atSeconds();
                if (failed.retry()) {
                    task.state = TaskState.PENDING;
                    replayed.retryAt.put(task, failed.retryAtSeconds());
                } else {
                    task.state = TaskState.FAILED;
                    task.error = failed.message();
                    if (replayed.firstStopReason == null) {
                        replayed.firstStopReason = "task '" + task.spec.id() + "' failed: " + failed.message();
                    }
                }
            }
            case StateEvent.AttemptLost lost -> {
                task.state = TaskState.PENDING;
                task.attempt--;
                task.lostAttempts++;
            }
            case StateEvent.TaskCancelled cancelled -> {
                task.state = TaskState.CANCELLED;
                task.error = cancelled.reason();
                task.finishedAt = cancelled.atSeconds();
                if (replayed.firstStopReason == null) {
                    replayed.firstStopReason = cancelled.reason();
                }
            }
        }
    }

    /** Hands a replayed workflow to the life cycle and lets it go on from where the journal stopped. */
    private static void resume(Replayed replayed, TaskLifecycle lifecycle, EventLoop loop) {
        WorkflowRun run = replayed.run;
        lifecycle.workflows.put(run.id, run);
        lifecycle.register(run);
        List<TaskRun> wereRunning = new ArrayList<>();
        for (TaskRun task : run.tasks) {
            if (task.state == TaskState.RUNNING) {
                wereRunning.add(task);
            }
        }
        if (replayed.firstStopReason != null) {
            for (TaskRun task : wereRunning) {
                task.state = TaskState.PENDING; // nothing runs here: the stop below cancels it
            }
            boolean failed = false;
            for (TaskRun task : run.tasks) {
                failed |= task.state == TaskState.FAILED;
            }
            // The journal was cut inside the turn that stopped the workflow: finish stopping it.
            lifecycle.stopWorkflow(run, failed ? WorkflowState.FAILED : WorkflowState.CANCELLED, replayed.firstStopReason,
                    null);
            return;
        }
        if (run.unfinished == 0 && !run.open) {
            lifecycle.completeRestored(run);
            return;
        }
        boolean started = false;
        for (TaskRun task : run.tasks) {
            started |= task.state != TaskState.PENDING || task.attempt > 0 || replayed.retryAt.containsKey(task);
        }
        boolean mayStart = lifecycle.admitRestored(run, started);
        for (TaskRun task : wereRunning) {
            lifecycle.loseOnRestart(task);
        }
        for (TaskRun task : run.tasks) {
            switch (task.state) {
                case READY -> {
                    if (!wereRunning.contains(task)) {
                        lifecycle.requeue(task);
                    }
                }
                case PENDING -> {
                    Double retryAt = replayed.retryAt.get(task);
                    if (retryAt != null) {
                        lifecycle.armRetry(task, loop.scheduleAt(retryAt, () -> lifecycle.retryDue(task)));
                    } else if (mayStart && task.predecessorsLeft == 0) {
                        lifecycle.makeReady(task);
                    }
                }
                default -> { }
            }
        }
    }
}
