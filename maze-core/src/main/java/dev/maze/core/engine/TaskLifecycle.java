package dev.maze.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.clock.Clock;
import dev.maze.core.exec.Excerpt;
import dev.maze.core.exec.ExecutionContext;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.exec.TaskInvocation;
import dev.maze.core.exec.TaskResult;
import dev.maze.core.exec.Worker;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.placement.Assignment;
import dev.maze.core.placement.ClusterState;
import dev.maze.core.policy.OrderingPolicy;
import dev.maze.core.policy.QueueKey;
import dev.maze.core.policy.WorkflowAdmission;
import dev.maze.core.predict.HeuristicPredictor;
import dev.maze.core.predict.RuntimePredictor;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task and workflow life cycle: the one place that changes their state, and so the one place that records
 * {@link StateEvent}s and listener events. Owns the active workflows, the ready queue and the cluster's use; touched
 * only on the engine loop. At the end of each loop turn {@link #endTurn} hands the turn's events to the journal as
 * one batch, then to the listeners, then tells submitters their workflows were accepted.
 */
final class TaskLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(TaskLifecycle.class);

    /**
     * How many attempts of one task may be lost (node lost, engine restarted) without using its retries. A task whose
     * attempts keep taking their node down must not loop forever: beyond this, a loss counts as a failed attempt.
     */
    static final int MAX_LOST_ATTEMPTS = 3;

    private final EventLoop loop;
    private final Clock clock;
    final Engine.Settings settings;
    final OrderingPolicy policy;
    private final RuntimePredictor predictor;
    private final Map<String, TaskExecutor> executors;
    private final List<EngineListener> listeners;
    private final StateJournal journal;
    private final IdGenerator ids;
    private final java.util.concurrent.ConcurrentMap<String, Boolean> activeIds;
    private final ExecutorService blockingExecutor;
    /** Whether events are built at all: a simulation without journal and listeners skips them. */
    private final boolean recording;
    /** The policy's trait, read once (a policy may build its trait set on every call). */
    private final boolean pinWorkflows;

    final ClusterState cluster;
    /** Node of each cluster slot (slots are never reused, so a slot index is a stable handle for a node id). */
    final List<NodeSpec> nodes;
    /** The worker of each slot's node; none when every attempt runs in this process (the default). */
    private final List<Worker> workers = new ArrayList<>();
    private final boolean inProcess;
    final Map<String, WorkflowRun> workflows = new HashMap<>();
    final Map<String, WorkflowSnapshot> finished;
    /** The ready queue: by priority class, policy key, then arrival sequence (so no two tasks compare equal). */
    final ReadyQueue ready = new ReadyQueue(TaskLifecycle::compareReady);
    long tasksStarted;
    private long readySequence;
    private int offLoopRunning;
    boolean passDue;
    /**
     * True while a scheduling pass iterates the ready queue. A start can fail synchronously (unresolvable template,
     * throwing executor) and stop its workflow; that workflow's other READY tasks then leave the queue only after the
     * pass, because removing them under the iterator would break the iteration.
     */
    boolean dispatching;
    private final List<TaskRun> leftReadyDuringDispatch = new ArrayList<>();


    // The turn's events, not yet journaled.
    private long sequence;
    private final List<StateEvent> batch = new ArrayList<>();
    private final List<Object> listenerEvents = new ArrayList<>();
    private final List<WorkflowRun> acceptedInBatch = new ArrayList<>();
    /** What waits for the current batch to be stored (tasks added, a workflow closed); offered again after a failure. */
    private final List<Runnable> afterStored = new ArrayList<>();

    TaskLifecycle(EventLoop loop, Engine.Settings settings, java.util.concurrent.ConcurrentMap<String, Boolean> activeIds, ExecutorService blockingExecutor) {
        this.loop = loop;
        this.clock = loop.clock();
        this.settings = settings;
        this.policy = settings.policy();
        this.predictor = settings.predictor();
        this.executors = settings.executors();
        this.listeners = settings.listeners();
        this.journal = settings.journal();
        this.ids = settings.ids();
        this.activeIds = activeIds;
        this.blockingExecutor = blockingExecutor;
        this.recording = journal != StateJournal.NONE || !listeners.isEmpty();
        this.pinWorkflows = settings.pinWorkflows();
        this.nodes = new ArrayList<>(settings.nodes());
        this.inProcess = settings.workers() == null;
        for (NodeSpec node : nodes) {
            addWorker(node);
        }
        this.cluster = new ClusterState(settings.nodes(), settings.models(), settings.residency());
        settings.residentAtStart().forEach((node, perGpu) -> {
            for (int gpu = 0; gpu < perGpu.size(); gpu++) {
                if (perGpu.get(gpu) != null) {
                    cluster.preload(node, gpu, perGpu.get(gpu));
                }
            }
        });
        int retained = settings.retainedWorkflows();
        this.finished = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, WorkflowSnapshot> eldest) {
                return size() > retained;
            }
        };
    }

    Clock clock() {
        return clock;
    }

    private void addWorker(NodeSpec node) {
        workers.add(inProcess ? null : settings.workers().apply(node));
    }

    /** The shape of a workflow's DAG (thread-safe: submitters call it). */
    WorkflowShape shapeOf(dev.maze.core.workflow.WorkflowSpec spec) {
        return WorkflowShape.of(spec.tasks(), settings.taskLists().shapes);
    }

    NodeSpec node(int slot) {
        return nodes.get(slot);
    }

    void continueSequenceAfter(long last) {
        sequence = Math.max(sequence, last);
    }

    // ------------------------------------------------------------------ loop turns

    int runningOffLoop() {
        return offLoopRunning;
    }

    void crashed(Throwable error) {
        LoggerFactory.getLogger(Engine.class).error("engine loop stopped by an unexpected error; failing all workflows",
                error);
        for (WorkflowRun run : List.copyOf(workflows.values())) {
            run.accepted.completeExceptionally(error);
            run.result.completeExceptionally(error);
        }
    }

    /**
     * Journals the turn's events as one batch, then tells listeners and submitters. When the journal refuses the
     * batch, the workflows accepted in it are taken back (refused, as if they never arrived) and the batch's other
     * events stay queued for the next turn, ahead of its own.
     */
    void endTurn() {
        if (batch.isEmpty() && listenerEvents.isEmpty()) {
            return;
        }
        if (journal != StateJournal.NONE && !batch.isEmpty()) {
            try {
                journal.append(List.copyOf(batch));
            } catch (StateJournal.JournalException | RuntimeException e) {
                refuseAccepted(e);
                deliverToListeners(List.of());
                return;
            }
        }
        List<StateEvent> stored = List.copyOf(batch);
        batch.clear();
        deliverToListeners(stored);
        for (WorkflowRun run : acceptedInBatch) {
            run.accepted.complete(null);
        }
        acceptedInBatch.clear();
        List<Runnable> waiting = List.copyOf(afterStored);
        afterStored.clear();
        waiting.forEach(Runnable::run);
    }

    private void deliverToListeners(List<StateEvent> stored) {
        if (listeners.isEmpty()) {
            listenerEvents.clear();
            return;
        }
        List<Object> events = List.copyOf(listenerEvents);
        listenerEvents.clear();
        for (EngineListener listener : listeners) {
            try {
                for (Object event : events) {
                    if (event instanceof EngineListener.TaskEvent taskEvent) {
                        listener.onTaskEvent(taskEvent);
                    } else {
                        listener.onWorkflowEvent((EngineListener.WorkflowEvent) event);
                    }
                }
                if (!stored.isEmpty()) {
                    listener.onStateEvents(stored);
                }
            } catch (RuntimeException e) {
                LOG.warn("listener {} threw; ignored", listener, e);
            }
        }
    }

    /** The journal failed: the workflows accepted in this batch never happened; the rest waits for the next append. */
    private void refuseAccepted(Exception cause) {
        Set<String> refused = new HashSet<>();
        for (WorkflowRun run : acceptedInBatch) {
            refused.add(run.id);
        }
        LOG.warn("journal refused a batch of {} events ({} submissions refused): {}", batch.size(), refused.size(),
                cause.toString());
        batch.removeIf(event -> event instanceof StateEvent.OfWorkflow of && refused.contains(of.workflowId()));
        listenerEvents.removeIf(event -> refused.contains(event instanceof EngineListener.TaskEvent t ? t.workflowId()
                : ((EngineListener.WorkflowEvent) event).workflowId()));
        for (WorkflowRun run : List.copyOf(acceptedInBatch)) {
            takeBack(run, cause);
        }
        acceptedInBatch.clear();
    }

    /** Undoes {@link #accept}: nothing of the workflow has started (a scheduling pass runs only after a flush). */
    private void takeBack(WorkflowRun run, Exception cause) {
        for (TaskRun task : run.tasks) {
            if (task.state == TaskState.READY) {
                ready.remove(task);
            }
            if (!task.state.isTerminal()) {
                cluster.demandChanged(task.spec.resources().model(), -1);
            }
        }
        if (run.deadlineTimer != null) {
            run.deadlineTimer.run();
        }
        workflows.remove(run.id);
        activeIds.remove(run.id);
        StateJournal.JournalException refusal = new StateJournal.JournalException("workflow '" + run.id
                + "' was not accepted: the journal could not store it (" + cause.getMessage()
                + "); nothing of it ran; submit it again once the journal works", cause);
        run.accepted.completeExceptionally(refusal);
        run.result.completeExceptionally(refusal);
        if (settings.admission() != null) {
            startAdmitted(settings.admission().onFinish(run.id));
        }
    }

    private void record(StateEvent event) {
        batch.add(event);
    }

    private long seq() {
        return ++sequence;
    }

    // ------------------------------------------------------------------ stage 1: DAG creator

    void accept(WorkflowRun run) {
        run.submittedAt = clock.seconds();
        workflows.put(run.id, run);
        if (recording) {
            record(new StateEvent.WorkflowAccepted(seq(), run.submittedAt, run.id, run.spec));
            acceptedInBatch.add(run);
        } else {
            run.accepted.complete(null);
        }
        register(run);
        emit(new EngineListener.WorkflowEvent(run.id, run.spec.name(), WorkflowState.RUNNING, run.submittedAt, null));
        for (TaskRun task : run.tasks) {
            emitTask(task, null);
        }
        if (settings.admission() != null) {
            WorkflowAdmission.Decision decision = settings.admission().onSubmit(run.id, run.spec.name());
            if (decision.node() >= 0) {
                run.pin(decision.node());
            }
            if (!decision.startNow()) {
                return; // its tasks stay PENDING until admission lets it start
            }
        }
        startRoots(run);
    }

    /** Predictions, paths, pinning, model demand and the deadline of a workflow that becomes active. */
    void register(WorkflowRun run) {
        for (TaskRun task : run.tasks) {
            task.predictedSeconds = predict(task);
        }
        run.criticalPathSeconds = run.computePaths();
        if (pinWorkflows) {
            run.allowedNodes = new BitSet(nodes.size());
            for (int i = 0; i < nodes.size(); i++) {
                NodeSpec node = nodes.get(i);
                boolean all = true;
                for (TaskRun task : run.tasks) {
                    all &= node.whyNeverFits(task.spec.resources()) == null;
                }
                run.allowedNodes.set(i, all);
            }
        }
        policy.onWorkflowSubmitted(run.spec.name(), run.inferences);
        for (TaskRun task : run.tasks) {
            if (!task.state.isTerminal()) {
                cluster.demandChanged(task.spec.resources().model(), 1);
            }
        }
        if (run.spec.deadlineSeconds() != null) {
            double left = run.spec.deadlineSeconds() - (clock.seconds() - run.submittedAt);
            run.deadlineTimer = loop.schedule(left, () -> stopWorkflow(run, WorkflowState.FAILED,
                    "deadline of " + format(run.spec.deadlineSeconds()) + " s exceeded", null));
        }
    }

    private void startAdmitted(List<String> admitted) {
        for (String next : admitted) {
            WorkflowRun run = workflows.get(next);
            if (run != null) {
                startRoots(run);
            }
        }
    }

    private void startRoots(WorkflowRun run) {
        if (run.pinnedNode >= 0) {
            for (TaskRun task : run.tasks) {
                String why = nodes.get(run.pinnedNode).whyNeverFits(task.spec.resources());
                if (why != null) {
                    stopWorkflow(run, WorkflowState.FAILED, "task '" + task.spec.id() + "' cannot run on the workflow's node "
                            + nodes.get(run.pinnedNode).id() + ": " + why, null);
                    return;
                }
            }
        }
        for (TaskRun task : run.tasks) {
            if (task.predecessorsLeft == 0) {
                makeReady(task);
            }
        }
    }

    private double predict(TaskRun task) {
        if (task.spec.predictedSeconds() != null) {
            return task.spec.predictedSeconds();
        }
        try {
            double seconds = predictor.predictSeconds(task.spec, task.features.fromPredecessors());
            return Double.isFinite(seconds) ? Math.max(0.1, seconds) : fallbackPrediction(task);
        } catch (RuntimeException e) {
            LOG.warn("predictor failed for {}; using the heuristic", task, e);
            return fallbackPrediction(task);
        }
    }

    private static double fallbackPrediction(TaskRun task) {
        return HeuristicPredictor.CLASS_DEFAULTS.get(task.spec.resources().resourceClass());
    }

    void makeReady(TaskRun task) {
        transition(task, TaskState.READY, null);
        task.readyAt = clock.seconds();
        task.predictedSeconds = predict(task);
        if (recording) {
            record(new StateEvent.TaskReady(seq(), task.readyAt, task.workflow.id, task.spec.id(), task.predictedSeconds));
        }
        enqueue(task);
    }

    /** Puts a task the journal recorded as READY back in the ready queue, keeping when it became ready. */
    void requeue(TaskRun task) {
        task.predictedSeconds = predict(task);
        enqueue(task);
    }

    private void enqueue(TaskRun task) {
        QueueKey key = policy.key(task);
        task.keyRank = task.workflow.spec.priorityClass().ordinal();
        task.keyPrimary = key.primary();
        task.keySecondary = key.secondary();
        task.keySequence = readySequence++;
        ready.add(task);
        passDue = true;
    }

    private static int compareReady(TaskRun a, TaskRun b) {
        if (a.keyRank != b.keyRank) {
            return Integer.compare(a.keyRank, b.keyRank);
        }
        int byPrimary = Double.compare(a.keyPrimary, b.keyPrimary);
        if (byPrimary != 0) {
            return byPrimary;
        }
        int bySecondary = Double.compare(a.keySecondary, b.keySecondary);
        return bySecondary != 0 ? bySecondary : Long.compare(a.keySequence, b.keySequence);
    }

    // ------------------------------------------------------------------ stage 3: start an attempt

    /** Starts an attempt of a READY task (already taken off the ready queue) on {@code assignment}. */
    void start(TaskRun task, Assignment assignment) {
        WorkflowRun run = task.workflow;
        JsonNode inputs;
        try {
            inputs = TaskInputs.render(task);
        } catch (RuntimeException e) {
            // A template that cannot be resolved fails the same way on every retry: fail the task at once. Any
            // exception from rendering fails only this task, never the loop.
            task.attempt++;
            task.attemptId = ids.attemptId();
            transition(task, TaskState.RUNNING, null);
            finishFailed(task, "cannot resolve inputs: " + Excerpt.of(e.getMessage()));
            return;
        }
        task.attempt++;
        task.attemptId = ids.attemptId();
        task.assignment = assignment;
        task.startedAt = clock.seconds();
        task.modelLoadSeconds = cluster.reserve(assignment, task.spec.resources(), task.startedAt, task.predictedSeconds);
        run.runningTasks++;
        run.preferredNode = assignment.node();
        if (pinWorkflows && run.pinnedNode < 0) {
            run.pin(assignment.node());
        }
        tasksStarted++;
        NodeSpec node = nodes.get(assignment.node());
        if (recording) {
            record(new StateEvent.TaskStarted(seq(), task.startedAt, run.id, task.spec.id(), task.attemptId, task.attempt,
                    node.id(), gpuList(assignment), inputs, task.modelLoadSeconds));
        }
        transition(task, TaskState.RUNNING, null);
        TaskExecutor executor = executors.get(task.spec.kind());
        if (!executor.clockDriven()) {
            offLoopRunning++;
        }
        TaskInvocation invocation = new TaskInvocation(run.id, task.spec, inputs, task.attempt, node, assignment.gpus(),
                attemptSeed(run.id, task.spec.id(), task.attempt), task.modelLoadSeconds,
                cluster.sharingSlowdown(assignment, task.spec.resources()),
                task.spec.resources().model() != null && cluster.unloadsAfterCall(assignment));
        long attemptId = task.attemptId;
        if (task.spec.timeoutSeconds() != null) {
            task.timeoutTimer = loop.schedule(task.spec.timeoutSeconds(), () -> {
                if (task.state == TaskState.RUNNING && task.attemptId == attemptId) {
                    task.execution.cancel();
                    attemptEnded(task, attemptId, new TaskResult.Failure("timed out after "
                            + format(task.spec.timeoutSeconds()) + " s; killed"));
                }
            });
        }
        try {
            AttemptContext context = new AttemptContext(task, attemptId);
            // In process, the worker is the engine itself calling the kind's executor (one call less on the hot path).
            task.execution = inProcess ? executor.start(invocation, context)
                    : workers.get(assignment.node()).start(invocation, context);
        } catch (RuntimeException e) {
            LOG.warn("executor '{}' threw while starting {}", executor.kind(), task, e);
            task.execution = () -> {};
            attemptEnded(task, attemptId, new TaskResult.Failure("executor failed to start: " + e));
        }
    }

    private static List<Integer> gpuList(Assignment assignment) {
        List<Integer> gpus = new ArrayList<>(assignment.gpus().length);
        for (int gpu : assignment.gpus()) {
            gpus.add(gpu);
        }
        return gpus;
    }

    private long attemptSeed(String workflowId, String taskId, int attempt) {
        long mixed = settings.seed();
        mixed = mixed * 0x9E3779B97F4A7C15L + workflowId.hashCode();
        mixed = mixed * 0x9E3779B97F4A7C15L + taskId.hashCode();
        mixed = mixed * 0x9E3779B97F4A7C15L + attempt;
        return new SplittableRandom(mixed).nextLong();
    }

    // ------------------------------------------------------------------ stage 2: monitor

    /** What an executor sees of the engine for one attempt. */
    private final class AttemptContext implements ExecutionContext {
        private final TaskRun task;
        private final long attemptId;
        private final AtomicBoolean reported = new AtomicBoolean();

        AttemptContext(TaskRun task, long attemptId) {
            this.task = task;
            this.attemptId = attemptId;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public Runnable schedule(double delaySeconds, Runnable action) {
            if (!loop.onLoop()) {
                throw new IllegalStateException("schedule must be called on the engine loop (from TaskExecutor.start)");
            }
            return loop.schedule(delaySeconds, action);
        }

        @Override
        public void complete(TaskResult result) {
            if (reported.compareAndSet(false, true)) {
                loop.post(() -> attemptEnded(task, attemptId, result));
            }
        }

        @Override
        public ExecutorService blockingExecutor() {
            return blockingExecutor;
        }
    }

    /**
     * An attempt ended (result, timeout). Reports of an attempt that is no longer the task's current one (timed out,
     * cancelled, lost with its node) are ignored: the attempt id fences them.
     */
    void attemptEnded(TaskRun task, long attemptId, TaskResult result) {
        if (task.state != TaskState.RUNNING || task.attemptId != attemptId) {
            return;
        }
        releaseAttempt(task);
        switch (result) {
            case TaskResult.Success success -> finishSucceeded(task, success.output());
            // An executor's message may quote anything (a 100 MB argument): messages travel to logs, snapshots, JSON.
            case TaskResult.Failure failure -> attemptFailed(task, Excerpt.of(failure.message()), failure.retryable(),
                    failure.retryAfterSeconds());
            case TaskResult.Lost lost -> attemptLost(task, lost.reason());
        }
    }

    /** Ends a running attempt's hold on the cluster (whatever the reason it ended). */
    private void releaseAttempt(TaskRun task) {
        if (!executors.get(task.spec.kind()).clockDriven()) {
            offLoopRunning--;
        }
        double now = clock.seconds();
        cluster.release(task.assignment, task.spec.resources(), now);
        task.workflow.runningTasks--;
        task.finishedAt = now;
        if (task.timeoutTimer != null) {
            task.timeoutTimer.run();
            task.timeoutTimer = null;
        }
        passDue = true;
    }

    private void finishSucceeded(TaskRun task, JsonNode output) {
        WorkflowRun run = task.workflow;
        task.output = output;
        JsonNode stated = SuccessorFeatures.statedBy(output);
        if (recording) {
            record(new StateEvent.TaskFinished(seq(), task.finishedAt, run.id, task.spec.id(), task.attemptId, output,
                    stated));
        }
        transition(task, TaskState.FINISHED, null);
        try {
            // The model load is a consequence of placement, not part of the task's own run time.
            predictor.observe(SuccessorFeatures.withMeasured(task.spec, output), task.features.fromPredecessors(),
                    task.finishedAt - task.startedAt - task.modelLoadSeconds);
        } catch (RuntimeException e) {
            LOG.warn("predictor failed to learn from {}", task, e);
        }
        releaseSuccessors(task, stated, this::makeReady);
        if (run.unfinished == 0 && !run.open) {
            completeWorkflow(run, WorkflowState.FINISHED, null);
        }
    }

    // ------------------------------------------------------------------ dynamic workflows

    /**
     * Adds {@code added} (validated with the workflow as it stands) to a running workflow: recorded as one
     * {@link StateEvent.TasksAdded}; each added task whose predecessors have finished becomes READY (once the workflow
     * has started). {@code whenStored} runs once the journal stored the event.
     */
    void addTasks(WorkflowRun run, List<TaskSpec> added, Runnable whenStored) {
        if (recording) {
            record(new StateEvent.TasksAdded(seq(), clock.seconds(), run.id, List.copyOf(added)));
            afterStored.add(whenStored);
        } else {
            whenStored.run();
        }
        List<TaskRun> fresh = extend(run, added);
        boolean started = settings.admission() == null || Arrays.stream(run.tasks)
                .anyMatch(task -> task.state != TaskState.PENDING);
        for (TaskRun task : fresh) {
            emitTask(task, null);
            if (started && task.predecessorsLeft == 0) {
                makeReady(task);
            }
        }
        passDue = true;
    }

    /** Extends the run's DAG with {@code added}: predictions, paths and model demand included; the new tasks. */
    List<TaskRun> extend(WorkflowRun run, List<TaskSpec> added) {
        WorkflowSpec extended = run.spec.withTasksAdded(added);
        List<TaskRun> fresh = run.extend(extended, shapeOf(extended));
        for (TaskRun task : fresh) {
            task.predictedSeconds = predict(task);
            cluster.demandChanged(task.spec.resources().model(), 1);
        }
        run.criticalPathSeconds = run.computePaths();
        return fresh;
    }

    /** Closes an open workflow: it ends now if its tasks have, else when they do. */
    void close(WorkflowRun run, Runnable whenStored) {
        if (recording) {
            record(new StateEvent.WorkflowClosed(seq(), clock.seconds(), run.id));
            afterStored.add(whenStored);
        } else {
            whenStored.run();
        }
        run.open = false;
        run.closed = true;
        if (run.unfinished == 0) {
            completeWorkflow(run, WorkflowState.FINISHED, null);
        }
    }

    /**
     * Counts a finished task out of its workflow and hands its stated features to its successors; {@code onFree}
     * receives each successor whose predecessors have now all finished.
     */
    static void releaseSuccessors(TaskRun task, JsonNode stated, Consumer<TaskRun> onFree) {
        WorkflowRun run = task.workflow;
        run.unfinished--;
        if (task.spec.resources().isInference()) {
            run.remainingInferences--;
        }
        for (int successorIndex : task.successors) {
            TaskRun successor = run.tasks[successorIndex];
            if (stated != null) {
                successor.features.addFromPredecessor(stated, successor.spec.id());
            }
            if (--successor.predecessorsLeft == 0 && successor.state == TaskState.PENDING) {
                onFree.accept(successor);
            }
        }
    }

    private void attemptFailed(TaskRun task, String message, boolean retryable, double retryAfterSeconds) {
        int retriesUsed = task.attempt - 1;
        if (retryable && retriesUsed < task.spec.retries().count()) {
            RetryPolicy retries = task.spec.retries();
            double unit = retries.jitter() == 0 ? 0
                    : new SplittableRandom(attemptSeed(task.workflow.id, task.spec.id(), -task.attempt)).nextDouble();
            double asked = Double.isFinite(retryAfterSeconds) ? Math.min(retryAfterSeconds, Clock.MAX_DURATION_SECONDS) : 0;
            double backoff = Math.max(retries.backoffBeforeRetry(retriesUsed + 1, unit), asked);
            double now = clock.seconds();
            if (recording) {
                record(new StateEvent.AttemptFailed(seq(), now, task.workflow.id, task.spec.id(), task.attemptId, message,
                        true, now + backoff));
            }
            transition(task, TaskState.PENDING, "attempt " + task.attempt + " failed: " + message + "; retrying in "
                    + format(backoff) + " s");
            armRetry(task, loop.schedule(backoff, () -> retryDue(task)));
            return;
        }
        if (recording) {
            record(new StateEvent.AttemptFailed(seq(), clock.seconds(), task.workflow.id, task.spec.id(), task.attemptId,
                    message, false, Double.NaN));
        }
        finishFailed(task, retryable ? message : message + " (not retried: the failure would repeat)");
    }

    void armRetry(TaskRun task, Runnable timer) {
        task.retryTimer = timer;
    }

    void retryDue(TaskRun task) {
        task.retryTimer = null;
        if (task.state == TaskState.PENDING && task.workflow.state == WorkflowState.RUNNING) {
            makeReady(task);
        }
    }

    /** A task the journal recorded as RUNNING when the engine stopped: its attempt was lost with the engine. */
    void loseOnRestart(TaskRun task) {
        attemptLost(task, "the engine restarted while the attempt ran");
    }

    /** A restored workflow whose tasks all finished (the journal was cut before its end was recorded). */
    void completeRestored(WorkflowRun run) {
        completeWorkflow(run, WorkflowState.FINISHED, null);
    }

    /**
     * Tells admission (agent pools) about a restored workflow, in acceptance order; returns whether its tasks may
     * start. One that had started already goes on, even if admission would now queue it (the pools' queues are
     * rebuilt, not restored).
     */
    boolean admitRestored(WorkflowRun run, boolean started) {
        if (settings.admission() == null) {
            return true;
        }
        WorkflowAdmission.Decision decision = settings.admission().onSubmit(run.id, run.spec.name());
        if (decision.node() >= 0) {
            run.pin(decision.node());
        }
        return decision.startNow() || started;
    }

    // ------------------------------------------------------------------ membership

    /** The node called {@code nodeId}, present in the cluster; else an error naming the present nodes. */
    int slotOf(String nodeId) {
        int slot = cluster.indexOf(nodeId);
        if (slot < 0) {
            throw new IllegalArgumentException("unknown node '" + nodeId + "'; nodes in the cluster: "
                    + String.join(", ", memberIds()));
        }
        return slot;
    }

    /** Nodes present now (draining ones included), in slot order. */
    List<NodeSpec> members() {
        List<NodeSpec> members = new ArrayList<>();
        for (int slot = 0; slot < nodes.size(); slot++) {
            if (cluster.present(slot)) {
                members.add(nodes.get(slot));
            }
        }
        return members;
    }

    private List<String> memberIds() {
        return members().stream().map(NodeSpec::id).toList();
    }

    /** A node joins: it takes tasks from the next scheduling pass on. */
    void addNode(NodeSpec spec) {
        int slot = cluster.addNode(spec);
        nodes.add(spec);
        addWorker(spec);
        if (recording) {
            record(new StateEvent.NodeAdded(seq(), clock.seconds(), spec));
        }
        passDue = true;
        assert slot == nodes.size() - 1;
    }

    /** A node takes no new tasks; what runs there finishes. */
    void drainNode(String nodeId) {
        int slot = slotOf(nodeId);
        cluster.drain(slot);
        if (recording) {
            record(new StateEvent.NodeDrained(seq(), clock.seconds(), nodeId));
        }
        passDue = true;
    }

    /** A node leaves once nothing runs on it; {@code onGone} learns its slot. */
    void removeNode(String nodeId, java.util.function.IntConsumer onGone) {
        int slot = slotOf(nodeId);
        int running = cluster.node(slot).runningTasks();
        if (running > 0) {
            throw new IllegalStateException("node '" + nodeId + "' still runs " + running
                    + " task(s); drain it and remove it once they end, or declare it lost to re-run them elsewhere");
        }
        cluster.remove(slot);
        if (recording) {
            record(new StateEvent.NodeRemoved(seq(), clock.seconds(), nodeId));
        }
        leftCluster(slot);
        onGone.accept(slot);
    }

    /**
     * A node is lost: each attempt running there is lost (its task is READY again and runs elsewhere without using a
     * retry, see {@link #MAX_LOST_ATTEMPTS}); a report that arrives later from one of them is ignored (its attempt id
     * is no longer the task's). Returns the number of attempts lost.
     */
    int loseNode(String nodeId, String reason, java.util.function.IntConsumer onGone) {
        int slot = slotOf(nodeId);
        if (recording) {
            record(new StateEvent.NodeLost(seq(), clock.seconds(), nodeId, reason));
        }
        List<TaskRun> lost = new ArrayList<>();
        for (WorkflowRun run : workflows.values()) {
            for (TaskRun task : run.tasks) {
                if (task.state == TaskState.RUNNING && task.assignment != null && task.assignment.node() == slot) {
                    lost.add(task);
                }
            }
        }
        for (TaskRun task : lost) {
            task.execution.cancel(); // best effort: the node may be gone, but a worker that is alive must stop
            attemptEnded(task, task.attemptId, new TaskResult.Lost("node '" + nodeId + "' lost: " + reason));
        }
        cluster.remove(slot);
        leftCluster(slot);
        onGone.accept(slot);
        return lost.size();
    }

    /**
     * Workflows bound to a node that left (agent pools) are unbound: they bind again, to a node that can run all of
     * their tasks, at their next placement.
     */
    private void leftCluster(int slot) {
        for (WorkflowRun run : workflows.values()) {
            if (run.pinnedNode == slot) {
                run.pinnedNode = -1;
                run.allowedNodes = new BitSet(nodes.size());
                for (int i = 0; i < nodes.size(); i++) {
                    boolean all = cluster.accepts(i);
                    for (TaskRun task : run.tasks) {
                        all &= nodes.get(i).whyNeverFits(task.spec.resources()) == null;
                    }
                    run.allowedNodes.set(i, all);
                }
            }
        }
        passDue = true;
    }

    /** Applies a journaled membership change while restoring (nothing runs yet, so nothing is lost). */
    void replayMembership(StateEvent.OfNode event) {
        switch (event) {
            case StateEvent.NodeAdded added -> {
                if (cluster.indexOf(added.nodeId()) < 0) {
                    nodes.add(added.node());
                    addWorker(added.node());
                    cluster.addNode(added.node());
                }
            }
            case StateEvent.NodeDrained drained -> {
                if (cluster.indexOf(drained.nodeId()) >= 0) {
                    cluster.drain(cluster.indexOf(drained.nodeId()));
                }
            }
            case StateEvent.NodeRemoved gone -> forget(gone.nodeId());
            case StateEvent.NodeLost gone -> forget(gone.nodeId());
        }
    }

    private void forget(String nodeId) {
        int slot = cluster.indexOf(nodeId);
        if (slot >= 0) {
            cluster.remove(slot);
        }
    }

    void observeIds(String workflowId, long attemptId) {
        ids.observe(workflowId, attemptId);
    }

    /**
     * The attempt ended without a result: back to READY, not counted against the retries (up to
     * {@link #MAX_LOST_ATTEMPTS} losses; beyond that a loss is a failed attempt).
     */
    private void attemptLost(TaskRun task, String reason) {
        if (task.lostAttempts >= MAX_LOST_ATTEMPTS) {
            attemptFailed(task, "attempt lost (" + reason + ") after " + MAX_LOST_ATTEMPTS + " earlier lost attempts", true, 0);
            return;
        }
        task.lostAttempts++;
        if (recording) {
            record(new StateEvent.AttemptLost(seq(), clock.seconds(), task.workflow.id, task.spec.id(), task.attemptId,
                    reason));
        }
        task.attempt--; // the lost attempt does not count against the retry budget
        transition(task, TaskState.PENDING, "attempt lost: " + reason + "; runs again");
        makeReady(task);
    }

    private void finishFailed(TaskRun task, String message) {
        String attempts = task.attempt == 1 ? "" : " after " + task.attempt + " attempts";
        task.error = message;
        if (Double.isNaN(task.finishedAt) || task.finishedAt < task.startedAt) {
            task.finishedAt = clock.seconds();
        }
        transition(task, TaskState.FAILED, message);
        stopWorkflow(task.workflow, WorkflowState.FAILED, "task '" + task.spec.id() + "' failed" + attempts + ": " + message, task);
    }

    /**
     * Ends a workflow early: descendants of {@code failed} are cancelled as its cascade, and so is every other
     * unfinished task (running ones are killed), because the workflow can no longer succeed.
     */
    void stopWorkflow(WorkflowRun run, WorkflowState state, String reason, TaskRun failed) {
        if (run.state.isTerminal()) {
            return;
        }
        BitSet descendants = failed == null ? new BitSet() : descendantsOf(failed);
        for (TaskRun task : run.tasks) {
            if (task.state.isTerminal()) {
                continue;
            }
            String why = descendants.get(task.topologicalIndex)
                    ? "cancelled: upstream task '" + failed.spec.id() + "' failed"
                    : "cancelled: " + reason;
            // A RUNNING task without an execution was restored from a journal: it holds nothing here.
            if (task.state == TaskState.RUNNING && task.execution != null) {
                task.execution.cancel();
                releaseAttempt(task);
            } else if (task.state == TaskState.READY) {
                if (dispatching) {
                    leftReadyDuringDispatch.add(task);
                } else {
                    ready.remove(task);
                }
            }
            if (task.retryTimer != null) {
                task.retryTimer.run();
                task.retryTimer = null;
            }
            task.error = why;
            task.finishedAt = clock.seconds();
            if (recording) {
                record(new StateEvent.TaskCancelled(seq(), task.finishedAt, run.id, task.spec.id(), why));
            }
            transition(task, TaskState.CANCELLED, why);
        }
        completeWorkflow(run, state, reason);
    }

    /** After a pass: the tasks of workflows stopped during it leave the ready queue. */
    void afterPass() {
        dispatching = false;
        for (TaskRun stopped : leftReadyDuringDispatch) {
            ready.remove(stopped);
        }
        leftReadyDuringDispatch.clear();
    }

    private static BitSet descendantsOf(TaskRun root) {
        BitSet seen = new BitSet();
        ArrayDeque<TaskRun> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            for (int successor : stack.pop().successors) {
                if (!seen.get(successor)) {
                    seen.set(successor);
                    stack.push(root.workflow.tasks[successor]);
                }
            }
        }
        return seen;
    }

    private void completeWorkflow(WorkflowRun run, WorkflowState state, String error) {
        run.state = state;
        run.error = error;
        run.finishedAt = clock.seconds();
        if (run.deadlineTimer != null) {
            run.deadlineTimer.run();
        }
        if (recording) {
            record(new StateEvent.WorkflowEnded(seq(), run.finishedAt, run.id, state, error));
        }
        if (state == WorkflowState.FINISHED) {
            policy.onWorkflowFinished(run.spec.name(), run.finishedAt - run.submittedAt);
        }
        workflows.remove(run.id);
        WorkflowSnapshot snapshot = snapshot(run);
        finished.put(run.id, snapshot);
        activeIds.remove(run.id);
        emit(new EngineListener.WorkflowEvent(run.id, run.spec.name(), state, run.finishedAt, error));
        run.result.complete(snapshot);
        if (settings.admission() != null) {
            startAdmitted(settings.admission().onFinish(run.id));
        }
    }

    // ------------------------------------------------------------------ state changes and events

    void transition(TaskRun task, TaskState next, String message) {
        if (!task.state.canMoveTo(next)) {
            throw new IllegalStateException("task " + task + ": illegal transition " + task.state + " -> " + next
                    + " (attempt " + task.attempt + ")");
        }
        task.state = next;
        if (next.isTerminal()) {
            cluster.demandChanged(task.spec.resources().model(), -1);
        }
        emitTask(task, message);
    }

    private void emitTask(TaskRun task, String message) {
        if (listeners.isEmpty()) {
            return;
        }
        Assignment at = task.assignment;
        String node = at == null ? null : nodes.get(at.node()).id();
        emit(new EngineListener.TaskEvent(task.workflow.id, task.spec.id(), task.state, task.attempt, node,
                clock.seconds(), message, task.attemptId, at == null ? List.of() : gpuList(at),
                task.state == TaskState.FINISHED ? task.output : null));
    }

    private void emit(Object event) {
        if (!listeners.isEmpty()) {
            listenerEvents.add(event);
        }
    }

    WorkflowSnapshot snapshot(WorkflowRun run) {
        return snapshot(run, task -> null);
    }

    /** A snapshot; {@code whyPending} explains each READY task (only snapshots asked for by a caller pay for it). */
    WorkflowSnapshot snapshot(WorkflowRun run, java.util.function.Function<TaskRun, String> whyPending) {
        List<TaskSnapshot> tasks = new ArrayList<>(run.tasks.length);
        for (TaskRun task : run.tasks) {
            tasks.add(task.snapshot(task.assignment == null ? null : nodes.get(task.assignment.node()).id(),
                    task.state == TaskState.READY ? whyPending.apply(task) : null));
        }
        return new WorkflowSnapshot(run.id, run.spec.name(), run.state, run.submittedAt,
                Double.isNaN(run.finishedAt) ? null : run.finishedAt, run.error, tasks);
    }

    static String format(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.format("%.3f", seconds);
    }
}
