package dev.maze.core.sim;

import dev.maze.core.clock.Clock;
import dev.maze.core.node.NodeSpec;

/**
 * The largest sizes a workload may ask for. Each is checked when the workload is read (after {@code --set}), before
 * anything is built from it, and refused with the field named: a typed {@code arrivalScale=1e9} must be an error, not
 * an {@code OutOfMemoryError} minutes later. The bounds are far above the shipped workloads (8 nodes, about 50
 * workflows a run) and what the simulator has been measured at (4,096 nodes; 100,000 workflows), and low enough that
 * a run fits in a default JVM heap.
 *
 * <ul>
 *   <li>nodes: at most {@value #MAX_NODES} in a cluster, and at most {@value #MAX_CLUSTER_GPUS} GPUs in all;
 *   <li>one node: the same bounds as the command line's node flags ({@link NodeSpec#MAX_GPUS} GPUs,
 *       {@link NodeSpec#MAX_CPUS} cores, {@link NodeSpec#MAX_MEMORY_GB} GB, {@link NodeSpec#MAX_GPU_MEMORY_GB} GB a GPU);
 *   <li>workflows: at most {@value #MAX_WORKFLOWS} expected in one run, after {@code arrivals.scale} (a batch's count,
 *       a trace's entries, or the sum of each Poisson phase's rate × duration);
 *   <li>a model replica: at most {@value #MAX_MODEL_CONCURRENCY} calls at once;
 *   <li>times: every submission time, phase length (and the phases' total) and model load at most
 *       {@link Clock#MAX_DURATION_SECONDS}, like every other duration.
 * </ul>
 */
public final class WorkloadLimits {

    /** The most nodes a workload's cluster may have. */
    public static final int MAX_NODES = 100_000;
    /** The most GPUs a workload's cluster may have in all. */
    public static final int MAX_CLUSTER_GPUS = 1_000_000;
    /** The most workflows one simulated run may be expected to submit. */
    public static final int MAX_WORKFLOWS = 1_000_000;
    /** The most calls one replica of a model may serve at once ({@code models.NAME.concurrency}). */
    public static final int MAX_MODEL_CONCURRENCY = 10_000;

    private WorkloadLimits() {}

    /** {@code 1,000,000}: a bound as a message shows it. */
    static String show(double bound) {
        return String.format(java.util.Locale.ROOT, "%,d", (long) bound);
    }
}
