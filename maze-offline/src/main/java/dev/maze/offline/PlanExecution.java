package dev.maze.offline;

import dev.maze.core.clock.VirtualClock;
import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EngineListener;
import dev.maze.core.engine.StateEvent;
import dev.maze.core.engine.StateJournal;
import dev.maze.core.engine.TaskSnapshot;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.exec.SimExecutor;
import dev.maze.core.placement.Assignment;
import dev.maze.core.placement.Claim;
import dev.maze.core.placement.ClusterState;
import dev.maze.core.placement.NodeView;
import dev.maze.core.placement.Placement;
import dev.maze.core.policy.OrderingPolicy;
import dev.maze.core.policy.QueueKey;
import dev.maze.core.policy.ReadyTask;
import dev.maze.core.sim.Arrival;
import dev.maze.core.sim.Workload;
import dev.maze.core.workflow.ValidationException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a plan on the engine, on the virtual clock: the backlog as {@link OnlineComparison} builds it, with the plan's
 * order as the engine's ordering policy (ready tasks by planned start) and its GPU choice as a placement
 * ({@link Planned}: a task starts on exactly its planned GPUs, in the order the plan gives each GPU, once they are
 * free). The engine does not wait for planned start times: a task starts as soon as its predecessors have ended and
 * its GPUs are free, so when run times or switches differ from the plan's estimates it keeps going, and the report
 * sets the planned makespan beside the actual one.
 *
 * <p>The plan's switches happen where the plan puts them. A plan loads a task's model while the task's predecessors
 * still run elsewhere (a task starts after its predecessors end <i>and</i> its GPUs have switched), and each GPU of a
 * multi-GPU task switches on its own; the engine loads a model when a call of it starts. So each switch of the plan
 * becomes a warm-up call: a call of the task's model on the switch's one GPU with no time of its own and no
 * dependencies, sequenced on that GPU just before the task (its key is the switch's planned start). The engine loads
 * the model for it as soon as the GPU's previous task ends, and the task finds the model resident. GPUs start with
 * the plan's initial models ({@link Engine.Builder#residentAtStart}).
 *
 * @see OnlineComparison for the switch model the engine applies (loads, no charge for evicting)
 */
public final class PlanExecution {

    /** The engine node standing for the plan's GPUs (as {@link OnlineComparison} names it). */
    private static final String NODE = "gpus";

    /**
     * What a run of a plan did.
     *
     * @param plannedMakespan the plan's makespan, from the estimates
     * @param actualMakespan when the engine ended the last task
     * @param gpus the GPUs each task ran on (its latest attempt), by task index
     * @param modelLoads models the engine loaded (each warm-up call that found its model resident loads nothing)
     */
    public record Result(double plannedMakespan, double actualMakespan, int tasks, int[][] gpus, long modelLoads) {}

    private PlanExecution() {}

    /** Runs {@code plan}; every task's time is its estimate, {@code scale} times (1: as planned). */
    public static Result run(Plan plan, double scale) {
        Problem problem = plan.problem();
        int n = problem.size();
        List<Plan.Switch> switches = plan.switches();
        Workload workload = OnlineComparison.workload(problem, scale, switches);
        // calls by (request, workflow task id): a task's index; the warm-up call of switch j, n + j
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            PlanTask task = problem.task(i);
            index.put(key(task.request(), OnlineComparison.taskId(task.id())), i);
        }
        for (int j = 0; j < switches.size(); j++) {
            PlanTask task = problem.task(problem.indexOf(switches.get(j).beforeTask()));
            index.put(key(task.request(), OnlineComparison.prefetchId(task.id(), switches.get(j).gpu())), n + j);
        }
        int[][] ran = new int[n][];
        Map<String, String> requestOf = new HashMap<>();
        EngineListener started = new EngineListener() {
            @Override
            public void onStateEvents(List<StateEvent> batch) {
                for (StateEvent event : batch) {
                    if (event instanceof StateEvent.TaskStarted start) {
                        Integer task = index.get(key(requestOf.get(start.workflowId()), start.taskId()));
                        if (task != null && task < n) {
                            ran[task] = start.gpus().stream().mapToInt(Integer::intValue).toArray();
                        }
                    }
                }
            }
        };
        List<String> initial = new ArrayList<>();
        for (int g = 0; g < problem.gpus(); g++) {
            initial.add(problem.initialModel(g) < 0 ? null : problem.modelName(problem.initialModel(g)));
        }
        try (Engine engine = Engine.builder().clock(new VirtualClock()).nodes(workload.nodes())
                .models(workload.models()).residentAtStart(NODE, initial).executors(Map.of("sim", new SimExecutor()))
                .policy(new PlannedOrder(plan, index, switches)).placement(new Planned(plan, index, switches))
                .listener(started).journal(StateJournal.NONE).build()) {
            List<WorkflowHandle> handles = new ArrayList<>();
            for (Arrival arrival : workload.arrivals(0)) {
                requestOf.put(arrival.spec().id(), arrival.spec().name());
                handles.add(engine.submitAt(0, arrival.spec()));
            }
            engine.runUntilIdle();
            double end = 0;
            for (WorkflowHandle handle : handles) {
                WorkflowSnapshot snapshot = handle.result().getNow(null);
                if (snapshot == null) {
                    throw new IllegalStateException("workflow " + handle.id() + " did not end: the plan's run stalled");
                }
                for (TaskSnapshot task : snapshot.tasks()) {
                    end = Math.max(end, task.finishedAt() == null ? 0 : task.finishedAt());
                }
            }
            return new Result(plan.makespan(), end, n, ran, engine.stats().join().modelLoads());
        } catch (ValidationException e) {
            throw new IllegalStateException("the plan's backlog is not a valid workload: " + e.getMessage(), e);
        }
    }

    private static String key(String request, String task) {
        return request + "\u0000" + task;
    }

    private static int indexOf(Map<String, Integer> index, ReadyTask task) {
        Integer i = task == null ? null : index.get(key(task.workflowName(), task.spec().id()));
        if (i == null) {
            throw new IllegalStateException("a task the plan does not hold: " + (task == null ? "none"
                    : task.workflowName() + "/" + task.spec().id()));
        }
        return i;
    }

    /**
     * The plan's order: a ready task's key is its planned start, then its planned first GPU; a warm-up call's, its
     * switch's planned start and GPU.
     */
    static final class PlannedOrder implements OrderingPolicy {
        private final Plan plan;
        private final Map<String, Integer> index;
        private final List<Plan.Switch> switches;

        PlannedOrder(Plan plan, Map<String, Integer> index, List<Plan.Switch> switches) {
            this.plan = plan;
            this.index = index;
            this.switches = switches;
        }

        @Override
        public String name() {
            return "planned";
        }

        @Override
        public QueueKey key(ReadyTask task) {
            int i = indexOf(index, task);
            int n = plan.problem().size();
            return i < n ? new QueueKey(plan.start(i), plan.firstGpu(i))
                    : new QueueKey(switches.get(i - n).at(), switches.get(i - n).gpu());
        }
    }

    /**
     * The plan's GPU choice and each GPU's sequence: a task goes to its planned GPUs of the one node once they are free
     * and it is the next task the plan gives each of them; else it waits. (Without the sequence, a task planned later
     * on a GPU whose predecessors ended early would take the GPU first and push the plan's next task back, with the
     * switches the plan avoided.) A switch's warm-up call comes just before its task in its GPU's sequence.
     */
    static final class Planned extends Placement {
        private final Plan plan;
        private final Map<String, Integer> index;
        private final List<Plan.Switch> switches;
        private final List<List<Integer>> timelines = new ArrayList<>();
        private final int[] next;

        Planned(Plan plan, Map<String, Integer> index, List<Plan.Switch> switches) {
            this.plan = plan;
            this.index = index;
            this.switches = switches;
            Problem problem = plan.problem();
            int n = problem.size();
            Map<Long, Integer> warmUp = new HashMap<>(); // (gpu, task) -> the switch's call
            for (int j = 0; j < switches.size(); j++) {
                warmUp.put(gpuTask(switches.get(j).gpu(), problem.indexOf(switches.get(j).beforeTask())), n + j);
            }
            for (int g = 0; g < problem.gpus(); g++) {
                List<Integer> sequence = new ArrayList<>();
                for (int task : plan.timeline(g)) {
                    Integer call = warmUp.get(gpuTask(g, task));
                    if (call != null) {
                        sequence.add(call);
                    }
                    sequence.add(task);
                }
                timelines.add(sequence);
            }
            next = new int[problem.gpus()];
        }

        private static long gpuTask(int gpu, int task) {
            return (long) gpu << 32 | task;
        }

        @Override
        public Assignment place(ClusterState cluster, Request request, Claim claim) {
            int task = indexOf(index, request.task());
            int n = plan.problem().size();
            int[] gpus = task < n ? plan.gpus(task) : new int[] {switches.get(task - n).gpu()};
            NodeView node = cluster.node(0);
            for (int g : gpus) {
                if (node.gpuBusy(g) || timelines.get(g).get(next[g]) != task) {
                    return DEFER; // its GPU runs a task, or an earlier one of the plan is still to start there
                }
            }
            for (int g : gpus) {
                next[g]++; // the engine starts what place returns
            }
            return new Assignment(0, gpus);
        }

        @Override
        public double deferredUntil(ClusterState cluster, Request request) {
            return Double.POSITIVE_INFINITY; // no timer: a task that ends, or starts, brings the next pass
        }
    }
}
