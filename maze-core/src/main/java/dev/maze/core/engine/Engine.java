package dev.maze.core.engine;

import dev.maze.core.clock.Clock;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.clock.WallClock;
import dev.maze.core.policy.WorkflowAdmission;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.exec.TaskExecutors;
import dev.maze.core.exec.Worker;
import dev.maze.core.node.LocalNode;
import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.placement.ModelResidency;
import dev.maze.core.placement.Placement;
import dev.maze.core.policy.DapsPolicy;
import dev.maze.core.policy.OrderingPolicies;
import dev.maze.core.policy.OrderingPolicy;
import dev.maze.core.predict.HeuristicPredictor;
import dev.maze.core.predict.RuntimePredictor;
import dev.maze.core.workflow.InputCheck;
import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowSpec;
import dev.maze.core.workflow.WorkflowValidator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;

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
 * This class is the public face and the wiring; the parts are {@link EventLoop} (the loop and its timers),
 * {@link TaskLifecycle} (every state change, and so every {@link StateEvent}), {@link SchedulingPass} (ordering and
 * placement) and {@link StateRestore} (rebuilding the state from a journal).
 *
 * <p>Work runs off the loop (virtual threads, processes) and reports back with an event. Time comes from an injected
 * {@link Clock}: on a {@link VirtualClock} the loop jumps to the next timer when nothing else can happen, which
 * turns the same engine into a discrete-event simulator.
 *
 * <p>Drive the loop either with {@link #start()} (its own thread; for real work) or {@link #runUntilIdle()} (on
 * the caller's thread until nothing is left to do; for simulations and tests on a virtual clock).
 */
public final class Engine implements AutoCloseable {

    /** The builder's choices with every default resolved ({@code workers} null: in process); immutable. */
    record Settings(Clock clock, List<NodeSpec> nodes, OrderingPolicy policy, RuntimePredictor predictor,
            Map<String, TaskExecutor> executors, Function<NodeSpec, Worker> workers, Placement placement,
            List<EngineListener> listeners,
            StateJournal journal, IdGenerator ids, TaskListCache taskLists, long seed, int backfillDepth, int retainedWorkflows,
            Map<String, ModelSpec> models, ModelResidency residency, HeadOfLine headOfLine,
            WorkflowAdmission admission, Map<String, List<String>> residentAtStart) {

        boolean serialWorkflows() {
            return policy.traits().contains(OrderingPolicy.Trait.SERIAL_WORKFLOW);
        }

        boolean pinWorkflows() {
            return policy.traits().contains(OrderingPolicy.Trait.PIN_WORKFLOW_TO_NODE);
        }
    }

    private final Settings settings;
    /** Rebuilt when membership changes, so that submissions are checked against the nodes present now. */
    private volatile WorkflowValidator validator;
    private volatile List<NodeSpec> members;
    private final EventLoop loop;
    private final TaskLifecycle lifecycle;
    private final SchedulingPass pass;
    private final List<WorkflowHandle> restored;
    /**
     * Ids of workflows admitted and not yet terminal, each with whether Maze generated it: checked off the loop, so
     * submitters learn of a clash at once (and why).
     */
    private final ConcurrentMap<String, Boolean> activeIds = new ConcurrentHashMap<>();
    private final ExecutorService blockingExecutor = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean closed;

    private Engine(Settings settings, List<StateEvent> restoreFrom) {
        this.settings = settings;
        this.members = settings.nodes();
        this.validator = newValidator();
        this.loop = new EventLoop(settings.clock());
        this.lifecycle = new TaskLifecycle(loop, settings, activeIds, blockingExecutor);
        this.pass = new SchedulingPass(lifecycle, loop, settings);
        loop.drive(new EventLoop.Turns() {
            @Override
            public void endTurn() {
                lifecycle.endTurn();
            }

            @Override
            public boolean passDue() {
                return lifecycle.passDue;
            }

            @Override
            public void pass() {
                pass.run();
            }

            @Override
            public int runningOffLoop() {
                return lifecycle.runningOffLoop();
            }

            @Override
            public void crashed(Throwable error) {
                lifecycle.crashed(error);
            }
        });
        this.restored = restoreFrom == null ? List.of() : StateRestore.replay(lifecycle, loop, restoreFrom, activeIds);
        try {
            // The journal may hold more than the restored events (ended workflows' history): never reuse a number.
            lifecycle.continueSequenceAfter(settings.journal().lastSequence());
            settings.journal().observeIds(settings.ids()); // nor an id: the history keeps ended workflows by id
        } catch (StateJournal.JournalException e) {
            throw new IllegalStateException("cannot read the journal's last sequence number and ids: " + e.getMessage(), e);
        }
        membershipChanged();
    }

    private void membershipChanged() {
        members = List.copyOf(lifecycle.members());
        validator = newValidator();
    }

    private WorkflowValidator newValidator() {
        return new WorkflowValidator(new LinkedHashMap<String, InputCheck>(settings.executors()), members,
                settings.taskLists().validated);
    }

    /** A builder with the defaults: wall clock, policy {@code daps}, heuristic predictor, built-in executors. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ public API (any thread)

    /** The nodes this engine schedules on now (draining ones included). */
    public List<NodeSpec> nodes() {
        return members;
    }

    // ------------------------------------------------------------------ membership (any thread; applied on the loop)

    /**
     * A node joins; tasks may start on it from the next scheduling pass.
     *
     * @return completes when applied; fails with IllegalArgumentException when a present node has the same id
     */
    public CompletableFuture<Void> addNode(NodeSpec node) {
        return loop.query(() -> {
            lifecycle.addNode(node);
            membershipChanged();
            return null;
        });
    }

    /** A node takes no new tasks (and holds no reservation); its running tasks finish. Fails for an unknown node. */
    public CompletableFuture<Void> drainNode(String nodeId) {
        return loop.query(() -> {
            lifecycle.drainNode(nodeId);
            return null;
        });
    }

    /**
     * A node leaves. Fails (and changes nothing) while tasks still run on it: drain it first, or {@link #loseNode}.
     */
    public CompletableFuture<Void> removeNode(String nodeId) {
        return loop.query(() -> {
            lifecycle.removeNode(nodeId, pass::nodeGone);
            membershipChanged();
            return null;
        });
    }

    /**
     * A node is lost (crashed, unreachable): its running attempts end as lost, their tasks run again elsewhere
     * without using a retry (at most {@value TaskLifecycle#MAX_LOST_ATTEMPTS} lost attempts per task; beyond that a
     * loss counts as a failed attempt), and a completion that still arrives from one of them is ignored.
     *
     * @return completes with the number of attempts lost
     */
    public CompletableFuture<Integer> loseNode(String nodeId, String reason) {
        return loop.query(() -> {
            int lost = lifecycle.loseNode(nodeId, reason, pass::nodeGone);
            membershipChanged();
            return lost;
        });
    }

    /** The ordering policy's name. */
    public String policyName() {
        return settings.policy().name();
    }

    /** Executor kinds this engine can run. */
    public Set<String> kinds() {
        return settings.executors().keySet();
    }

    /** Workflows rebuilt by {@link Builder#restore}, in acceptance order (empty when the engine was not restored). */
    public List<WorkflowHandle> restored() {
        return restored;
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
        if (!settings.pinWorkflows()) {
            return errors;
        }
        List<NodeSpec> nodes = members;
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
                errors.add(new ValidationError(spec.source(), spec.label(), null, "resources", "policy '"
                        + settings.policy().name() + "' runs all tasks of a workflow on one node, and no node can run all of these ("
                        + String.join("; ", reasons) + "); use a task-level policy such as daps, or a node that fits every task"));
            }
        }
        return errors;
    }

    /**
     * Validates and submits one workflow. Nothing runs when it is invalid. It is accepted once the journal stored it
     * ({@link WorkflowHandle#accepted()}).
     *
     * @throws ValidationException with every problem found, or when the id is already in use
     */
    public WorkflowHandle submit(WorkflowSpec spec) throws ValidationException {
        return submitAll(List.of(spec)).get(0);
    }

    /**
     * Validates a batch and submits all of it or none of it. A workflow with {@link WorkflowSpec#submitAtSeconds} is
     * accepted at that time on the engine clock (at once if that is past).
     *
     * @throws ValidationException with every problem in the batch
     */
    public List<WorkflowHandle> submitAll(List<WorkflowSpec> specs) throws ValidationException {
        List<WorkflowHandle> handles = new ArrayList<>();
        for (WorkflowRun run : admit(specs)) {
            handles.add(new WorkflowHandle(run));
            Double at = run.spec.submitAtSeconds();
            loop.post(at == null ? () -> lifecycle.accept(run)
                    : () -> loop.schedule(Math.max(0, at - loop.clock().seconds()), () -> lifecycle.accept(run)));
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
        return submit(spec.withSubmitAt(atSeconds));
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
        // Ids users chose are reserved first, so an id generated for a workflow without one never takes an id that a
        // later workflow of the same batch names; a generated id already in use is skipped.
        String[] ids = new String[specs.size()];
        List<String> reserved = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            WorkflowSpec spec = specs.get(i);
            if (spec.id() == null) {
                continue;
            }
            Boolean generated = activeIds.putIfAbsent(spec.id(), false);
            if (generated != null) {
                reserved.forEach(activeIds::remove);
                throw new ValidationException(List.of(new ValidationError(spec.source(), spec.id(), null, "id",
                        generated ? "id '" + spec.id() + "' was given to a running workflow that was submitted without "
                                + "an id; choose another id or omit it"
                                : "a workflow with this id is already running; choose another id or omit it")));
            }
            reserved.add(spec.id());
            ids[i] = spec.id();
        }
        for (int i = 0; i < specs.size(); i++) {
            while (ids[i] == null) {
                String candidate = settings.ids().workflowId(specs.get(i).name());
                if (activeIds.putIfAbsent(candidate, true) == null) {
                    ids[i] = candidate;
                }
            }
        }
        List<WorkflowRun> runs = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            runs.add(new WorkflowRun(ids[i], specs.get(i), new CompletableFuture<>(), lifecycle.shapeOf(specs.get(i))));
        }
        return runs;
    }

    /** Cancels a workflow: running tasks are stopped (processes killed), pending ones cancelled. */
    public CompletableFuture<Boolean> cancel(String workflowId) {
        return loop.query(() -> {
            WorkflowRun run = lifecycle.workflows.get(workflowId);
            if (run == null) {
                return false;
            }
            lifecycle.stopWorkflow(run, WorkflowState.CANCELLED, "cancelled on request", null);
            return true;
        });
    }

    /**
     * Adds tasks to a running workflow (a dynamic workflow: an agent deciding its next step), after its own. They are
     * validated with the workflow as it stands — ids unique, dependencies that exist (among its tasks or the added
     * ones), no cycle, templates that name ancestors, inputs, resources — and recorded as one journaled event; each
     * whose predecessors have finished becomes ready. The future completes once the journal stored the addition; it
     * fails with a {@link ValidationException} listing every problem (nothing was added), or with a
     * {@link WorkflowNotOpenException} when the workflow is not running here or was closed.
     */
    public CompletableFuture<Void> addTasks(String workflowId, List<TaskSpec> tasks) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        loop.post(() -> {
            WorkflowRun run = openRun(workflowId, stored);
            if (run == null) {
                return;
            }
            if (tasks.isEmpty()) {
                stored.completeExceptionally(new ValidationException(List.of(new ValidationError(null, workflowId, null,
                        "tasks", "give at least one task to add"))));
                return;
            }
            List<ValidationError> errors = validate(List.of(run.spec.withTasksAdded(tasks)));
            if (!errors.isEmpty()) {
                stored.completeExceptionally(new ValidationException(errors));
                return;
            }
            lifecycle.addTasks(run, tasks, () -> stored.complete(null));
        });
        return stored;
    }

    /**
     * Closes an open workflow (one submitted with {@code open: true}): it ends once its tasks have (at once if they
     * have), and nothing may be added to it any more. Completes once stored; fails with a
     * {@link WorkflowNotOpenException} when it is not running here or was closed already.
     */
    public CompletableFuture<Void> closeWorkflow(String workflowId) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        loop.post(() -> {
            WorkflowRun run = openRun(workflowId, stored);
            if (run != null) {
                lifecycle.close(run, () -> stored.complete(null));
            }
        });
        return stored;
    }

    /** The workflow if it runs here and is open (on the loop); else fails {@code stored} with why, and null. */
    private WorkflowRun openRun(String workflowId, CompletableFuture<Void> stored) {
        WorkflowRun run = lifecycle.workflows.get(workflowId);
        if (run == null || run.state != WorkflowState.RUNNING || run.closed) {
            stored.completeExceptionally(new WorkflowNotOpenException(workflowId, run != null && run.closed));
            return null;
        }
        return run;
    }

    /** A workflow that takes no more tasks: not running on this engine (unknown, or ended), or closed. */
    public static final class WorkflowNotOpenException extends RuntimeException {
        private final boolean closed;

        WorkflowNotOpenException(String workflowId, boolean closed) {
            super(closed ? "workflow '" + workflowId + "' was closed; it takes no more tasks"
                    : "workflow '" + workflowId + "' is not running (it ended, or this engine never had it)");
            this.closed = closed;
        }

        /** Whether it is running but was closed (else it is not running). */
        public boolean closed() {
            return closed;
        }
    }

    /** The workflow's current state (READY tasks say why they wait), or null if this engine does not know the id. */
    public CompletableFuture<WorkflowSnapshot> snapshot(String workflowId) {
        return loop.query(() -> {
            WorkflowRun run = lifecycle.workflows.get(workflowId);
            return run != null ? lifecycle.snapshot(run, pass::whyPending) : lifecycle.finished.get(workflowId);
        });
    }

    /** Snapshots of all workflows not yet terminal. */
    public CompletableFuture<List<WorkflowSnapshot>> activeWorkflows() {
        return loop.query(() -> lifecycle.workflows.values().stream()
                .map(run -> lifecycle.snapshot(run, pass::whyPending)).toList());
    }

    /** Counters. */
    public CompletableFuture<EngineStats> stats() {
        return loop.query(() -> {
            double now = loop.clock().seconds();
            var cluster = lifecycle.cluster;
            return new EngineStats(now, cluster.gpuCount(), cluster.gpuBusySeconds(now), lifecycle.tasksStarted,
                    lifecycle.workflows.size(), lifecycle.ready.size(), cluster.modelLoads(), cluster.modelLoadSeconds(),
                    cluster.gpuMemoryGb(), cluster.gpuMemoryGbSeconds(now), pass.passes());
        });
    }

    /** What each node present in the cluster has in use now (draining ones included, removed ones not). */
    public CompletableFuture<List<NodeUsage>> nodeUsage() {
        return loop.query(() -> {
            var cluster = lifecycle.cluster;
            return IntStream.range(0, cluster.size()).filter(cluster::present)
                    .mapToObj(index -> NodeUsage.of(cluster.node(index))).toList();
        });
    }

    /** Starts the loop on its own platform thread. */
    public Engine start() {
        loop.startThread();
        return this;
    }

    /**
     * Runs the loop on the calling thread until no event, timer or running task is left, then returns. On a
     * virtual clock this simulates all submitted work as fast as the CPU allows.
     */
    public void runUntilIdle() {
        loop.runUntilIdle();
    }

    /** Cancels all work (killing processes), stops the loop and closes the journal. */
    @Override
    public void close() {
        stop(true);
    }

    /**
     * Stops the engine without ending its workflows (a service shutting down to restart): nothing more is recorded,
     * running attempts are stopped (processes killed) and closes the journal; an engine restored from the journal then
     * runs those attempts again and goes on with the rest, as after a crash, and nothing stored is lost.
     */
    public void shutdown() {
        stop(false);
    }

    private void stop(boolean cancelWork) {
        if (closed) {
            return;
        }
        Thread thread = loop.thread();
        CompletableFuture<Void> stopped = loop.query(() -> {
            if (cancelWork) {
                for (WorkflowRun run : List.copyOf(lifecycle.workflows.values())) {
                    lifecycle.stopWorkflow(run, WorkflowState.CANCELLED, "engine closed", null);
                }
            }
            closed = true;
            loop.stop();
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
        // Executors first: stopping what they run may take a grace period (a process group gets SIGTERM before
        // SIGKILL), and their threads must not be interrupted before it ends.
        java.util.Set<TaskExecutor> distinct = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        distinct.addAll(settings.executors().values());
        for (TaskExecutor executor : distinct) {
            try {
                executor.close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Engine.class).warn("executor '{}' failed to close", executor.kind(), e);
            }
        }
        blockingExecutor.shutdownNow();
        settings.journal().close();
    }

    // ------------------------------------------------------------------ builder

    /** Engine settings; every one has a default. */
    public static final class Builder {
        private Clock clock = new WallClock();
        private List<NodeSpec> nodes;
        private OrderingPolicy policy = new DapsPolicy();
        private RuntimePredictor predictor = new HeuristicPredictor();
        private Map<String, TaskExecutor> executors;
        private Function<NodeSpec, Worker> workers;
        private Placement placement = new Placement();
        private final List<EngineListener> listeners = new ArrayList<>();
        private StateJournal journal;
        private IdGenerator ids;
        private TaskListCache taskLists;
        private List<StateEvent> restoreFrom;
        private long seed = 42;
        private int backfillDepth = 256;
        private int retainedWorkflows = 10_000;
        private Map<String, ModelSpec> models = Map.of();
        private ModelResidency residency = ModelResidency.KEEP;
        private HeadOfLine headOfLine = HeadOfLine.RESERVE_AND_BACKFILL;
        private WorkflowAdmission admission;
        private final Map<String, List<String>> residentAtStart = new java.util.LinkedHashMap<>();

        private Builder() {}

        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The nodes to schedule on; at least one, each with its own id. */
        public Builder nodes(List<NodeSpec> value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("nodes: at least one node is needed");
            }
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (NodeSpec node : value) {
                if (!ids.add(node.id())) {
                    throw new IllegalArgumentException("nodes: two nodes are called '" + node.id()
                            + "'; a node id names one node (assignments, snapshots and membership use it)");
                }
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

        /** Replaces the executors (kind to executor); the engine closes them when it closes. */
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

        /**
         * The worker that runs attempts on each node (default: none, every attempt runs in this process with the
         * engine's executors, as {@link Worker#inProcess} would). Asked once per node, when the node joins.
         */
        public Builder workers(Function<NodeSpec, Worker> value) {
            this.workers = Objects.requireNonNull(value, "workers");
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

        /**
         * Where state changes go (default: a new {@link InMemoryJournal}); {@link StateJournal#NONE} records nothing.
         * The engine closes it when it closes.
         */
        public Builder journal(StateJournal value) {
            this.journal = Objects.requireNonNull(value, "journal");
            return this;
        }

        /**
         * Where DAG shapes and validation results of task lists are remembered (default: the engine's own, 4,096 lists).
         * Share one among engines that live briefly and see the same lists, as a simulation's runs do.
         */
        public Builder taskLists(TaskListCache value) {
            this.taskLists = Objects.requireNonNull(value, "taskLists");
            return this;
        }

        /** Where workflow and attempt ids come from (default {@link IdGenerator#sequential()}). */
        public Builder ids(IdGenerator value) {
            this.ids = Objects.requireNonNull(value, "ids");
            return this;
        }

        /**
         * Rebuilds the state recorded in {@code events} (what a journal's {@link StateJournal#read()} returned) when the
         * engine is built: finished tasks keep their outputs, running attempts are lost (their tasks run again without
         * using a retry), ready and pending tasks continue, and backoffs, timeouts and deadlines are re-armed from the
         * recorded times. The engine's clock must not be behind the last event (a virtual clock is moved to it); a
         * wall-clock engine restored in another process needs {@link WallClock#sinceEpoch()}.
         */
        public Builder restore(List<StateEvent> events) {
            this.restoreFrom = List.copyOf(events);
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

        /**
         * Models already loaded when the engine starts, on node {@code nodeId}: {@code perGpu.get(i)} is the model GPU
         * {@code i} holds (null: none). A task calling one of them there does not load it. For a cluster that is
         * handed over warm — e.g. a plan made for GPUs that start with given models (maze-offline). Checked at
         * {@link #build}: the node must exist and each model must fit its GPU.
         */
        public Builder residentAtStart(String nodeId, List<String> perGpu) {
            this.residentAtStart.put(Objects.requireNonNull(nodeId, "nodeId"),
                    java.util.Collections.unmodifiableList(new ArrayList<>(perGpu)));
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

        /**
         * Builds the engine (and restores it when {@link #restore} was given).
         *
         * @throws IllegalArgumentException when the events to restore are inconsistent (the message says where)
         */
        public Engine build() {
            // Defaults are resolved only when not given: detecting the machine runs nvidia-smi, and loading executors
            // scans the classpath, which a simulation building thousands of engines must not pay for.
            Map<String, TaskExecutor> kinds = Map.copyOf(executors != null ? executors : TaskExecutors.defaults());
            Settings settings = new Settings(clock, nodes != null ? nodes : List.of(LocalNode.detect("local", 0, 0)),
                    policy, predictor, kinds, workers, placement,
                    List.copyOf(listeners), journal != null ? journal : new InMemoryJournal(),
                    ids != null ? ids : IdGenerator.sequential(),
                    taskLists != null ? taskLists : new TaskListCache(WorkflowShape.CACHED_PER_ENGINE), seed, backfillDepth, retainedWorkflows, models,
                    residency, headOfLine, admission, Map.copyOf(residentAtStart));
            return new Engine(settings, restoreFrom);
        }
    }
}
