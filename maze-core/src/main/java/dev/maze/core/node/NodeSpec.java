package dev.maze.core.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a node offers: its capacity, not its current use (the engine tracks that).
 *
 * @param id unique node name
 * @param cpu cores
 * @param memoryGb host memory in GB
 * @param gpus the node's GPUs
 * @param allowedModels models this node may run; empty = any
 */
public record NodeSpec(String id, double cpu, double memoryGb, List<GpuSpec> gpus, Set<String> allowedModels) {

    // The largest capacities a user may give a node (command-line flags, workload clusters) or a task may ask for: far
    // beyond any machine, small enough that nothing downstream allocates or overflows on them.

    /** The most GPUs one node may have, and one task may ask for. */
    public static final int MAX_GPUS = 1024;
    /** The most cores one node may have. */
    public static final double MAX_CPUS = 100_000;
    /** The most host memory one node may have, in GB. */
    public static final double MAX_MEMORY_GB = 10_000_000;
    /** The most memory one GPU may have, in GB. */
    public static final double MAX_GPU_MEMORY_GB = 100_000;

    public NodeSpec {
        gpus = List.copyOf(gpus);
        allowedModels = Set.copyOf(allowedModels);
    }

    /** A node with {@code gpuCount} identical GPUs and no model restriction. */
    public static NodeSpec of(String id, double cpu, double memoryGb, int gpuCount, double gpuMemoryGb) {
        List<GpuSpec> gpus = new ArrayList<>();
        for (int i = 0; i < gpuCount; i++) {
            gpus.add(new GpuSpec(i, "virtual", gpuMemoryGb));
        }
        return new NodeSpec(id, cpu, memoryGb, gpus, Set.of());
    }

    /**
     * Why this node can never run a task needing {@code request}, even when idle; null if it can.
     * The reason names the resource, the request and the capacity.
     */
    public String whyNeverFits(Resources request) {
        List<String> reasons = new ArrayList<>();
        if (request.cpu() > cpu) {
            reasons.add("cpu " + request.cpu() + " > " + cpu + " cores");
        }
        if (request.memoryGb() > memoryGb) {
            reasons.add("memoryGb " + request.memoryGb() + " > " + memoryGb);
        }
        if (request.gpus() > 0) {
            long usable = gpus.stream().filter(g -> g.memoryGb() >= request.gpuMemoryGb()).count();
            if (usable < request.gpus()) {
                reasons.add(request.gpuMemoryGb() > 0
                        ? "gpus " + request.gpus() + " with gpuMemoryGb " + request.gpuMemoryGb() + " > " + usable
                                + " GPUs that large"
                        : "gpus " + request.gpus() + " > " + gpus.size());
            }
        }
        if (request.model() != null && !allowedModels.isEmpty() && !allowedModels.contains(request.model())) {
            reasons.add("model '" + request.model() + "' not among " + allowedModels);
        }
        return reasons.isEmpty() ? null : String.join(", ", reasons);
    }
}
