package dev.maze.core.placement;

import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.node.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A node's capacity and current use. Mutable, owned by the engine loop through {@link ClusterState}; its public
 * methods only read ({@link NodeView}). GPU memory is tracked per GPU: a task asking for a slice
 * ({@code gpuMemoryGb > 0}) shares a GPU with others while memory lasts; a task asking for whole GPUs takes GPUs
 * nobody uses.
 */
public final class NodeState implements NodeView {

    final NodeSpec spec;
    final int index;
    double freeCpu;
    double freeMemoryGb;
    final double[] gpuFreeMemoryGb;
    final int[] gpuUsers;
    /** Sum of all GPUs' memory, and of their free memory (kept so utilisation needs no loop). */
    final double gpuMemoryCapacityGb;
    double gpuMemoryFreeGb;
    /** The cluster's model catalog, with an endpoint's own entries over it (load time, memory, concurrency). */
    private final Map<String, ModelSpec> models;
    /** Models some endpoint of the cluster serves: called only on endpoints (shared by all nodes). */
    private final java.util.Set<String> endpointModels;
    /** Models resident on each GPU. */
    final GpuModels[] gpuModels;
    /** Per GPU: predicted end of the latest task placed on it (engine-clock seconds). */
    final double[] gpuBusyUntil;
    /** Per GPU: when it last went from idle to busy. */
    final double[] busySince;
    /** Per GPU: the latest model loaded there and when its load ends (a call joining it waits for that). */
    final double[] loadedAt;
    final String[] lastLoaded;
    int runningTasks;
    boolean draining;
    boolean removed;
    /** Where the node sits in the cluster's placement indexes (see {@link NodeIndex}). */
    final NodeIndex.Entry entry;

    NodeState(NodeSpec spec, int index, Map<String, Integer> clusterCopies, Map<String, ModelSpec> models,
            java.util.Set<String> endpointModels) {
        if (spec.endpoint() != null) {
            // The endpoint's memory, load time and concurrency; a catalog's slowdown with sharing, if it gives one.
            Map<String, ModelSpec> own = new java.util.HashMap<>(models);
            for (ModelSpec served : spec.endpoint().models().values()) {
                ModelSpec catalog = models.get(served.name());
                own.put(served.name(), new ModelSpec(served.name(), served.memoryGb(), served.loadSeconds(),
                        served.concurrency(), catalog == null ? served.slowdownPerExtraCall() : catalog.slowdownPerExtraCall()));
            }
            models = own;
        }
        this.models = models;
        this.endpointModels = endpointModels;
        this.spec = spec;
        this.index = index;
        this.freeCpu = spec.cpu();
        this.freeMemoryGb = spec.memoryGb();
        this.gpuFreeMemoryGb = spec.gpus().stream().mapToDouble(g -> g.memoryGb()).toArray();
        this.gpuUsers = new int[spec.gpus().size()];
        this.gpuMemoryCapacityGb = Arrays.stream(gpuFreeMemoryGb).sum();
        this.gpuMemoryFreeGb = gpuMemoryCapacityGb;
        this.gpuBusyUntil = new double[spec.gpus().size()];
        this.busySince = new double[spec.gpus().size()];
        this.loadedAt = new double[spec.gpus().size()];
        this.lastLoaded = new String[spec.gpus().size()];
        this.gpuModels = new GpuModels[spec.gpus().size()];
        for (int i = 0; i < gpuModels.length; i++) {
            gpuModels[i] = new GpuModels(spec.gpus().get(i).memoryGb(), clusterCopies);
        }
        this.entry = new NodeIndex.Entry(this);
    }

