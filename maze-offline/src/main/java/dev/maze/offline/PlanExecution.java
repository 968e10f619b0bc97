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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a plan on the engine, on the virtual clock: the backlog as {@link OnlineComparison} builds it, with the plan's
 * order as the engine's ordering policy (ready tasks by planned start) and its GPU choice as a placement
 * ({@link Planned}: a task starts on exactly its planned GPUs, in the order the plan gives each GPU, once they are
 * free). The engine does not wait for planned start times: a task starts as soon as its predecessors have ended and its GPUs are free,
 * so when run times or switches differ from the plan's estimates it keeps going, and the report sets the planned
 * makespan beside the actual one.
 *
 * @see OnlineComparison for the switch model the engine applies (loads, no charge for evicting)
 */
public final class PlanExecution {

    /**
     * What a run of a plan did.
     *
     * @param plannedMakespan the plan's makespan, from the estimates
     * @param actualMakespan when the engine ended the last task
     * @param gpus the GPUs each task ran on (its latest attempt), by task index
     */
    public record Result(double plannedMakespan, double actualMakespan, int tasks, int[][] gpus, long modelLoads) {}

    private PlanExecution() {}

    /** Runs {@code plan}; every task's time is its estimate, {@code scale} times (1: as planned). */
    public static Result run(Plan plan, double scale) {
        Problem problem = plan.problem();
        Workload workload = OnlineComparison.workload(problem, scale);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < problem.size(); i++) {
            index.put(key(problem.task(i).request(), OnlineComparison.taskId(problem.task(i).id())), i);
        }
        int[][] ran = new int[problem.size()][];
        Map<String, String> requestOf = new HashMap<>();
        EngineListener started = new EngineListener() {
            @Override
            public void onStateEvents(List<StateEvent> batch) {
                for (StateEvent event : batch) {
                    if (event instanceof StateEvent.TaskStarted start) {
                        Integer task = index.get(key(requestOf.get(start.workflowId()), start.taskId()));
                        if (task != null) {
                            ran[task] = start.gpus().stream().mapToInt(Integer::intValue).toArray();
                        }
                    }
                }
            }
        };
        try (Engine engine = Engine.builder().clock(new VirtualClock()).nodes(workload.nodes())
                .models(workload.models()).executors(Map.of("sim", new SimExecutor()))
                .policy(new PlannedOrder(plan, index)).placement(new Planned(plan, index)).listener(started)
                .journal(StateJournal.NONE).build()) {
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
            return new Result(plan.makespan(), end, problem.size(), ran, engine.stats().join().modelLoads());
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

    /** The plan's order: a ready task's key is its planned start, then its planned first GPU. */
    static final class PlannedOrder implements OrderingPolicy {
        private final Plan plan;
        private final Map<String, Integer> index;

        PlannedOrder(Plan plan, Map<String, Integer> index) {
            this.plan = plan;
            this.index = index;
        }

        @Override
        public String name() {
            return "planned";
        }

        @Override
        public QueueKey key(ReadyTask task) {
            int i = indexOf(index, task);
            return new QueueKey(plan.start(i), plan.firstGpu(i));
        }
    }

    /**
     * The plan's GPU choice and each GPU's sequence: a task goes to its planned GPUs of the one node once they are free
     * and it is the next task the plan gives each of them; else it waits. (Without the sequence, a task planned later
     * on a GPU whose predecessors ended early would take the GPU first and push the plan's next task back, with the
     * switches the plan avoided.)
     */
    static final class Planned extends Placement {
        private final Plan plan;
        private final Map<String, Integer> index;
        private final List<List<Integer>> timelines = new ArrayList<>();
        private final int[] next;

        Planned(Plan plan, Map<String, Integer> index) {
            this.plan = plan;
            this.index = index;
            for (int g = 0; g < plan.problem().gpus(); g++) {
                timelines.add(plan.timeline(g));
            }
            next = new int[plan.problem().gpus()];
        }

        @Override
        public Assignment place(ClusterState cluster, Request request, Claim claim) {
            int task = indexOf(index, request.task());
            int[] gpus = plan.gpus(task);
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
