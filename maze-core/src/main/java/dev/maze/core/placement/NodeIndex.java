package dev.maze.core.placement;

import dev.maze.core.node.Resources;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The accepting nodes of a cluster ordered the way placement asks for them, so that choosing a node does not scan
 * every node. Every ordered set here orders nodes by (utilisation, index), the order least-loaded placement prefers
 * them in (ties to the lowest index). The sets:
 * <ul>
 *   <li>per group of nodes that allow the same models, three families of buckets: by free cores, by the free memory
 *       of the node's roomiest GPU (for GPU-memory slices), by idle GPUs (for whole GPUs). A request only looks at
 *       the buckets of nodes that may fit it, in the family that leaves the fewest, so a request skips nodes that
 *       certainly cannot run it;
 *   <li>per model, the nodes where it is resident, bucketed by the room of the best GPU that holds it ({@link #WHOLE}
 *       when an extra whole-GPU call could take that GPU: idle, or a replica with room);
 *   <li>per model, the busy GPUs that hold it, by predicted end (built on first use: only model-aware placement
 *       asks "does a busy GPU holding the model free up soon").
 * </ul>
 * Buckets are powers of two, so a bucket may hold a node just short of a request (the filter then refuses it) but
 * never leaves out one that fits. {@link ClusterState} reports every change of a node ({@link #changed}); the sets are
 * brought up to date before the next question ({@link #flush}), at O(log nodes) per set the node is in, so several
 * changes of one node between two placements (the releases of one batch of completions) cost one update. A draining
 * or removed node is in no set.
 */
final class NodeIndex {

    static final int BUCKETS = 64;
    /** The resident bucket of a GPU that an extra whole-GPU call of the model may take; above every memory bucket. */
    static final int WHOLE = BUCKETS - 1;
    /** Slack below a request's cores or GPU memory when picking buckets: the filter allows 1e-9 and rounding. */
    private static final double SLACK = 1e-6;

    /** One node's place in the indexes. Its key ({@link #utilisation}) changes only while it is in no set. */
    static final class Entry {
        final NodeState node;
        final int index;
        /** The node's utilisation when it was last attached: its position in every set. */
        double utilisation;
        boolean attached;
        /** Changed since it was last attached: {@link #flush} puts it back. */
        boolean dirty;
        Group group;
        int cpuBucket = -1;
        int sliceBucket = -1;
        int wholeBucket = -1;
        /** Models resident on the node when attached, and the resident bucket of each. */
        String[] models = new String[4];
        int[] modelBuckets = new int[4];
        int modelCount;
        final GpuKey[] gpus;
        /** Scratch of the placement search that last looked at this node ({@code searchStamp}). */
        int searchStamp;
        boolean searchFits;
        double searchScore;
        int[] searchGpus;

        Entry(NodeState node) {
            this.node = node;
            this.index = node.index;
            this.gpus = new GpuKey[node.gpuCount()];
            for (int gpu = 0; gpu < gpus.length; gpu++) {
                gpus[gpu] = new GpuKey(node.index, gpu);
            }
        }

        private Entry(double utilisation) {
            this.node = null;
            this.index = Integer.MAX_VALUE;
            this.utilisation = utilisation;
            this.gpus = new GpuKey[0];
        }

        /** A key after every node of utilisation {@code utilisation} (for {@code tailSet}). */
        static Entry probe(double utilisation) {
            return new Entry(utilisation);
        }
    }

    /** One GPU in the busy-GPU sets, keyed by the predicted end of its tasks when last attached. */
    static final class GpuKey {
        final int node;
        final int gpu;
        double busyUntil;
        String[] models = new String[0];
        boolean attached;

        GpuKey(int node, int gpu) {
            this.node = node;
            this.gpu = gpu;
        }
    }

    static final Comparator<Entry> BY_LOAD = (a, b) -> {
        int byLoad = Double.compare(a.utilisation, b.utilisation);
        return byLoad != 0 ? byLoad : Integer.compare(a.index, b.index);
    };

    private static final Comparator<GpuKey> BY_BUSY_UNTIL = (a, b) -> {
        int byEnd = Double.compare(a.busyUntil, b.busyUntil);
        if (byEnd != 0) {
            return byEnd;
        }
        return a.node != b.node ? Integer.compare(a.node, b.node) : Integer.compare(a.gpu, b.gpu);
    };

    /** Nodes in buckets of one quantity, each bucket ordered by load. */
    static final class Family {
        @SuppressWarnings("unchecked")
        private final TreeSet<Entry>[] buckets = new TreeSet[BUCKETS];
        private long nonEmpty;

        void add(Entry entry, int bucket) {
            TreeSet<Entry> set = buckets[bucket];
            if (set == null) {
                set = buckets[bucket] = new TreeSet<>(BY_LOAD);
            }
            set.add(entry);
            nonEmpty |= 1L << bucket;
        }

        void remove(Entry entry, int bucket) {
            TreeSet<Entry> set = buckets[bucket];
            set.remove(entry);
            if (set.isEmpty()) {
                nonEmpty &= ~(1L << bucket);
            }
        }

        /** Nodes in buckets {@code from} and above. */
        int sizeFrom(int from) {
            int size = 0;
            for (long bits = nonEmpty & (-1L << from); bits != 0; bits &= bits - 1) {
                size += buckets[Long.numberOfTrailingZeros(bits)].size();
            }
            return size;
        }

        void addSetsFrom(int from, List<NavigableSet<Entry>> out) {
            for (long bits = nonEmpty & (-1L << from); bits != 0; bits &= bits - 1) {
                out.add(buckets[Long.numberOfTrailingZeros(bits)]);
            }
        }
    }

    /** Nodes that allow the same models (an empty set: any model). */
    static final class Group {
        final Set<String> allowedModels;
        final Family cpu = new Family();
        final Family slice = new Family();
        final Family whole = new Family();

        Group(Set<String> allowedModels) {
            this.allowedModels = allowedModels;
        }

        boolean allows(String model) {
            return model == null || allowedModels.isEmpty() || allowedModels.contains(model);
        }
    }

    private final List<NodeState> nodes;
    /** Nodes changed since the last {@link #flush}. */
    private final List<NodeState> dirty = new ArrayList<>();
    private final Map<Set<String>, Group> groups = new LinkedHashMap<>();
    private final List<Group> groupList = new ArrayList<>();
    private final Map<String, Family> resident = new HashMap<>();
    private boolean sliceFamily;
    private boolean wholeFamily;
    /** Per model: busy GPUs on accepting nodes that hold it; null until first asked. */
    private Map<String, TreeSet<GpuKey>> busyResident;

    NodeIndex(List<NodeState> nodes) {
        this.nodes = nodes;
    }

    /** The bucket of a non-negative amount: 0 below 2^-20, else one per power of two (monotone). */
    static int bucket(double amount) {
        if (!(amount >= 0x1p-20)) {
            return 0;
        }
        return Math.max(1, Math.min(WHOLE - 1, 21 + Math.getExponent(amount)));
    }

    /**
     * Notes that the state of {@code node} is about to change or has changed (its keys in the sets are still the old
     * ones, so it can still be taken out): the next {@link #flush} re-keys it and its GPUs.
     */
    void changed(NodeState node) {
        if (!node.entry.dirty) {
            node.entry.dirty = true;
            dirty.add(node);
        }
    }

    /** Re-keys the nodes that changed; every question to the index starts with it. */
    void flush() {
        for (int i = 0; i < dirty.size(); i++) {
            NodeState node = dirty.get(i);
            node.entry.dirty = false;
            detach(node);
            attach(node);
            if (busyResident != null) {
                for (int gpu = 0; gpu < node.gpuCount(); gpu++) {
                    detachGpu(node, gpu);
                    attachGpu(node, gpu);
                }
            }
        }
        dirty.clear();
    }

    /** Puts an accepting node into the sets, keyed by its state now; a draining node stays out. */
    void attach(NodeState node) {
        Entry entry = node.entry;
        if (entry.attached || node.draining) {
            return;
        }
        if (entry.group == null) {
            entry.group = groups.computeIfAbsent(node.spec.allowedModels(), allowed -> {
                Group group = new Group(allowed);
                groupList.add(group);
                return group;
            });
        }
        entry.utilisation = node.utilisation();
        entry.cpuBucket = bucket(node.freeCpu);
        entry.group.cpu.add(entry, entry.cpuBucket);
        if (node.gpuCount() > 0) {
            if (sliceFamily) {
                entry.sliceBucket = bucket(node.maxGpuFreeGb());
                entry.group.slice.add(entry, entry.sliceBucket);
            }
            if (wholeFamily) {
                entry.wholeBucket = Math.min(node.idleGpus(), WHOLE - 1);
                entry.group.whole.add(entry, entry.wholeBucket);
            }
            attachResident(node, entry);
        }
        entry.attached = true;
    }

    private void attachResident(NodeState node, Entry entry) {
        entry.modelCount = 0;
        for (int gpu = 0; gpu < node.gpuCount(); gpu++) {
            for (String model : node.gpuModels[gpu].residentModels()) {
                int bucket = node.gpuUsers[gpu] == 0 || node.canShare(gpu, model) ? WHOLE : bucket(node.gpuFreeMemoryGb[gpu]);
                int at = 0;
                while (at < entry.modelCount && !entry.models[at].equals(model)) {
                    at++;
                }
                if (at == entry.modelCount) {
                    if (at == entry.models.length) {
                        entry.models = java.util.Arrays.copyOf(entry.models, at * 2);
                        entry.modelBuckets = java.util.Arrays.copyOf(entry.modelBuckets, at * 2);
                    }
                    entry.models[at] = model;
                    entry.modelBuckets[at] = bucket;
                    entry.modelCount++;
                } else {
                    entry.modelBuckets[at] = Math.max(entry.modelBuckets[at], bucket);
                }
            }
        }
        for (int i = 0; i < entry.modelCount; i++) {
            resident.computeIfAbsent(entry.models[i], model -> new Family()).add(entry, entry.modelBuckets[i]);
        }
    }

    /** Takes a node out of every set, before its state changes (or for good, when it drains). */
    void detach(NodeState node) {
        Entry entry = node.entry;
        if (!entry.attached) {
            return;
        }
        entry.group.cpu.remove(entry, entry.cpuBucket);
        if (entry.sliceBucket >= 0) {
            entry.group.slice.remove(entry, entry.sliceBucket);
            entry.sliceBucket = -1;
        }
        if (entry.wholeBucket >= 0) {
            entry.group.whole.remove(entry, entry.wholeBucket);
            entry.wholeBucket = -1;
        }
        for (int i = 0; i < entry.modelCount; i++) {
            resident.get(entry.models[i]).remove(entry, entry.modelBuckets[i]);
            entry.models[i] = null;
        }
        entry.modelCount = 0;
        entry.attached = false;
    }

    /** Puts GPU {@code gpu} of an accepting node into the busy-GPU sets of its models, if it is busy. */
    void attachGpu(NodeState node, int gpu) {
        if (busyResident == null || node.draining || node.gpuUsers[gpu] == 0) {
            return;
        }
        GpuKey key = node.entry.gpus[gpu];
        key.busyUntil = node.gpuBusyUntil[gpu];
        List<String> models = new ArrayList<>(2);
        node.gpuModels[gpu].residentModels().forEach(models::add);
        key.models = models.toArray(String[]::new);
        for (String model : key.models) {
            busyResident.computeIfAbsent(model, m -> new TreeSet<>(BY_BUSY_UNTIL)).add(key);
        }
        key.attached = true;
    }

    /** Takes GPU {@code gpu} out of the busy-GPU sets, before its state changes. */
    void detachGpu(NodeState node, int gpu) {
        GpuKey key = node.entry.gpus[gpu];
        if (!key.attached) {
            return;
        }
        for (String model : key.models) {
            busyResident.get(model).remove(key);
        }
        key.attached = false;
    }

    /**
     * Adds ordered sets that together hold every accepting node, in a group allowing the request's model, whose free
     * cores (or GPUs) may fit {@code request}: for a GPU request, whichever of its cores' and its GPUs' buckets holds
     * fewer nodes.
     */
    void addFeasibleSets(Resources request, List<NavigableSet<Entry>> out) {
        flush();
        int cpuFrom = request.cpu() > 0 ? bucket(request.cpu() - SLACK) : 0;
        for (Group group : groupList) {
            if (!group.allows(request.model())) {
                continue;
            }
            if (request.gpus() == 0) {
                group.cpu.addSetsFrom(cpuFrom, out);
                continue;
            }
            Family gpus;
            int gpuFrom;
            if (request.wholeGpus()) {
                enableWholeFamily();
                gpus = group.whole;
                gpuFrom = Math.min(request.gpus(), WHOLE - 1);
            } else {
                enableSliceFamily();
                gpus = group.slice;
                gpuFrom = bucket(request.gpuMemoryGb() - SLACK);
            }
            if (gpus.sizeFrom(gpuFrom) <= group.cpu.sizeFrom(cpuFrom)) {
                gpus.addSetsFrom(gpuFrom, out);
            } else {
                group.cpu.addSetsFrom(cpuFrom, out);
            }
        }
    }

    /**
     * Adds ordered sets that together hold every accepting node where a GPU that holds the request's model may take
     * it (for whole GPUs: idle, or a replica with room); nothing for a request without a model or GPUs.
     */
    void addResidentSets(Resources request, List<NavigableSet<Entry>> out) {
        flush();
        Family family = request.model() == null || request.gpus() == 0 ? null : resident.get(request.model());
        if (family != null) {
            family.addSetsFrom(request.wholeGpus() ? WHOLE : bucket(request.gpuMemoryGb() - SLACK), out);
        }
    }

    /** Whether a busy GPU of an accepting node that holds {@code model} is predicted to be free by {@code deadlineSeconds}. */
    boolean residentGpuFreesWithin(String model, double deadlineSeconds) {
        flush();
        if (busyResident == null) {
            busyResident = new HashMap<>();
            for (NodeState node : nodes) {
                for (int gpu = 0; gpu < node.gpuCount(); gpu++) {
                    attachGpu(node, gpu);
                }
            }
        }
        TreeSet<GpuKey> busy = busyResident.get(model);
        return busy != null && !busy.isEmpty() && busy.first().busyUntil <= deadlineSeconds;
    }

    private void enableSliceFamily() {
        if (!sliceFamily) {
            sliceFamily = true;
            for (NodeState node : nodes) {
                Entry entry = node.entry;
                if (entry.attached && node.gpuCount() > 0) {
                    entry.sliceBucket = bucket(node.maxGpuFreeGb());
                    entry.group.slice.add(entry, entry.sliceBucket);
                }
            }
        }
    }

    private void enableWholeFamily() {
        if (!wholeFamily) {
            wholeFamily = true;
            for (NodeState node : nodes) {
                Entry entry = node.entry;
                if (entry.attached && node.gpuCount() > 0) {
                    entry.wholeBucket = Math.min(node.idleGpus(), WHOLE - 1);
                    entry.group.whole.add(entry, entry.wholeBucket);
                }
            }
        }
    }
}
