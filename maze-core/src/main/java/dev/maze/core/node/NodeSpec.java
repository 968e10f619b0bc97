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
 * @param endpoint the model server this node stands for, or null for a machine; a node with an endpoint takes only
 *     calls of the endpoint's models
 */
public record NodeSpec(String id, double cpu, double memoryGb, List<GpuSpec> gpus, Set<String> allowedModels,
        ModelEndpoint endpoint) {

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

    /** A machine: a node that is no model endpoint. */
    public NodeSpec(String id, double cpu, double memoryGb, List<GpuSpec> gpus, Set<String> allowedModels) {
        this(id, cpu, memoryGb, gpus, allowedModels, null);
    }

    /**
     * The node standing for a model endpoint: one GPU slot whose memory is what its resident models may take, and its
     * models as the only ones allowed. Its cores and host memory are unbounded ({@link #MAX_CPUS}, {@link
     * #MAX_MEMORY_GB}): what a call states of them is the caller's, not the server's, so only the slot limits it; CPU
     * work never lands there because an endpoint takes only calls of its models.
     *
     * @param slotMemoryGb memory of the slot: the endpoint's {@code memoryGb} (on demand), or what its models take
     */
    public static NodeSpec forEndpoint(ModelEndpoint endpoint, double slotMemoryGb) {
        return new NodeSpec(endpoint.nodeId(), MAX_CPUS, MAX_MEMORY_GB, List.of(new GpuSpec(0, "endpoint", slotMemoryGb)),
                endpoint.models().keySet(), endpoint);
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
        } else if (endpoint != null && request.model() == null) {
            reasons.add("it is the model endpoint '" + endpoint.id() + "', which takes only calls of its models");
        }
        return reasons.isEmpty() ? null : String.join(", ", reasons);
    }
}
