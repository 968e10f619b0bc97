package dev.maze.core.placement;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The models resident on one GPU: a least-recently-used cache bounded by the GPU's memory. A model stays resident
 * after its call (when the residency mode keeps models) until memory is needed for another; a model in use by a
 * running task is never evicted. A resident model holds the memory its latest call took; memory of running tasks
 * that name no model counts against the same capacity.
 */
final class GpuModels {

    private final double capacityGb;
    /** Copies of each model resident anywhere in the cluster, shared by all GPUs (kept here as models come and go). */
    private final Map<String, Integer> clusterCopies;
    /** Resident models in access order (eldest first) with the memory each holds. */
    private final LinkedHashMap<String, Double> resident = new LinkedHashMap<>(4, 0.75f, true);
    private final Map<String, Integer> users = new HashMap<>(4);
    private double residentGb;
    private double anonymousInUseGb;

    GpuModels(double capacityGb, Map<String, Integer> clusterCopies) {
        this.capacityGb = capacityGb;
        this.clusterCopies = clusterCopies;
    }

    /** Running calls of {@code model} on this GPU. */
    int users(String model) {
        return users.getOrDefault(model, 0);
    }

    boolean isResident(String model) {
        return model != null && resident.containsKey(model);
    }

    /** Names of the resident models (a view). */
    Iterable<String> residentModels() {
        return resident.keySet();
    }

    /** GPU memory held by resident models and by running tasks without a model. */
    double occupiedGb() {
        return residentGb + anonymousInUseGb;
    }

    /**
     * A task starts on this GPU using {@code memoryGb} for {@code model} (null: no model).
     *
     * @return true when the model was not resident and must be loaded first
     */
    boolean acquire(String model, double memoryGb) {
        if (model == null) {
            anonymousInUseGb += memoryGb;
            evictFor(null);
            return false;
        }
        users.merge(model, 1, Integer::sum);
        // A resident model holds the memory its latest call took (a whole GPU, or a slice).
        Double held = resident.put(model, memoryGb); // also marks it most recently used
        residentGb += memoryGb - (held == null ? 0 : held);
        if (held == null) {
            clusterCopies.merge(model, 1, Integer::sum);
        }
        evictFor(model);
        return held == null;
    }

    /** A task that {@link #acquire acquired} this GPU ended; {@code unload} drops its model if nobody else uses it. */
    void release(String model, double memoryGb, boolean unload) {
        if (model == null) {
            anonymousInUseGb -= memoryGb;
            return;
        }
        int left = users.merge(model, -1, Integer::sum);
        if (left <= 0) {
            users.remove(model);
            if (unload) {
                Double held = resident.remove(model);
                if (held != null) {
                    residentGb -= held;
                    forget(model);
                }
            }
        }
    }

    /**
     * Drops every resident model (the GPU leaves the cluster with nothing running on it).
     *
     * @return the memory that was occupied, in GB
     */
    double clear() {
        double occupied = occupiedGb();
        for (String model : resident.keySet()) {
            forget(model);
        }
        resident.clear();
        users.clear();
        residentGb = 0;
        anonymousInUseGb = 0;
        return occupied;
    }

    private void forget(String model) {
        clusterCopies.merge(model, -1, (a, b) -> a + b == 0 ? null : a + b);
    }

    /** The idle models an extra {@code memoryGb} would evict, least recently used first (nothing changes). */
    java.util.List<String> evictedBy(double memoryGb) {
        java.util.List<String> evicted = new java.util.ArrayList<>();
        double occupied = occupiedGb() + memoryGb;
        for (Map.Entry<String, Double> candidate : resident.entrySet()) {
            if (occupied <= capacityGb + 1e-9) {
                break;
            }
            if (!users.containsKey(candidate.getKey())) {
                evicted.add(candidate.getKey());
                occupied -= candidate.getValue();
            }
        }
        return evicted;
    }

    /** Evicts idle models, least recently used first, while the GPU is over capacity; {@code keep} stays. */
    private void evictFor(String keep) {
        for (Iterator<Map.Entry<String, Double>> eldest = resident.entrySet().iterator();
                occupiedGb() > capacityGb + 1e-9 && eldest.hasNext(); ) {
            Map.Entry<String, Double> candidate = eldest.next();
            if (!candidate.getKey().equals(keep) && !users.containsKey(candidate.getKey())) {
                residentGb -= candidate.getValue();
                eldest.remove();
                forget(candidate.getKey());
            }
        }
    }
}
