package dev.maze.core.placement;

import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Capacity and use of every node, and GPU busy time. Mutable; owned by the engine loop (never shared).
 *
 * <p>Membership: nodes live in slots numbered from 0 in the order they joined ({@link #addNode}); a slot is never
 * reused or renumbered, so a slot index is a stable handle for the node, and {@link NodeSpec#id()} its stable name. A
 * node may {@link #drain} (no new placements or reservations; what runs there finishes and releases normally) and be
 * {@link #remove removed} once nothing runs on it; its slot then stays, never eligible again. {@link #size()} counts
 * slots; {@link #gpuCount()} and {@link #gpuMemoryGb()} count present nodes only.
 *
 * <p>Every change of a node goes through {@link #reserve}, {@link #release} or the membership methods, which also keep
 * the placement indexes ({@link NodeIndex}) up to date (re-keying a changed node before the next placement), so that
 * placement does not scan every node. A cluster of fewer than {@value #INDEX_FROM_SLOTS} slots keeps no indexes:
 * there a scan of every node costs less than keeping them (measured with {@code maze bench overhead}).
 */
public final class ClusterState {

    /** Slots from which the cluster keeps placement indexes; below, placement scans every node. */
    static final int INDEX_FROM_SLOTS = 48;

    private final List<NodeState> nodes = new ArrayList<>();
    /** Present (not removed) nodes by id. */
    private final Map<String, Integer> slotsById = new HashMap<>();
    private final NodeIndex index = new NodeIndex(nodes);
    private final int indexFromSlots;
    private boolean indexed;
    private int gpuCount;
    private double gpuMemoryGb;
    private final Map<String, ModelSpec> models;
    private final ModelResidency residency;
    private double gpuBusySeconds;
    private long modelLoads;
    private double modelLoadSeconds;
    private double occupiedGb;
    private double occupiedGbSeconds;
    private double occupiedSince;
    /** Per model: tasks of active workflows that will call it (ready, pending or running). */
    private final Map<String, Integer> demand = new HashMap<>();
    /** Per model the catalog lacks: the longest load time an endpoint gives it. */
    private final Map<String, Double> endpointLoadSeconds = new HashMap<>();
    /** Models some endpoint serves (see {@link NodeState}): never called on a machine. */
    private final java.util.Set<String> endpointModels = new java.util.HashSet<>();
    /** Per model: GPUs it is resident on. */
    private final Map<String, Integer> residentCopies = new HashMap<>();
    /** Numbers placement searches, so that each can mark the nodes it has looked at without clearing marks. */
    private int searchStamp;

    /** A cluster whose models cost nothing to load and stay resident. */
    public ClusterState(List<NodeSpec> specs) {
        this(specs, Map.of(), ModelResidency.KEEP);
    }

    /**
     * @param specs the nodes, in slots 0, 1, ... (ids should be unique; {@link #indexOf} finds the first of a repeated one)
     * @param models load cost and memory per model name (a model not listed loads in no time)
     * @param residency whether models stay on their GPU between calls
     */
    public ClusterState(List<NodeSpec> specs, Map<String, ModelSpec> models, ModelResidency residency) {
        this(specs, models, residency, INDEX_FROM_SLOTS);
    }

    /** As the public constructor, keeping indexes from {@code indexFromSlots} slots on (tests use 0: always). */
    ClusterState(List<NodeSpec> specs, Map<String, ModelSpec> models, ModelResidency residency, int indexFromSlots) {
        this.indexFromSlots = indexFromSlots;
        this.models = new HashMap<>(models); // looked up several times per placement: HashMap probes faster than Map.of
        this.residency = residency;
        for (NodeSpec spec : specs) {
            append(spec);
        }
    }

    private int append(NodeSpec spec) {
        if (spec.endpoint() != null) {
            endpointModels.addAll(spec.endpoint().models().keySet());
            spec.endpoint().models().values().forEach(served ->
                    endpointLoadSeconds.merge(served.name(), served.loadSeconds(), Math::max));
        }
        NodeState node = new NodeState(spec, nodes.size(), residentCopies, models, endpointModels);
        nodes.add(node);
        if (spec.endpoint() != null && spec.endpoint().alwaysLoaded() && node.gpuCount() > 0) {
            // A replica serves its models from the start: resident, and never loaded by a call.
            for (String model : new java.util.TreeSet<>(spec.endpoint().models().keySet())) {
                ModelSpec served = node.model(model);
                resident(node, 0, model, Math.min(served.memoryGb(), spec.gpus().get(0).memoryGb()));
            }
        }
        slotsById.putIfAbsent(spec.id(), node.index);
        gpuCount += spec.gpus().size();
        gpuMemoryGb += node.gpuMemoryCapacityGb;
        if (indexed) {
            index.attach(node);
        } else if (nodes.size() >= indexFromSlots) {
            indexed = true;
            nodes.forEach(index::attach);
        }
        return node.index;
    }

    /** Slots: nodes that joined, removed ones included. */
    public int size() {
        return nodes.size();
    }

    /** The node in slot {@code index} (removed or not). */
    public NodeState node(int index) {
        return nodes.get(index);
    }

    /**
     * Adds a node in a new slot, after every existing one.
     *
     * @return its slot index, its handle from now on
     * @throws IllegalArgumentException when a present (not removed) node already has its id
     */
    public int addNode(NodeSpec spec) {
        Integer existing = slotsById.get(spec.id());
        if (existing != null) {
            throw new IllegalArgumentException("node '" + spec.id() + "' is already in the cluster (slot " + existing + ")");
        }
        return append(spec);
    }

    /**
     * Stops placing on the node in slot {@code index}: no new placements and no reservations there; tasks running on
     * it finish and release normally. Draining a draining node does nothing.
     *
     * @throws IllegalStateException when the node was removed
     */
    public void drain(int index) {
        NodeState node = nodes.get(index);
        if (node.removed) {
            throw new IllegalStateException("node '" + node.spec.id() + "' (slot " + index + ") was removed");
        }
        if (indexed) {
            this.index.detach(node);
            for (int gpu = 0; gpu < node.gpuCount(); gpu++) {
                this.index.detachGpu(node, gpu);
            }
        }
        node.draining = true;
    }

    /**
     * Removes the node in slot {@code index} from the cluster: it is never eligible again, its id may join again in a
     * new slot, its resident models are gone, and {@link #gpuCount()} and {@link #gpuMemoryGb()} no longer count it.
     * Busy time and model loads accumulated so far are kept; its resident models' memory leaves the
     * {@link #gpuMemoryGbSeconds GPU-memory integral} as of the latest change of the cluster. Removing a removed node
     * does nothing.
     *
     * @throws IllegalStateException while tasks still run on it (drain it and wait for them to finish)
     */
    public void remove(int index) {
        NodeState node = nodes.get(index);
        if (node.removed) {
            return;
        }
        if (node.runningTasks > 0) {
            throw new IllegalStateException("node '" + node.spec.id() + "' (slot " + index + ") still runs "
                    + node.runningTasks + " task(s); drain it and remove it when they have finished");
        }
        drain(index);
        node.removed = true;
        slotsById.remove(node.spec.id(), index);
        for (NodeState other : nodes) { // a later slot with the same id (from the constructor) becomes the present one
            if (!other.removed && other.spec.id().equals(node.spec.id())) {
                slotsById.putIfAbsent(other.spec.id(), other.index);
            }
        }
        for (GpuModels gpu : node.gpuModels) {
            memoryChanged(-gpu.clear(), occupiedSince);
        }
        gpuCount -= node.gpuCount();
        double memory = 0; // summed again in slot order rather than subtracted, so no rounding error builds up
        for (NodeState other : nodes) {
            memory += other.removed ? 0 : other.gpuMemoryCapacityGb;
        }
        gpuMemoryGb = memory;
    }

    /** The slot of the present node with this id, or -1 if none (unknown, or removed). */
    public int indexOf(String nodeId) {
        return slotsById.getOrDefault(nodeId, -1);
    }

    /** Whether the node in slot {@code index} is still in the cluster (draining or not). */
    public boolean present(int index) {
        return index >= 0 && index < nodes.size() && !nodes.get(index).removed;
    }

    /** Whether the node in slot {@code index} takes new placements: present and not draining. */
    public boolean accepts(int index) {
        return index >= 0 && index < nodes.size() && !nodes.get(index).draining;
    }

    /** GPUs of the present nodes. */
    public int gpuCount() {
        return gpuCount;
    }

    /** GPU memory of the present nodes, in GB. */
    public double gpuMemoryGb() {
        return gpuMemoryGb;
    }

    /** Whether placement may search the indexes (else it scans). */
    boolean indexed() {
        return indexed;
    }

    NodeIndex index() {
        return index;
    }

    /** Whether a busy GPU of an accepting node that holds {@code model} is predicted to be free by {@code deadlineSeconds}. */
    boolean residentGpuFreesWithin(String model, double deadlineSeconds) {
        if (indexed) {
            return index.residentGpuFreesWithin(model, deadlineSeconds);
        }
        for (NodeState node : nodes) {
            if (node.draining) {
                continue;
            }
            for (int gpu = 0; gpu < node.gpuCount(); gpu++) {
                if (node.gpuBusy(gpu) && node.isResident(gpu, model) && node.gpuBusyUntil(gpu) <= deadlineSeconds) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Makes {@code model} resident on GPU {@code gpu} of node {@code nodeId} before anything runs, as if a call had
     * loaded it and ended (no load is counted): the model holds its catalog memory (the GPU's, when the catalog does
     * not list it).
     *
     * @throws IllegalArgumentException when the node or GPU does not exist, or the model does not fit the GPU
     */
    public void preload(String nodeId, int gpu, String model) {
        int slot = indexOf(nodeId);
        if (slot < 0) {
            throw new IllegalArgumentException("resident model " + model + ": no node '" + nodeId + "'");
        }
        NodeState node = nodes.get(slot);
        if (gpu < 0 || gpu >= node.gpuCount()) {
            throw new IllegalArgumentException("resident model " + model + ": node '" + nodeId + "' has no GPU " + gpu);
        }
        double capacity = node.spec.gpus().get(gpu).memoryGb();
        ModelSpec spec = node.model(model);
        double memory = spec == null ? capacity : spec.memoryGb();
        if (memory > capacity + 1e-9 || node.gpuModels[gpu].occupiedGb() + memory > capacity + 1e-9) {
            throw new IllegalArgumentException("resident model " + model + " (" + memory + " GB) does not fit GPU " + gpu
                    + " of node '" + nodeId + "' (" + capacity + " GB, " + node.gpuModels[gpu].occupiedGb() + " taken)");
        }
        if (indexed) {
            index.changed(node);
        }
        resident(node, gpu, model, memory);
        node.lastLoaded[gpu] = model;
    }

    /** {@code model} resident on GPU {@code gpu} of {@code node}, holding {@code memory} GB, loaded by no call. */
    private void resident(NodeState node, int gpu, String model, double memory) {
        node.gpuModels[gpu].acquire(model, memory);
        node.gpuModels[gpu].release(model, memory, false);
        memoryChanged(memory, occupiedSince);
    }

    /** A new stamp for a placement search (see {@link NodeIndex.Entry#searchStamp}). */
    int nextSearchStamp() {
        if (++searchStamp == 0) { // wrapped: clear the old marks so that none can pass for the new stamp
            nodes.forEach(node -> node.entry.searchStamp = 0);
            searchStamp = 1;
        }
        return searchStamp;
    }

    /**
     * Seconds to load {@code model} onto a GPU: the catalog's, else the longest an endpoint gives it (0 for no model or
     * an unknown one).
     */
    public double loadSeconds(String model) {
        ModelSpec spec = model == null ? null : models.get(model);
        return spec != null ? spec.loadSeconds() : model == null ? 0 : endpointLoadSeconds.getOrDefault(model, 0.0);
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
        NodeState node = nodes.get(assignment.node());
        if (indexed) {
            index.changed(node);
        }
        node.freeCpu -= request.cpu();
        node.freeMemoryGb -= request.memoryGb();
        node.runningTasks++;
        boolean load = false;
        for (int gpu : assignment.gpus()) {
            boolean first = node.gpuUsers[gpu]++ == 0;
            if (first) {
                node.busySince[gpu] = now;
            }
            // Calls sharing one model copy on a whole GPU (a replica) hold its memory once.
            double full = node.gpuMemoryTaken(gpu, request);
            double taken = request.wholeGpus() && !first ? 0 : full;
            node.gpuFreeMemoryGb[gpu] -= taken;
            node.gpuMemoryFreeGb -= taken;
            GpuModels gpuModels = node.gpuModels[gpu];
            double before = gpuModels.occupiedGb();
            load |= gpuModels.acquire(request.model(), node.residentFootprint(request.model(), full));
            memoryChanged(gpuModels.occupiedGb() - before, now);
        }
        ModelSpec served = node.model(request.model());
        double seconds = load && served != null ? served.loadSeconds() : 0;
        for (int gpu : assignment.gpus()) {
            if (load) {
                node.loadedAt[gpu] = now + seconds;
                node.lastLoaded[gpu] = request.model();
            } else if (request.wholeGpus() && node.gpuUsers[gpu] > 1 && request.model().equals(node.lastLoaded[gpu])) {
                seconds = Math.max(seconds, node.loadedAt[gpu] - now); // joins a replica still loading
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
        NodeState node = nodes.get(assignment.node());
        ModelSpec spec = node.model(request.model());
        if (spec == null || assignment.gpus().length == 0 || !request.wholeGpus()) {
            return 1;
        }
        int calls = node.callsOn(assignment.gpus()[0]);
        return 1 + spec.slowdownPerExtraCall() * (calls - 1);
    }

    /**
     * Whether a call's model leaves its GPU when the call ends on the node {@code assignment} names: with the
     * {@code UNLOAD_AFTER_CALL} residency, except on an always-loaded endpoint (a replica keeps its models whatever the
     * scheduler does).
     */
    public boolean unloadsAfterCall(Assignment assignment) {
        return unloadsAfterCall(nodes.get(assignment.node()).spec);
    }

    private boolean unloadsAfterCall(NodeSpec node) {
        return residency == ModelResidency.UNLOAD_AFTER_CALL && !(node.endpoint() != null && node.endpoint().alwaysLoaded());
    }

    /** Returns what {@link #reserve} took, at time {@code now} (seconds). */
    public void release(Assignment assignment, Resources request, double now) {
        NodeState node = nodes.get(assignment.node());
        if (indexed) {
            index.changed(node);
        }
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
            gpuModels.release(request.model(), node.residentFootprint(request.model(), full), unloadsAfterCall(node.spec));
            memoryChanged(gpuModels.occupiedGb() - before, now);
            if (--node.gpuUsers[gpu] == 0) {
                gpuBusySeconds += now - node.busySince[gpu];
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
                    total += now - node.busySince[gpu];
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
