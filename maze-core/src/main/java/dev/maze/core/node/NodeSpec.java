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
