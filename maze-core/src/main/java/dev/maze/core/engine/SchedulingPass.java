package dev.maze.core.engine;

import dev.maze.core.placement.Assignment;
import dev.maze.core.placement.Claim;
import dev.maze.core.placement.ClusterState;
import dev.maze.core.placement.Placement;
import dev.maze.core.node.Resources;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * The scheduler/submitter stage: walks the ready queue in policy order and starts every task that placement can put
 * somewhere now.
 *
 * <p>Head-of-line rule: the first ready task (in queue order) that fits nowhere reserves the node where it is
 * closest to fitting (a {@link Claim}); tasks behind it may still start anywhere ("backfill") but never on the
 * reserved node's share that the head needs, so the head is not starved and small tasks are not blocked. At most
 * {@code backfillDepth} tasks behind a blocked head are examined per pass. With {@link HeadOfLine#BLOCK_RESOURCE_CLASS}
 * (Maze as coded) a head that fits nowhere instead blocks its resource class for the rest of the pass.
 */
final class SchedulingPass {

    private final TaskLifecycle lifecycle;
    private final EventLoop loop;
    private final Placement placement;
    private final HeadOfLine headOfLine;
    private final int backfillDepth;
    private final boolean serialWorkflows;
    private final boolean pinWorkflows;
    private long passes;
    private double wakeUpAt = Double.POSITIVE_INFINITY;
    private TaskRun reservedTask;
    private int reservedNode = -1;

    SchedulingPass(TaskLifecycle lifecycle, EventLoop loop, Engine.Settings settings) {
        this.lifecycle = lifecycle;
        this.loop = loop;
        this.placement = settings.placement();
        this.headOfLine = settings.headOfLine();
        this.backfillDepth = settings.backfillDepth();
        this.serialWorkflows = settings.serialWorkflows();
        this.pinWorkflows = settings.pinWorkflows();
    }

    long passes() {
        return passes;
    }

    void run() {
        lifecycle.passDue = false;
        passes++;
        if (reservedTask != null && reservedTask.state != TaskState.READY) {
            reservedTask = null;
        }
        ClusterState cluster = lifecycle.cluster;
        TaskRun head = null;
        Claim claim = null;
        int examinedBehindHead = 0;
        List<Placement.Request> refused = new ArrayList<>();
        boolean blockPerClass = headOfLine == HeadOfLine.BLOCK_RESOURCE_CLASS;
        lifecycle.dispatching = true;
        for (ReadyQueue.Walk it = lifecycle.ready.walk(); it.hasNext(); ) {
            TaskRun task = it.next();
            if (task.state != TaskState.READY) {
                continue; // its workflow was stopped earlier in this pass
            }
            WorkflowRun run = task.workflow;
            if (serialWorkflows && run.runningTasks > 0) {
                continue;
            }
            if (head != null && ++examinedBehindHead > backfillDepth) {
                break;
            }
            Placement.Request request = request(task);
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
                lifecycle.start(task, assignment);
                continue;
            }
            if (blockPerClass) {
                it.dropClass(ReadyQueue.classOf(task)); // the rest of its class waits for the next pass
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
        lifecycle.afterPass();
    }

    /**
     * Why a READY task has not started, in words: what placement finds on every node (which refuse it and why, how
     * many could take it now), the reservation it holds, and the rule that keeps it back when nodes could take it.
     */
    String whyPending(TaskRun task) {
        if (task.state != TaskState.READY) {
            return null;
        }
        boolean head = reservedTask == task;
        Claim claim = !head && reservedTask != null && reservedNode >= 0
                ? new Claim(reservedNode, reservedTask.spec.resources()) : null;
        String reason = placement.whyPending(lifecycle.cluster, request(task), claim, head ? reservedNode : -1).toString();
        if (serialWorkflows && task.workflow.runningTasks > 0) {
            reason += "; its workflow runs one task at a time and another one runs";
        }
        return reason;
    }

    /** Forgets a reservation held on {@code node} (it left the cluster): the head chooses again in the next pass. */
    void nodeGone(int node) {
        if (reservedNode == node) {
            reservedTask = null;
            reservedNode = -1;
        }
    }

    /** Makes sure a pass runs at {@code seconds} even if no other event comes (a deferred task). */
    private void wakeAt(double seconds) {
        if (seconds < wakeUpAt) {
            wakeUpAt = seconds;
            loop.schedule(Math.max(0, seconds - loop.clock().seconds()), () -> {
                wakeUpAt = Double.POSITIVE_INFINITY;
                lifecycle.passDue = true;
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

    Placement.Request request(TaskRun task) {
        WorkflowRun run = task.workflow;
        BitSet allowed = pinWorkflows ? run.allowedNodes : null;
        double now = loop.clock().seconds();
        return new Placement.Request(task.spec.resources(), run.preferredNode, allowed, now, now - task.readyAt, task);
    }
}
