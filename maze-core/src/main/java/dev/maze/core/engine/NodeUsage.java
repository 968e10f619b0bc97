package dev.maze.core.engine;

import dev.maze.core.placement.NodeView;
import java.util.List;
import java.util.stream.IntStream;

/**
 * What one node has in use at one instant, safe to hand to any thread (a copy of its {@link NodeView}).
 *
 * @param freeCpu cores not in use
 * @param freeMemoryGb host memory not in use
 * @param runningTasks attempts running on the node (for a model endpoint: calls in flight)
 * @param utilisation mean share of capacity in use over the dimensions the node has, 0..1
 * @param draining whether it takes no new work
 * @param gpus each GPU's use
 */
public record NodeUsage(String id, double freeCpu, double freeMemoryGb, int runningTasks, double utilisation,
        boolean draining, List<Gpu> gpus) {

    /**
     * One GPU's use.
     *
     * @param index its position on the node
     * @param tasks attempts (or model calls) running on it
     * @param freeMemoryGb memory not taken by running tasks
     * @param residentModels models loaded on it, least recently used first
     */
    public record Gpu(int index, int tasks, double freeMemoryGb, List<String> residentModels) {}

    static NodeUsage of(NodeView node) {
        return new NodeUsage(node.id(), node.freeCpu(), node.freeMemoryGb(), node.runningTasks(), node.utilisation(),
                node.draining(), IntStream.range(0, node.gpuCount()).mapToObj(gpu -> new Gpu(gpu, node.gpuUsers(gpu),
                        node.gpuFreeMemoryGb(gpu), node.residentModels(gpu))).toList());
    }
}
