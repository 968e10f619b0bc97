package dev.maze.core.placement;

import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.Resources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Capacity and use of every node, and GPU busy time. Mutable; owned by the engine loop (never shared).
 */
public final class ClusterState {

    private NodeState[] nodes;
    private int gpuCount;
    private double gpuMemoryGb;
    /** Slots of nodes that left (removed or lost) and of nodes that take no new tasks (draining). */
    private final java.util.BitSet removed = new java.util.BitSet();
    private final java.util.BitSet draining = new java.util.BitSet();
    /** Slot of each present node by id. */
    private final Map<String, Integer> slotById = new HashMap<>();
    private final Map<String, ModelSpec> models;
    private final ModelResidency residency;
    private double gpuBusySeconds;
    /** Per node, per GPU: when it last went from idle to busy. */
    private double[][] busySince;
    /** Per node, per GPU: the latest model loaded there and when its load ends (a call joining it waits for that). */
    private double[][] loadedAt;
    private String[][] lastLoaded;
    private long modelLoads;
    private double modelLoadSeconds;
    private double occupiedGb;
    private double occupiedGbSeconds;
    private double occupiedSince;
    /** Per model: tasks of active workflows that will call it (ready, pending or running). */
    private final Map<String, Integer> demand = new HashMap<>();
    /** Per model: GPUs it is resident on. */
    private final Map<String, Integer> residentCopies = new HashMap<>();

    /** A cluster whose models cost nothing to load and stay resident. */
    public ClusterState(List<NodeSpec> specs) {
        this(specs, Map.of(), ModelResidency.KEEP);
    }

    /**
     * @param models load cost and memory per model name (a model not listed loads in no time)
     * @param residency whether models stay on their GPU between calls
     */
    public ClusterState(List<NodeSpec> specs, Map<String, ModelSpec> models, ModelResidency residency) {
        this.models = new HashMap<>(models); // looked up several times per placement: HashMap probes faster than Map.of
        this.residency = residency;
        nodes = new NodeState[0];
        busySince = new double[0][];
        loadedAt = new double[0][];
        lastLoaded = new String[0][];
        for (NodeSpec spec : specs) {
            addSlot(spec);
        }
    }

    /**
     * Adds a node in a new slot and returns the slot's index. Slots are never reused or renumbered, so an index is a
     * stable handle for the node; its {@link NodeSpec#id()} is its stable name.
     *
     * @throws IllegalArgumentException when a present node already has this id
     */
    public int addNode(NodeSpec spec) {
        if (slotById.containsKey(spec.id())) {
            throw new IllegalArgumentException("node '" + spec.id() + "' is already in the cluster");
        }
        return addSlot(spec);
    }

    /** A new slot (the engine checks ids are unique; a bare cluster state, as in tests, may repeat them). */
    private int addSlot(NodeSpec spec) {
        int index = nodes.length;
        nodes = java.util.Arrays.copyOf(nodes, index + 1);
        busySince = java.util.Arrays.copyOf(busySince, index + 1);
        loadedAt = java.util.Arrays.copyOf(loadedAt, index + 1);
        lastLoaded = java.util.Arrays.copyOf(lastLoaded, index + 1);
        nodes[index] = new NodeState(spec, index, residentCopies, this.models);
        busySince[index] = new double[spec.gpus().size()];
        loadedAt[index] = new double[spec.gpus().size()];
        lastLoaded[index] = new String[spec.gpus().size()];
        gpuCount += spec.gpus().size();
        gpuMemoryGb += nodes[index].gpuMemoryCapacityGb;
        slotById.putIfAbsent(spec.id(), index);
        return index;
    }

    /** The node in slot {@code index} takes no new tasks and no reservations; its running tasks go on. */
    public void drain(int index) {
        draining.set(index);
    }

    /**
     * The node in slot {@code index} leaves: it is never chosen again and no longer counts in the cluster's totals
     * (busy time already accumulated is kept).
     *
     * @throws IllegalStateException while tasks still run on it
     */
    public void remove(int index) {
        NodeState node = nodes[index];
        if (node.runningTasks > 0) {
            throw new IllegalStateException("node '" + node.spec().id() + "' still runs " + node.runningTasks + " task(s)");
        }
        if (removed.get(index)) {
            return;
        }
        removed.set(index);
        slotById.remove(node.spec().id());
        gpuCount -= node.gpuCount();
        gpuMemoryGb -= node.gpuMemoryCapacityGb;
    }

    /** Slot of the present node called {@code nodeId}, or -1. */
    public int indexOf(String nodeId) {
        Integer index = slotById.get(nodeId);
        return index == null ? -1 : index;
    }

    /** Whether the node in slot {@code index} is present and takes new tasks. */
    public boolean accepts(int index) {
        return !removed.get(index) && !draining.get(index);
    }

