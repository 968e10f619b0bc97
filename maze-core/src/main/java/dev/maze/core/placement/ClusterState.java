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

    private final NodeState[] nodes;
    private final int gpuCount;
    private final double gpuMemoryGb;
    private final Map<String, ModelSpec> models;
    private final ModelResidency residency;
    private double gpuBusySeconds;
    /** Per node, per GPU: when it last went from idle to busy. */
    private final double[][] busySince;
    /** Per node, per GPU: the latest model loaded there and when its load ends (a call joining it waits for that). */
    private final double[][] loadedAt;
    private final String[][] lastLoaded;
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
        nodes = new NodeState[specs.size()];
        busySince = new double[specs.size()][];
        loadedAt = new double[specs.size()][];
        lastLoaded = new String[specs.size()][];
        int gpus = 0;
        double memory = 0;
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = new NodeState(specs.get(i), i, residentCopies, this.models);
            busySince[i] = new double[specs.get(i).gpus().size()];
            loadedAt[i] = new double[specs.get(i).gpus().size()];
            lastLoaded[i] = new String[specs.get(i).gpus().size()];
            gpus += specs.get(i).gpus().size();
            memory += nodes[i].gpuMemoryCapacityGb;
        }
        gpuCount = gpus;
        gpuMemoryGb = memory;
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
            for (int gpu = 0; gpu < node.gpuUsers.length; gpu++) {
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
