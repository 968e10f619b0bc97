package dev.maze.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.exec.ExecutionContext;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.exec.TaskExecutors;
import dev.maze.core.exec.TaskInvocation;
import dev.maze.core.exec.TaskResult;
import dev.maze.core.node.LocalNode;
import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.placement.Assignment;
import dev.maze.core.placement.Claim;
import dev.maze.core.placement.ClusterState;
import dev.maze.core.placement.ModelResidency;
import dev.maze.core.placement.Placement;
import dev.maze.core.policy.DapsPolicy;
import dev.maze.core.policy.OrderingPolicies;
import dev.maze.core.policy.OrderingPolicy;
import dev.maze.core.policy.QueueKey;
import dev.maze.core.predict.HeuristicPredictor;
import dev.maze.core.predict.RuntimePredictor;
import dev.maze.core.workflow.InputCheck;
import dev.maze.core.workflow.InputTemplates;
import dev.maze.core.workflow.Resources;
import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowSpec;
import dev.maze.core.workflow.WorkflowValidator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The online scheduler: one event loop owns all scheduling state (DESIGN.md principle 1). Submissions,
 * completions, cancels and timers are events on one queue; the loop thread applies them and makes every
 * decision. Each turn of the loop has three stages, the roles of Maze's three processes:
 * <ol>
 *   <li><b>DAG creator</b>: accepted workflows are registered, their root tasks become READY;
 *   <li><b>monitor</b>: finished, failed and timed-out attempts release resources, successors become READY,
 *       failures retry or cascade;
 *   <li><b>scheduler/submitter</b>: once per batch of events, ready tasks are placed in policy order and started.
 * </ol>
 * Work runs off the loop (virtual threads, processes) and reports back with an event. Time comes from an injected
 * {@link Clock}: on a {@link VirtualClock} the loop jumps to the next timer when nothing else can happen, which
 * turns the same engine into a discrete-event simulator.
 *
 * <p>Head-of-line rule: the first ready task (in queue order) that fits nowhere reserves the node where it is
 * closest to fitting (a {@link Claim}); tasks behind it may still start anywhere ("backfill") but never on the
 * reserved node's share that the head needs, so the head is not starved and small tasks are not blocked.
 * At most {@link Builder#backfillDepth} tasks behind a blocked head are examined per scheduling pass.
 *
 * <p>Drive the loop either with {@link #start()} (its own thread; for real work) or {@link #runUntilIdle()} (on
 * the caller's thread until nothing is left to do; for simulations and tests on a virtual clock).
 */
public final class Engine implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

    // Configuration (immutable).
    private final Clock clock;
    private final VirtualClock virtualClock;
    private final List<NodeSpec> nodes;
    private final OrderingPolicy policy;
    private final boolean serialWorkflows;
    private final boolean pinWorkflows;
    private final RuntimePredictor predictor;
    private final Map<String, TaskExecutor> executors;
    private final Placement placement;
    private final List<EngineListener> listeners;
    private final WorkflowValidator validator;
    private final long seed;
    private final int backfillDepth;
    private final int retainedWorkflows;
    private final HeadOfLine headOfLine;
    private final WorkflowAdmission admission;

    // Hand-over to the loop (thread-safe).
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Set<String> activeIds = ConcurrentHashMap.newKeySet();
    private final AtomicLong idSequence = new AtomicLong();
    private final ExecutorService blockingExecutor = Executors.newVirtualThreadPerTaskExecutor();
    private volatile Thread loopThread;
    private volatile boolean closed;

    // Scheduling state: touched only on the loop.
    private final ArrayDeque<Runnable> local = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    /** The ready queue: by priority class, policy key, then arrival sequence (so no two tasks compare equal). */
    private final TreeSet<TaskRun> ready = new TreeSet<>(Engine::compareReady);
    private final ClusterState cluster;
    private final Map<String, WorkflowRun> workflows = new HashMap<>();
    private final Map<String, WorkflowSnapshot> finished;
    private long timerSequence;
    private long readySequence;
    private long tasksStarted;
    private long schedulingPasses;
    private double wakeUpAt = Double.POSITIVE_INFINITY;
    private int offLoopRunning;
    private boolean needsDispatch;
    private TaskRun reservedTask;
    private int reservedNode = -1;
    /**
     * True while {@link #dispatch} iterates the ready queue. A start can fail synchronously (unresolvable template,
     * throwing executor) and stop its workflow; that workflow's other READY tasks then leave the queue only after the
     * pass, because removing them under the iterator would break the iteration.
     */
    private boolean dispatching;
    private final List<TaskRun> leftReadyDuringDispatch = new ArrayList<>();

    private Engine(Builder builder) {
        this.clock = builder.clock;
        this.virtualClock = clock instanceof VirtualClock v ? v : null;
        // Defaults are resolved only when not given: detecting the machine runs nvidia-smi, and loading executors
        // scans the classpath, which a simulation building thousands of engines must not pay for.
        this.nodes = builder.nodes != null ? builder.nodes : List.of(LocalNode.detect("local", 0, 0));
        this.policy = builder.policy;
        this.serialWorkflows = policy.traits().contains(OrderingPolicy.Trait.SERIAL_WORKFLOW);
        this.pinWorkflows = policy.traits().contains(OrderingPolicy.Trait.PIN_WORKFLOW_TO_NODE);
        this.predictor = builder.predictor;
        this.executors = Map.copyOf(builder.executors != null ? builder.executors : TaskExecutors.defaults());
        this.placement = builder.placement;
        this.listeners = List.copyOf(builder.listeners);
        this.seed = builder.seed;
        this.backfillDepth = builder.backfillDepth;
        this.retainedWorkflows = builder.retainedWorkflows;
        Map<String, InputCheck> kinds = new LinkedHashMap<>(executors);
        this.validator = new WorkflowValidator(kinds, nodes);
        this.cluster = new ClusterState(nodes, builder.models, builder.residency);
        this.headOfLine = builder.headOfLine;
        this.admission = builder.admission;
        this.finished = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, WorkflowSnapshot> eldest) {
                return size() > retainedWorkflows;
            }
        };
    }

    /** A builder with the defaults: wall clock, policy {@code daps}, heuristic predictor, built-in executors. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ public API (any thread)

    /** The nodes this engine schedules on. */
    public List<NodeSpec> nodes() {
        return nodes;
    }

    /** The ordering policy's name. */
    public String policyName() {
        return policy.name();
    }

    /** Executor kinds this engine can run. */
    public Set<String> kinds() {
        return executors.keySet();
    }

    /** Checks workflows against this engine's executors and nodes without submitting them. */
    public List<ValidationError> validate(List<WorkflowSpec> specs) {
        List<ValidationError> errors = new ArrayList<>(validator.validate(specs));
        errors.addAll(pinningErrors(specs));
        return errors;
    }

    /**
     * A policy that pins a workflow to one node needs a node able to run all of its tasks; without one the workflow
     * would wait in the ready queue forever. The validator checks tasks one by one, so only this engine can tell.
     */
    private List<ValidationError> pinningErrors(List<WorkflowSpec> specs) {
        List<ValidationError> errors = new ArrayList<>();
        if (!pinWorkflows) {
            return errors;
        }
        for (WorkflowSpec spec : specs) {
            List<String> reasons = new ArrayList<>();
            for (NodeSpec node : nodes) {
                String why = spec.tasks().stream()
                        .filter(task -> node.whyNeverFits(task.resources()) != null)
                        .map(task -> "task '" + task.id() + "' " + node.whyNeverFits(task.resources()))
                        .findFirst().orElse(null);
                if (why == null) {
                    reasons = null;
                    break;
                }
                reasons.add(node.id() + ": " + why);
            }
            boolean eachTaskFitsSomewhere = spec.tasks().stream().allMatch(
                    task -> nodes.stream().anyMatch(node -> node.whyNeverFits(task.resources()) == null));
            if (reasons != null && eachTaskFitsSomewhere && !spec.tasks().isEmpty()) {
                errors.add(new ValidationError(spec.source(), spec.label(), null, "resources", "policy '" + policy.name()
                        + "' runs all tasks of a workflow on one node, and no node can run all of these ("
                        + String.join("; ", reasons) + "); use a task-level policy such as daps, or a node that fits every task"));
            }
        }
        return errors;
    }

    /**
     * Validates and accepts one workflow. Nothing runs when it is invalid.
     *
     * @throws ValidationException with every problem found, or when the id is already in use
     */
    public WorkflowHandle submit(WorkflowSpec spec) throws ValidationException {
        return submitAll(List.of(spec)).get(0);
    }

    /**
     * Validates a batch and accepts all of it or none of it.
     *
     * @throws ValidationException with every problem in the batch
     */
    public List<WorkflowHandle> submitAll(List<WorkflowSpec> specs) throws ValidationException {
        List<WorkflowHandle> handles = new ArrayList<>();
        for (WorkflowRun run : admit(specs)) {
            handles.add(new WorkflowHandle(run.id, run.result));
            post(() -> accept(run));
        }
        return handles;
    }

    /**
     * Validates a workflow now and accepts it at {@code atSeconds} on the engine clock (at once if that is past):
     * how a simulation replays arrivals. Submission time, and so latency, counts from {@code atSeconds}.
     *
     * @throws ValidationException with every problem found, or when the id is already in use
     */
    public WorkflowHandle submitAt(double atSeconds, WorkflowSpec spec) throws ValidationException {
        WorkflowRun run = admit(List.of(spec)).get(0);
        post(() -> schedule(Math.max(0, atSeconds - clock.seconds()), () -> accept(run)));
        return new WorkflowHandle(run.id, run.result);
    }

    /** Validates a batch and reserves its ids: all of it or none of it. */
    private List<WorkflowRun> admit(List<WorkflowSpec> specs) throws ValidationException {
        List<ValidationError> errors = validate(specs);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        if (closed) {
            throw new IllegalStateException("engine is closed");
        }
        List<String> ids = new ArrayList<>();
        for (WorkflowSpec spec : specs) {
            String id = spec.id() != null ? spec.id() : spec.name() + "-" + idSequence.incrementAndGet();
            if (!activeIds.add(id)) {
                activeIds.removeAll(ids);
                throw new ValidationException(List.of(new ValidationError(spec.source(), id, null, "id",
                        "a workflow with this id is already running; choose another id or omit it")));
            }
            ids.add(id);
        }
        List<WorkflowRun> runs = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            runs.add(new WorkflowRun(ids.get(i), specs.get(i), new CompletableFuture<>()));
        }
        return runs;
    }

    /** Cancels a workflow: running tasks are stopped (processes killed), pending ones cancelled. */
    public CompletableFuture<Boolean> cancel(String workflowId) {
        return query(() -> {
            WorkflowRun run = workflows.get(workflowId);
            if (run == null) {
                return false;
            }
            stopWorkflow(run, WorkflowState.CANCELLED, "cancelled on request", null);
            return true;
        });
    }

    /** The workflow's current state, or null if this engine does not know the id. */
    public CompletableFuture<WorkflowSnapshot> snapshot(String workflowId) {
        return query(() -> {
            WorkflowRun run = workflows.get(workflowId);
            return run != null ? snapshot(run) : finished.get(workflowId);
        });
    }

    /** Snapshots of all workflows not yet terminal. */
    public CompletableFuture<List<WorkflowSnapshot>> activeWorkflows() {
        return query(() -> workflows.values().stream().map(this::snapshot).toList());
    }

    /** Counters. */
    public CompletableFuture<EngineStats> stats() {
        return query(() -> {
            double now = clock.seconds();
            return new EngineStats(now, cluster.gpuCount(), cluster.gpuBusySeconds(now), tasksStarted, workflows.size(),
                    ready.size(), cluster.modelLoads(), cluster.modelLoadSeconds(), cluster.gpuMemoryGb(),
                    cluster.gpuMemoryGbSeconds(now), schedulingPasses);
        });
    }

    /** Starts the loop on its own platform thread. */
    public Engine start() {
        Thread thread = new Thread(() -> loop(false), "maze-engine");
        thread.setDaemon(true);
        synchronized (this) {
            if (loopThread != null) {
                throw new IllegalStateException("engine loop is already running");
            }
            loopThread = thread;
        }
        thread.start();
        return this;
    }

    /**
     * Runs the loop on the calling thread until no event, timer or running task is left, then returns. On a
     * virtual clock this simulates all submitted work as fast as the CPU allows.
     */
    public void runUntilIdle() {
        synchronized (this) {
            if (loopThread != null) {
                throw new IllegalStateException("engine loop is already running");
            }
            loopThread = Thread.currentThread();
        }
        loop(true);
    }

    /** Cancels all work (killing processes) and stops the loop. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        Thread thread = loopThread;
        CompletableFuture<Void> stopped = query(() -> {
            for (WorkflowRun run : List.copyOf(workflows.values())) {
                stopWorkflow(run, WorkflowState.CANCELLED, "engine closed", null);
            }
            closed = true;
            return null;
        });
        if (thread != null && thread != Thread.currentThread()) {
            stopped.join();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        blockingExecutor.shutdownNow();
    }

    // ------------------------------------------------------------------ the loop

    private void loop(boolean untilIdle) {
        try {
            while (!closed) {
                drain();
                if (closed) {
                    break; // close() ran as an event: stop now rather than wait for one more event that never comes
                }
                fireDueTimers();
                if (!local.isEmpty()) {
                    continue;
                }
                if (needsDispatch) {
                    dispatch();
                    if (!local.isEmpty()) {
                        continue;
                    }
                }
                Timer next = nextTimer();
                boolean quiet = offLoopRunning == 0 && inbox.isEmpty();
                if (virtualClock != null && quiet && next != null) {
                    virtualClock.advanceTo(next.due);
                    continue;
                }
                if (untilIdle && quiet && next == null) {
                    return;
                }
                // An overdue timer waits 0, never "forever" (a negative wait means no timer to awaitEvent).
                long waitNanos = next == null || virtualClock != null ? -1 : Math.max(0, next.due - clock.nanos());
                awaitEvent(waitNanos);
            }
        } catch (RuntimeException | Error e) {
            LOG.error("engine loop stopped by an unexpected error; failing all workflows", e);
            for (WorkflowRun run : List.copyOf(workflows.values())) {
                run.result.completeExceptionally(e);
            }
            throw e;
        } finally {
            synchronized (this) {
                loopThread = null;
            }
        }
    }

    private void drain() {
        for (Runnable event; (event = inbox.poll()) != null; ) {
            local.add(event);
        }
        for (Runnable event; (event = local.poll()) != null; ) {
            event.run();
        }
    }

    private void awaitEvent(long waitNanos) {
        try {
            Runnable event = waitNanos < 0 ? inbox.take() : inbox.poll(Math.max(0, waitNanos), TimeUnit.NANOSECONDS);
            if (event != null) {
                local.add(event);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /** Hands an event to the loop: directly when already on it (runs after the current event), else via the inbox. */
    private void post(Runnable event) {
        if (Thread.currentThread() == loopThread) {
            local.add(event);
        } else {
            inbox.add(event);
        }
    }

    /** Runs {@code action} on the loop and returns its answer; inline when no loop is running. */
    private <T> CompletableFuture<T> query(java.util.function.Supplier<T> action) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        Runnable event = () -> {
            try {
                answer.complete(action.get());
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        };
        synchronized (this) {
            if (loopThread == null) {
                event.run(); // no loop running: the caller is the only thread touching the state
                return answer;
            }
        }
        post(event);
        return answer;
    }

    // ------------------------------------------------------------------ timers

    private static final class Timer implements Comparable<Timer> {
        final long due;
        final long sequence;
        final Runnable action;
        boolean cancelled;

        Timer(long due, long sequence, Runnable action) {
            this.due = due;
            this.sequence = sequence;
            this.action = action;
        }

        @Override
        public int compareTo(Timer other) {
            int byDue = Long.compare(due, other.due);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }

    /** Schedules {@code action} on the loop after {@code delaySeconds}; returns a cancel handle. Loop only. */
    private Runnable schedule(double delaySeconds, Runnable action) {
        Timer timer = new Timer(clock.nanos() + Math.round(delaySeconds * 1e9), timerSequence++, action);
        timers.add(timer);
        return () -> timer.cancelled = true;
    }

    private Timer nextTimer() {
        while (!timers.isEmpty() && timers.peek().cancelled) {
            timers.poll();
        }
        return timers.peek();
    }

    private void fireDueTimers() {
        long now = clock.nanos();
        for (Timer timer; (timer = nextTimer()) != null && timer.due <= now; ) {
            timers.poll();
            timer.action.run();
        }
    }

    // ------------------------------------------------------------------ stage 1: DAG creator

    private void accept(WorkflowRun run) {
        run.submittedAt = clock.seconds();
        workflows.put(run.id, run);
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
            cluster.demandChanged(task.spec.resources().model(), 1);
        }
        if (run.spec.deadlineSeconds() != null) {
            run.deadlineTimer = schedule(run.spec.deadlineSeconds(), () -> stopWorkflow(run, WorkflowState.FAILED,
                    "deadline of " + format(run.spec.deadlineSeconds()) + " s exceeded", null));
        }
        emit(new EngineListener.WorkflowEvent(run.id, run.spec.name(), WorkflowState.RUNNING, run.submittedAt, null));
        for (TaskRun task : run.tasks) {
            emitTask(task, null);
        }
        if (admission != null) {
            WorkflowAdmission.Decision decision = admission.onSubmit(run.id, run.spec.name());
            if (decision.node() >= 0) {
                run.pin(decision.node());
            }
            if (!decision.startNow()) {
                return; // its tasks stay PENDING until admission lets it start
            }
        }
        startRoots(run);
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
            double seconds = predictor.predictSeconds(task.spec, task.featuresFromPredecessors());
            return Double.isFinite(seconds) ? Math.max(0.1, seconds) : fallbackPrediction(task);
        } catch (RuntimeException e) {
            LOG.warn("predictor failed for {}; using the heuristic", task, e);
            return fallbackPrediction(task);
        }
    }

    private static double fallbackPrediction(TaskRun task) {
        return HeuristicPredictor.CLASS_DEFAULTS.get(task.spec.resources().resourceClass());
    }

    private void makeReady(TaskRun task) {
        transition(task, TaskState.READY, null);
        task.readyAt = clock.seconds();
        task.predictedSeconds = predict(task);
        QueueKey key = policy.key(task);
        task.keyRank = task.workflow.spec.priorityClass().ordinal();
        task.keyPrimary = key.primary();
        task.keySecondary = key.secondary();
        task.keySequence = readySequence++;
        ready.add(task);
        needsDispatch = true;
    }

    // ------------------------------------------------------------------ stage 3: scheduler / submitter

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

    private void dispatch() {
        needsDispatch = false;
        schedulingPasses++;
        if (reservedTask != null && reservedTask.state != TaskState.READY) {
            reservedTask = null;
        }
        TaskRun head = null;
        Claim claim = null;
        int examinedBehindHead = 0;
        List<Placement.Request> refused = new ArrayList<>();
        boolean blockPerClass = headOfLine == HeadOfLine.BLOCK_RESOURCE_CLASS;
        boolean gpuBlocked = false;
        boolean cpuBlocked = false;
        boolean ioBlocked = false;
        dispatching = true;
        for (Iterator<TaskRun> it = ready.iterator(); it.hasNext(); ) {
            TaskRun task = it.next();
            if (task.state != TaskState.READY) {
                continue; // its workflow was stopped earlier in this pass
            }
            WorkflowRun run = task.workflow;
            if (serialWorkflows && run.runningTasks > 0) {
                continue;
            }
            String resourceClass = task.spec.resources().resourceClass();
            if (blockPerClass && switch (resourceClass) {
                case "gpu" -> gpuBlocked;
                case "cpu" -> cpuBlocked;
                default -> ioBlocked;
            }) {
                if (gpuBlocked && cpuBlocked && ioBlocked) {
                    break;
                }
                continue;
            }
            if (head != null && ++examinedBehindHead > backfillDepth) {
                break;
            }
            Placement.Request request = placementRequest(task);
            // A request at least as large as one already refused in this pass cannot fit either.
            if (dominatesAny(request, refused)) {
                continue;
            }
            Assignment assignment = placement.place(cluster, request, claim);
            if (assignment == Placement.DEFER) {
                wakeAt(placement.deferredUntil(cluster, request));
                continue;
            }
            if (assignment != null) {
                it.remove();
                startAttempt(task, assignment);
                continue;
            }
            if (blockPerClass) {
                switch (resourceClass) {
                    case "gpu" -> gpuBlocked = true;
                    case "cpu" -> cpuBlocked = true;
                    default -> ioBlocked = true;
                }
            } else if (head == null) {
                head = task;
                if (reservedTask != task) {
                    reservedTask = task;
                    reservedNode = placement.chooseReservation(cluster, request);
                }
                claim = reservedNode >= 0 ? new Claim(reservedNode, task.spec.resources()) : null;
            }
            if (refused.size() < 8) {
                refused.add(request);
            }
        }
        dispatching = false;
        for (TaskRun stopped : leftReadyDuringDispatch) {
            ready.remove(stopped);
        }
        leftReadyDuringDispatch.clear();
    }

    /** Makes sure a scheduling pass runs at {@code seconds} even if no other event comes (a deferred task). */
    private void wakeAt(double seconds) {
        if (seconds < wakeUpAt) {
            wakeUpAt = seconds;
            schedule(Math.max(0, seconds - clock.seconds()), () -> {
                wakeUpAt = Double.POSITIVE_INFINITY;
                needsDispatch = true;
            });
        }
    }

    private static boolean dominatesAny(Placement.Request request, List<Placement.Request> refused) {
        if (request.allowedNodes() != null) {
            return false;
        }
        Resources mine = request.resources();
        for (Placement.Request other : refused) {
            Resources theirs = other.resources();
            if (other.allowedNodes() == null && mine.cpu() >= theirs.cpu() && mine.memoryGb() >= theirs.memoryGb()
                    && mine.gpus() >= theirs.gpus() && mine.wholeGpus() == theirs.wholeGpus()
                    && mine.gpuMemoryGb() >= theirs.gpuMemoryGb() && Objects.equals(mine.model(), theirs.model())) {
                return true;
            }
        }
        return false;
    }

    private Placement.Request placementRequest(TaskRun task) {
        WorkflowRun run = task.workflow;
        BitSet allowed = pinWorkflows ? run.allowedNodes : null;
        double now = clock.seconds();
        return new Placement.Request(task.spec.resources(), run.preferredNode, allowed, now, now - task.readyAt);
    }

    private void startAttempt(TaskRun task, Assignment assignment) {
        WorkflowRun run = task.workflow;
        JsonNode inputs;
        try {
            inputs = task.hasTemplates ? InputTemplates.render(task.spec.inputs(), templateContext(run)) : task.spec.inputs();
        } catch (RuntimeException e) {
            // A template that cannot be resolved fails the same way on every retry: fail the task at once. Any
            // exception from rendering fails only this task, never the loop.
            task.attempt++;
            transition(task, TaskState.RUNNING, null);
            finishFailed(task, "cannot resolve inputs: " + e.getMessage());
            return;
        }
        task.attempt++;
        task.assignment = assignment;
        task.startedAt = clock.seconds();
        task.modelLoadSeconds = cluster.reserve(assignment, task.spec.resources(), task.startedAt, task.predictedSeconds);
        run.runningTasks++;
        run.preferredNode = assignment.node();
        if (pinWorkflows && run.pinnedNode < 0) {
            run.pin(assignment.node());
        }
        tasksStarted++;
        transition(task, TaskState.RUNNING, null);
        TaskExecutor executor = executors.get(task.spec.kind());
        if (!executor.clockDriven()) {
            offLoopRunning++;
        }
        NodeSpec node = nodes.get(assignment.node());
        TaskInvocation invocation = new TaskInvocation(run.id, task.spec, inputs, task.attempt, node, assignment.gpus(),
                attemptSeed(run.id, task.spec.id(), task.attempt), task.modelLoadSeconds,
                cluster.sharingSlowdown(assignment, task.spec.resources()));
        int attempt = task.attempt;
        if (task.spec.timeoutSeconds() != null) {
            task.timeoutTimer = schedule(task.spec.timeoutSeconds(), () -> {
                if (task.state == TaskState.RUNNING && task.attempt == attempt) {
                    task.execution.cancel();
                    attemptEnded(task, attempt, new TaskResult.Failure("timed out after "
                            + format(task.spec.timeoutSeconds()) + " s; killed"));
                }
            });
        }
        try {
            task.execution = executor.start(invocation, new AttemptContext(task, attempt));
        } catch (RuntimeException e) {
            LOG.warn("executor '{}' threw while starting {}", executor.kind(), task, e);
            task.execution = () -> {};
            attemptEnded(task, attempt, new TaskResult.Failure("executor failed to start: " + e));
        }
    }

    private Map<String, Object> templateContext(WorkflowRun run) {
        Map<String, Object> tasks = new HashMap<>();
        for (TaskRun other : run.tasks) {
            if (other.state == TaskState.FINISHED) {
                tasks.put(other.spec.id(), Map.of("output", InputTemplates.toTemplateValue(other.output)));
            }
        }
        return Map.of("tasks", tasks, "workflow", Map.of("id", run.id, "name", run.spec.name()));
    }

    private long attemptSeed(String workflowId, String taskId, int attempt) {
        long mixed = seed;
        mixed = mixed * 0x9E3779B97F4A7C15L + workflowId.hashCode();
        mixed = mixed * 0x9E3779B97F4A7C15L + taskId.hashCode();
        mixed = mixed * 0x9E3779B97F4A7C15L + attempt;
        return new SplittableRandom(mixed).nextLong();
    }

    // ------------------------------------------------------------------ stage 2: monitor

    /** What an executor sees of the engine for one attempt. */
    private final class AttemptContext implements ExecutionContext {
        private final TaskRun task;
        private final int attempt;
        private final AtomicBoolean reported = new AtomicBoolean();

        AttemptContext(TaskRun task, int attempt) {
            this.task = task;
            this.attempt = attempt;
        }

        @Override
        public Clock clock() {
            return clock;
        }

        @Override
        public Runnable schedule(double delaySeconds, Runnable action) {
            if (Thread.currentThread() != loopThread) {
                throw new IllegalStateException("schedule must be called on the engine loop (from TaskExecutor.start)");
            }
            return Engine.this.schedule(delaySeconds, action);
        }

        @Override
        public void complete(TaskResult result) {
            if (reported.compareAndSet(false, true)) {
                post(() -> attemptEnded(task, attempt, result));
            }
        }

        @Override
        public ExecutorService blockingExecutor() {
            return blockingExecutor;
        }
    }

    /** An attempt ended (result, timeout). Stale reports (an attempt already timed out or cancelled) are ignored. */
    private void attemptEnded(TaskRun task, int attempt, TaskResult result) {
        if (task.state != TaskState.RUNNING || task.attempt != attempt) {
            return;
        }
        releaseAttempt(task);
        switch (result) {
            case TaskResult.Success success -> finishSucceeded(task, success.output());
            case TaskResult.Failure failure -> attemptFailed(task, failure.message());
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
        needsDispatch = true;
    }

    /** The output field in which a task states features for its successors (Maze's name). */
    static final String SUCCESSOR_FEATURES = "succ_task_feat";

    private void finishSucceeded(TaskRun task, JsonNode output) {
        WorkflowRun run = task.workflow;
        task.output = output;
        transition(task, TaskState.FINISHED, null);
        try {
            // The model load is a consequence of placement, not part of the task's own run time.
            predictor.observe(task.spec, task.featuresFromPredecessors(),
                    task.finishedAt - task.startedAt - task.modelLoadSeconds);
        } catch (RuntimeException e) {
            LOG.warn("predictor failed to learn from {}", task, e);
        }
        run.unfinished--;
        if (task.spec.resources().isInference()) {
            run.remainingInferences--;
        }
        JsonNode stated = output == null ? null : output.get(SUCCESSOR_FEATURES);
        for (int successorIndex : task.successors) {
            TaskRun successor = run.tasks[successorIndex];
            if (stated != null) {
                successor.addPredecessorFeatures(stated);
            }
            if (--successor.predecessorsLeft == 0 && successor.state == TaskState.PENDING) {
                makeReady(successor);
            }
        }
        if (run.unfinished == 0) {
            completeWorkflow(run, WorkflowState.FINISHED, null);
        }
    }

    private void attemptFailed(TaskRun task, String message) {
        int retriesUsed = task.attempt - 1;
        if (retriesUsed < task.spec.retries().count()) {
            double backoff = task.spec.retries().backoffBeforeRetry(retriesUsed + 1);
            transition(task, TaskState.PENDING, "attempt " + task.attempt + " failed: " + message + "; retrying in "
                    + format(backoff) + " s");
            schedule(backoff, () -> {
                if (task.state == TaskState.PENDING && task.workflow.state == WorkflowState.RUNNING) {
                    makeReady(task);
                }
            });
            return;
        }
        finishFailed(task, message);
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
    private void stopWorkflow(WorkflowRun run, WorkflowState state, String reason, TaskRun failed) {
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
            if (task.state == TaskState.RUNNING) {
                task.execution.cancel();
                releaseAttempt(task);
            } else if (task.state == TaskState.READY) {
                if (dispatching) {
                    leftReadyDuringDispatch.add(task);
                } else {
                    ready.remove(task);
                }
            }
            task.error = why;
            task.finishedAt = clock.seconds();
            transition(task, TaskState.CANCELLED, why);
        }
        completeWorkflow(run, state, reason);
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
        if (state == WorkflowState.FINISHED) {
            policy.onWorkflowFinished(run.spec.name(), run.finishedAt - run.submittedAt);
        }
        workflows.remove(run.id);
        WorkflowSnapshot snapshot = snapshot(run);
        finished.put(run.id, snapshot);
        activeIds.remove(run.id);
        emit(new EngineListener.WorkflowEvent(run.id, run.spec.name(), state, run.finishedAt, error));
        run.result.complete(snapshot);
        if (admission != null) {
            for (String next : admission.onFinish(run.id)) {
                WorkflowRun admitted = workflows.get(next);
                if (admitted != null) {
                    startRoots(admitted);
                }
            }
        }
    }

    // ------------------------------------------------------------------ state changes and events

    private void transition(TaskRun task, TaskState next, String message) {
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
        String node = task.assignment == null ? null : nodes.get(task.assignment.node()).id();
        emit(new EngineListener.TaskEvent(task.workflow.id, task.spec.id(), task.state, task.attempt, node,
                clock.seconds(), message));
    }

    private void emit(Object event) {
        for (EngineListener listener : listeners) {
            try {
                if (event instanceof EngineListener.TaskEvent taskEvent) {
                    listener.onTaskEvent(taskEvent);
                } else {
                    listener.onWorkflowEvent((EngineListener.WorkflowEvent) event);
                }
            } catch (RuntimeException e) {
                LOG.warn("listener {} threw on {}; ignored", listener, event, e);
            }
        }
    }

    private WorkflowSnapshot snapshot(WorkflowRun run) {
        List<TaskSnapshot> tasks = new ArrayList<>(run.tasks.length);
        for (TaskRun task : run.tasks) {
            tasks.add(task.snapshot(task.assignment == null ? null : nodes.get(task.assignment.node()).id()));
        }
        return new WorkflowSnapshot(run.id, run.spec.name(), run.state, run.submittedAt,
                Double.isNaN(run.finishedAt) ? null : run.finishedAt, run.error, tasks);
    }

    private static String format(double seconds) {
        return seconds == Math.rint(seconds) ? String.valueOf((long) seconds) : String.format("%.3f", seconds);
    }

    // ------------------------------------------------------------------ builder

    /** Engine settings; every one has a default. */
    public static final class Builder {
        private Clock clock = new WallClock();
        private List<NodeSpec> nodes;
        private OrderingPolicy policy = new DapsPolicy();
        private RuntimePredictor predictor = new HeuristicPredictor();
        private Map<String, TaskExecutor> executors;
        private Placement placement = new Placement();
        private final List<EngineListener> listeners = new ArrayList<>();
        private long seed = 42;
        private int backfillDepth = 256;
        private int retainedWorkflows = 10_000;
        private Map<String, ModelSpec> models = Map.of();
        private ModelResidency residency = ModelResidency.KEEP;
        private HeadOfLine headOfLine = HeadOfLine.RESERVE_AND_BACKFILL;
        private WorkflowAdmission admission;

        private Builder() {}

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The nodes to schedule on; at least one. */
        public Builder nodes(List<NodeSpec> value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("nodes: at least one node is needed");
            }
            this.nodes = List.copyOf(value);
            return this;
        }

        public Builder policy(OrderingPolicy value) {
            this.policy = Objects.requireNonNull(value, "policy");
            return this;
        }

        /** Chooses the ordering policy by name (see {@link OrderingPolicies#names()}). */
        public Builder policy(String name) {
            return policy(OrderingPolicies.create(name));
        }

        public Builder predictor(RuntimePredictor value) {
            this.predictor = Objects.requireNonNull(value, "predictor");
            return this;
        }

        /** Replaces the executors (kind to executor). */
        public Builder executors(Map<String, TaskExecutor> value) {
            this.executors = Map.copyOf(value);
            return this;
        }

        /** Adds or replaces one executor. */
        public Builder executor(TaskExecutor value) {
            Map<String, TaskExecutor> copy = new LinkedHashMap<>(executors != null ? executors : TaskExecutors.defaults());
            copy.put(value.kind(), value);
            this.executors = copy;
            return this;
        }

        public Builder placement(Placement value) {
            this.placement = Objects.requireNonNull(value, "placement");
            return this;
        }

        public Builder listener(EngineListener value) {
            listeners.add(Objects.requireNonNull(value, "listener"));
            return this;
        }

        /** Seed for random durations and anything else random; same seed, same run on a virtual clock. */
        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        /** How many tasks behind a blocked head one scheduling pass examines (default 256). */
        public Builder backfillDepth(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("backfillDepth: must be >= 0, got " + value);
            }
            this.backfillDepth = value;
            return this;
        }

        /** How many finished workflows stay queryable by id (default 10,000). */
        public Builder retainedWorkflows(int value) {
            this.retainedWorkflows = value;
            return this;
        }

        /** Memory and load cost per model (a model not listed loads in no time). */
        public Builder models(Map<String, ModelSpec> value) {
            this.models = Map.copyOf(value);
            return this;
        }

        /** Whether models stay on their GPU between calls (default {@link ModelResidency#KEEP}). */
        public Builder modelResidency(ModelResidency value) {
            this.residency = Objects.requireNonNull(value, "modelResidency");
            return this;
        }

        /** What happens behind a ready task that fits nowhere (default {@link HeadOfLine#RESERVE_AND_BACKFILL}). */
        public Builder headOfLine(HeadOfLine value) {
            this.headOfLine = Objects.requireNonNull(value, "headOfLine");
            return this;
        }

        /** Decides when each workflow may start and on which node (agent pools); default: all start at once. */
        public Builder admission(WorkflowAdmission value) {
            this.admission = value;
            return this;
        }

        public Engine build() {
            return new Engine(this);
        }
    }
}