    /** Whether the node in slot {@code index} is still in the cluster (draining or not). */
    public boolean present(int index) {
        return !removed.get(index);
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

    /** GPU memory of the whole cluster, in GB. */
    public double gpuMemoryGb() {
        return gpuMemoryGb;
    }

    /** Seconds to load {@code model} onto a GPU (0 for no model or an unknown one). */
    public double loadSeconds(String model) {
        ModelSpec spec = model == null ? null : models.get(model);
        return spec == null ? 0 : spec.loadSeconds();
    }

    /**
     * Takes the resources of {@code request} on the assigned node and GPUs at time {@code now} (seconds).
     *
     * @return seconds the task must first spend loading its model, or waiting for a load of it in progress (0 when
     *     it is resident and loaded on every GPU it got)
     */
    public double reserve(Assignment assignment, Resources request, double now) {
        return reserve(assignment, request, now, now);
    }

    /**
     * As {@link #reserve(Assignment, Resources, double)}, noting when the task is predicted to end (after its load,
     * if any) so that model-aware placement can tell when a busy GPU frees up.
     *
     * @param predictedRunSeconds predicted run time without the load
     */
    public double reserve(Assignment assignment, Resources request, double now, double predictedRunSeconds) {
        NodeState node = nodes[assignment.node()];
        node.freeCpu -= request.cpu();
        node.freeMemoryGb -= request.memoryGb();
        node.runningTasks++;
        boolean load = false;
        for (int gpu : assignment.gpus()) {
            boolean first = node.gpuUsers[gpu]++ == 0;
            if (first) {
                busySince[node.index][gpu] = now;
            }
            // Calls sharing one model copy on a whole GPU (a replica) hold its memory once.
            double full = node.gpuMemoryTaken(gpu, request);
            double taken = request.wholeGpus() && !first ? 0 : full;
            node.gpuFreeMemoryGb[gpu] -= taken;
            node.gpuMemoryFreeGb -= taken;
            GpuModels gpuModels = node.gpuModels[gpu];
            double before = gpuModels.occupiedGb();
            load |= gpuModels.acquire(request.model(), residentFootprint(request.model(), full));
            memoryChanged(gpuModels.occupiedGb() - before, now);
        }
        double seconds = load ? loadSeconds(request.model()) : 0;
        for (int gpu : assignment.gpus()) {
            if (load) {
                loadedAt[node.index][gpu] = now + seconds;
                lastLoaded[node.index][gpu] = request.model();
            } else if (request.wholeGpus() && node.gpuUsers[gpu] > 1 && request.model().equals(lastLoaded[node.index][gpu])) {
                seconds = Math.max(seconds, loadedAt[node.index][gpu] - now); // joins a replica still loading
            }
        }
        for (int gpu : assignment.gpus()) {
            node.gpuBusyUntil[gpu] = Math.max(node.gpuBusyUntil[gpu], now + seconds + predictedRunSeconds);
        }
        if (load) {
            modelLoads++;
            modelLoadSeconds += seconds * assignment.gpus().length;
        }
        return seconds;
    }

    /**
     * How much longer a call just reserved runs because other calls share its model's copy (1 = alone): one plus
     * the model's slowdown per extra call times the other calls on its GPU.
     */
    public double sharingSlowdown(Assignment assignment, Resources request) {
        ModelSpec spec = request.model() == null ? null : models.get(request.model());
        if (spec == null || assignment.gpus().length == 0 || !request.wholeGpus()) {
            return 1;
        }
        int calls = nodes[assignment.node()].callsOn(assignment.gpus()[0]);
        return 1 + spec.slowdownPerExtraCall() * (calls - 1);
    }

    /** Returns what {@link #reserve} took, at time {@code now} (seconds). */
    public void release(Assignment assignment, Resources request, double now) {
        NodeState node = nodes[assignment.node()];
        node.freeCpu += request.cpu();
        node.freeMemoryGb += request.memoryGb();
        node.runningTasks--;
        for (int gpu : assignment.gpus()) {
            double full = node.gpuMemoryTaken(gpu, request);
            double taken = request.wholeGpus() && node.gpuUsers[gpu] > 1 ? 0 : full;
            node.gpuFreeMemoryGb[gpu] += taken;
            node.gpuMemoryFreeGb += taken;
            GpuModels gpuModels = node.gpuModels[gpu];
            double before = gpuModels.occupiedGb();
            gpuModels.release(request.model(), residentFootprint(request.model(), full),
                    residency == ModelResidency.UNLOAD_AFTER_CALL);
            memoryChanged(gpuModels.occupiedGb() - before, now);
            if (--node.gpuUsers[gpu] == 0) {
                gpuBusySeconds += now - busySince[node.index][gpu];
            }
        }
    }

    /** Memory a resident model holds: its weights when the catalog knows them, else what its call took. */
    public double residentFootprint(String model, double taken) {
        ModelSpec spec = model == null ? null : models.get(model);
        return spec == null ? taken : Math.min(taken, spec.memoryGb());
    }

    /** Adds {@code delta} to the number of active tasks that will call {@code model}. */
    public void demandChanged(String model, int delta) {
        if (model != null) {
            demand.merge(model, delta, (a, b) -> a + b == 0 ? null : a + b);
        }
    }

    /** Active tasks (ready, pending or running) that will call {@code model}. */
    public int demand(String model) {
        return model == null ? 0 : demand.getOrDefault(model, 0);
    }

    /** GPUs on which {@code model} is resident now. */
    public int residentCopies(String model) {
        return model == null ? 0 : residentCopies.getOrDefault(model, 0);
    }

    private void memoryChanged(double deltaGb, double now) {
        occupiedGbSeconds += occupiedGb * (now - occupiedSince);
        occupiedSince = now;
        occupiedGb += deltaGb;
    }

    /** Total GPU-seconds during which a GPU ran at least one task, up to {@code now}. */
    public double gpuBusySeconds(double now) {
        double total = gpuBusySeconds;
        for (NodeState node : nodes) {
            for (int gpu = 0; gpu < node.gpuUsers.length; gpu++) { // a removed node runs nothing
                if (node.gpuUsers[gpu] > 0) {
                    total += now - busySince[node.index][gpu];
                }
            }
        }
        return total;
    }

    /** Model loads so far. */
    public long modelLoads() {
        return modelLoads;
    }

    /** GPU-seconds spent loading models so far. */
    public double modelLoadSeconds() {
        return modelLoadSeconds;
    }

    /** Integral of occupied GPU memory (resident models and running tasks) over time, in GB-seconds, up to {@code now}. */
    public double gpuMemoryGbSeconds(double now) {
        return occupiedGbSeconds + occupiedGb * (now - occupiedSince);
    }
}