    @Override
    public NodeSpec spec() {
        return spec;
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public double freeCpu() {
        return freeCpu;
    }

    @Override
    public double freeMemoryGb() {
        return freeMemoryGb;
    }

    @Override
    public int runningTasks() {
        return runningTasks;
    }

    @Override
    public boolean isResident(int gpu, String model) {
        return gpuModels[gpu].isResident(model);
    }

    @Override
    public List<String> residentModels(int gpu) {
        List<String> names = new ArrayList<>();
        gpuModels[gpu].residentModels().forEach(names::add);
        return names;
    }

    @Override
    public int gpuCount() {
        return gpuModels.length;
    }

    @Override
    public double gpuFreeMemoryGb(int gpu) {
        return gpuFreeMemoryGb[gpu];
    }

    @Override
    public int gpuUsers(int gpu) {
        return gpuUsers[gpu];
    }

    @Override
    public boolean gpuBusy(int gpu) {
        return gpuUsers[gpu] > 0;
    }

    @Override
    public double gpuBusyUntil(int gpu) {
        return gpuBusyUntil[gpu];
    }

    @Override
    public List<String> evictedBy(int gpu, double memoryGb) {
        return gpuModels[gpu].evictedBy(memoryGb);
    }

    @Override
    public boolean draining() {
        return draining;
    }

    @Override
    public boolean removed() {
        return removed;
    }

    /** Free memory of the GPU with the most of it (0 without GPUs). */
    double maxGpuFreeGb() {
        double max = 0;
        for (double free : gpuFreeMemoryGb) {
            max = Math.max(max, free);
        }
        return max;
    }

    /** GPUs that run nothing. */
    int idleGpus() {
        int idle = 0;
        for (int users : gpuUsers) {
            idle += users == 0 ? 1 : 0;
        }
        return idle;
    }

    @Override
    public double utilisation() {
        double sum = 0;
        int dimensions = 0;
        if (spec.cpu() > 0) {
            sum += 1 - freeCpu / spec.cpu();
            dimensions++;
        }
        if (spec.memoryGb() > 0) {
            sum += 1 - freeMemoryGb / spec.memoryGb();
            dimensions++;
        }
        if (gpuMemoryCapacityGb > 0) {
            sum += 1 - gpuMemoryFreeGb / gpuMemoryCapacityGb;
            dimensions++;
        }
        return dimensions == 0 ? 0 : sum / dimensions;
    }

    /** GPU memory a task takes on one GPU: its slice, or the whole GPU. */
    double gpuMemoryTaken(int gpu, Resources request) {
        return request.wholeGpus() ? spec.gpus().get(gpu).memoryGb() : request.gpuMemoryGb();
    }

    private boolean gpuFits(int gpu, Resources request) {
        if (request.wholeGpus()) {
            return gpuUsers[gpu] == 0 || canShare(gpu, request.model());
        }
        return gpuFreeMemoryGb[gpu] + 1e-9 >= request.gpuMemoryGb();
    }

    /** Whether a whole-GPU call of {@code model} may join the calls running on {@code gpu}: same model, room left. */
    boolean canShare(int gpu, String model) {
        ModelSpec spec = model == null ? null : models.get(model);
        return spec != null && spec.concurrency() > gpuUsers[gpu] && gpuModels[gpu].users(model) == gpuUsers[gpu];
    }

    /** Memory a resident model holds here: its weights when this node's catalog knows them, else what its call took. */
    double residentFootprint(String model, double taken) {
        ModelSpec served = model(model);
        return served == null ? taken : Math.min(taken, served.memoryGb());
    }

    /** Seconds to load {@code model} here (0 for no model or one neither this node nor the cluster lists). */
    double loadSeconds(String model) {
        ModelSpec served = model(model);
        return served == null ? 0 : served.loadSeconds();
    }

    /** This node's entry for {@code model} (an endpoint's own, else the cluster's), or null. */
    ModelSpec model(String model) {
        return model == null ? null : models.get(model);
    }

    /**
     * Whether this node may never take {@code request} because of what it is: an endpoint takes only single-slot
     * whole-GPU calls of its models; a machine takes no call of a model that an endpoint serves.
     */
    private boolean endpointRefuses(Resources request) {
        if (spec.endpoint() != null) {
            return request.model() == null || request.gpus() != 1 || !request.wholeGpus();
        }
        return request.model() != null && !endpointModels.isEmpty() && endpointModels.contains(request.model());
    }

    /** Calls that served by one copy of a model on {@code gpu} now. */
    int callsOn(int gpu) {
        return gpuUsers[gpu];
    }

    /** Negative when GPU {@code a} is preferred over {@code b}: model resident, then tightest fit, then lower index. */
    private int preferredGpu(int a, int b, String model) {
        int resident = Boolean.compare(isResident(b, model), isResident(a, model));
        if (resident != 0) {
            return resident;
        }
        int tight = Double.compare(gpuFreeMemoryGb[a], gpuFreeMemoryGb[b]);
        return tight != 0 ? tight : Integer.compare(a, b);
    }

    /**
     * The GPUs this task would get now, or null if it does not fit. {@code claim}, when it is on this node,
     * holds back what a reserved head-of-line task needs (see {@link Claim}).
     */
    int[] fit(Resources request, Claim claim) {
        double cpuLeft = freeCpu;
        double memoryLeft = freeMemoryGb;
        boolean gpusClaimed = false;
        if (claim != null && claim.node() == index) {
            cpuLeft -= claim.request().cpu();
            memoryLeft -= claim.request().memoryGb();
            gpusClaimed = claim.request().gpus() > 0;
        }
        // A dimension the task does not use never refuses it, even when a claim leaves less than nothing of it.
        if ((request.cpu() > 0 && request.cpu() > cpuLeft + 1e-9)
                || (request.memoryGb() > 0 && request.memoryGb() > memoryLeft + 1e-9)) {
            return null;
        }
        // Checked before the GPU-less shortcut: a model call needs an allowed node even without a GPU, as in
        // NodeSpec.whyNeverFits (which validation and the agent policy's capable nodes rely on).
        if (request.model() != null && !spec.allowedModels().isEmpty() && !spec.allowedModels().contains(request.model())) {
            return null;
        }
        if (endpointRefuses(request)) {
            return null;
        }
        if (request.gpus() == 0) {
            return new int[0];
        }
        if (gpusClaimed) {
            return null;
        }
        if (request.gpus() == 1) {
            int best = -1;
            for (int gpu = 0; gpu < gpuFreeMemoryGb.length; gpu++) {
                if (gpuFits(gpu, request) && (best < 0 || preferredGpu(gpu, best, request.model()) < 0)) {
                    best = gpu;
                }
            }
            return best < 0 ? null : new int[] {best};
        }
        Integer[] candidates = new Integer[gpuFreeMemoryGb.length];
        int count = 0;
        for (int gpu = 0; gpu < gpuFreeMemoryGb.length; gpu++) {
            if (gpuFits(gpu, request)) {
                candidates[count++] = gpu;
            }
        }
        if (count < request.gpus()) {
            return null;
        }
        // Prefer GPUs that already hold the model (no switch), then the tightest fit (keeps whole GPUs free
        // for whole-GPU tasks), then the lowest index for determinism.
        Arrays.sort(candidates, 0, count, (a, b) -> preferredGpu(a, b, request.model()));
        int[] chosen = new int[request.gpus()];
        for (int i = 0; i < chosen.length; i++) {
            chosen[i] = candidates[i];
        }
        return chosen;
    }

    /**
     * Why {@link #fit} refuses {@code request} here, or null when it fits. The checks are {@code fit}'s, in its order;
     * where the claim alone makes the difference, the refusal says so.
     */
    Refusal whyNotFit(Resources request, Claim claim) {
        double cpuLeft = freeCpu;
        double memoryLeft = freeMemoryGb;
        boolean claimed = claim != null && claim.node() == index;
        if (claimed) {
            cpuLeft -= claim.request().cpu();
            memoryLeft -= claim.request().memoryGb();
        }
        if (request.cpu() > 0 && request.cpu() > cpuLeft + 1e-9) {
            return claimed && request.cpu() <= freeCpu + 1e-9 ? Refusal.CORES_HELD : Refusal.FEWER_CORES;
        }
        if (request.memoryGb() > 0 && request.memoryGb() > memoryLeft + 1e-9) {
            return claimed && request.memoryGb() <= freeMemoryGb + 1e-9 ? Refusal.MEMORY_HELD : Refusal.LESS_MEMORY;
        }
        if (request.model() != null && !spec.allowedModels().isEmpty() && !spec.allowedModels().contains(request.model())) {
            return Refusal.MODEL_NOT_ALLOWED;
        }
        if (endpointRefuses(request)) {
            return spec.endpoint() != null ? Refusal.ENDPOINT : Refusal.MODEL_ON_ENDPOINTS;
        }
        if (request.gpus() == 0) {
            return null;
        }
        if (claimed && claim.request().gpus() > 0) {
            return Refusal.GPUS_HELD;
        }
        int fitting = 0;
        for (int gpu = 0; gpu < gpuFreeMemoryGb.length; gpu++) {
            fitting += gpuFits(gpu, request) ? 1 : 0;
        }
        if (fitting >= request.gpus()) {
            return null;
        }
        if (request.wholeGpus()) {
            return Refusal.FEWER_FREE_GPUS;
        }
        String memory = PendingReason.number(request.gpuMemoryGb()) + " GB free";
        return new Refusal("fits", request.gpus() == 1 ? "have no GPU with " + memory
                : "have fewer than " + request.gpus() + " GPUs with " + memory + " each");
    }
}
