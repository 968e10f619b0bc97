package dev.maze.core.placement;

import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.Resources;
import java.util.List;
import java.util.Map;

/**
 * Capacity and use of every node, and GPU busy time. Mutable; owned by the engine loop (never shared).
 */
public final class ClusterState {

    private final NodeState[] nodes;
    private final int gpuCount;
    private double gpuBusySeconds;
    /** Per node, per GPU: when it last went from idle to busy. */
    private final double[][] busySince;

    public ClusterState(List<NodeSpec> specs) {
        nodes = new NodeState[specs.size()];
        busySince = new double[specs.size()][];
        int gpus = 0;
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = new NodeState(specs.get(i), i);
            busySince[i] = new double[specs.get(i).gpus().size()];
            gpus += specs.get(i).gpus().size();
        }
        gpuCount = gpus;
    }

    public int size() {
        return nodes.length;
    }

    public NodeState node(int index) {
        return nodes[index];
    }

    /** GPUs in the whole cluster. */
    public int gpuCount() {
        return gpuCount;
    }

    /** Takes the resources of {@code request} on the assigned node and GPUs at time {@code now} (seconds). */
    public void reserve(Assignment assignment, Resources request, double now) {
        NodeState node = nodes[assignment.node()];
        node.freeCpu -= request.cpu();
        node.freeMemoryGb -= request.memoryGb();
        node.runningTasks++;
        for (int gpu : assignment.gpus()) {
            if (node.gpuUsers[gpu]++ == 0) {
                busySince[node.index][gpu] = now;
            }
            double taken = node.gpuMemoryTaken(gpu, request);
            node.gpuFreeMemoryGb[gpu] -= taken;
            node.gpuMemoryFreeGb -= taken;
            if (request.model() != null) {
                makeResident(node, gpu, request.model(), taken);
            }
        }
    }

    /** Returns what {@link #reserve} took, at time {@code now} (seconds). */
    public void release(Assignment assignment, Resources request, double now) {
        NodeState node = nodes[assignment.node()];
        node.freeCpu += request.cpu();
        node.freeMemoryGb += request.memoryGb();
        node.runningTasks--;
        for (int gpu : assignment.gpus()) {
            double taken = node.gpuMemoryTaken(gpu, request);
            node.gpuFreeMemoryGb[gpu] += taken;
            node.gpuMemoryFreeGb += taken;
            if (--node.gpuUsers[gpu] == 0) {
                gpuBusySeconds += now - busySince[node.index][gpu];
            }
        }
    }

    /** Total GPU-seconds during which a GPU ran at least one task, up to {@code now}. */
    public double gpuBusySeconds(double now) {
        double total = gpuBusySeconds;
        for (NodeState node : nodes) {
            for (int gpu = 0; gpu < node.gpuUsers.length; gpu++) {
                if (node.gpuUsers[gpu] > 0) {
                    total += now - busySince[node.index][gpu];
                }
            }
        }
        return total;
    }

    /**
     * Records that {@code model} now sits on the GPU; least recently used models are evicted while the resident
     * set would exceed the GPU's memory.
     */
    private static void makeResident(NodeState node, int gpu, String model, double memoryGb) {
        Map<String, Double> resident = node.residentModels[gpu];
        resident.put(model, memoryGb);
        double capacity = node.spec.gpus().get(gpu).memoryGb();
        double used = 0;
        for (double memory : resident.values()) {
            used += memory;
        }
        var eldest = resident.entrySet().iterator();
        while (used > capacity + 1e-9 && eldest.hasNext()) {
            Map.Entry<String, Double> candidate = eldest.next();
            if (!candidate.getKey().equals(model)) {
                used -= candidate.getValue();
                eldest.remove();
            }
        }
    }
}
