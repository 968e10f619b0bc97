package dev.maze.core.placement;

import dev.maze.core.node.NodeSpec;
import java.util.List;

/**
 * What placement plug-ins, snapshots and reports may read of one node: its capacity and its use now. Read-only; the
 * engine loop changes the node behind it through {@link ClusterState}, so a view is only meaningful on that loop.
 * GPU arguments are positions on the node ({@code 0 .. gpuCount() - 1}).
 */
public interface NodeView {

    /** Slot of the node in its {@link ClusterState}: stable for the node's life, never reused. */
    int index();

    /** The node's stable id ({@link NodeSpec#id()}). */
    default String id() {
        return spec().id();
    }

    /** What the node offers. */
    NodeSpec spec();

    /** Cores not in use. */
    double freeCpu();

    /** Host memory not in use, in GB. */
    double freeMemoryGb();

    /** GPUs of this node. */
    int gpuCount();

    /** GPU memory of GPU {@code gpu} not taken by running tasks, in GB (resident idle models do not count). */
    double gpuFreeMemoryGb(int gpu);

    /** Tasks running on GPU {@code gpu} now. */
    int gpuUsers(int gpu);

    /** Whether GPU {@code gpu} runs a task now. */
    default boolean gpuBusy(int gpu) {
        return gpuUsers(gpu) > 0;
    }

    /** Predicted end of the tasks running on GPU {@code gpu} (engine-clock seconds; in the past when idle). */
    double gpuBusyUntil(int gpu);

    /** Whether {@code model} is resident on GPU {@code gpu} (false for a null model). */
    boolean isResident(int gpu, String model);

    /** The models resident on GPU {@code gpu}, least recently used first (a copy). */
    List<String> residentModels(int gpu);

    /**
     * The idle models that would be evicted from GPU {@code gpu} to make room for {@code memoryGb} more of a model that
     * is not resident there (least recently used first). Changes nothing.
     */
    List<String> evictedBy(int gpu, double memoryGb);

    /** Tasks running on the node now. */
    int runningTasks();

    /** Mean share of capacity in use over cores, memory and GPU memory (the dimensions the node has), 0..1. */
    double utilisation();

    /** Whether the node is draining (or removed): it takes no new placements and no reservations. */
    boolean draining();

    /** Whether the node has left the cluster; its slot stays, but it is never eligible again. */
    boolean removed();
}
