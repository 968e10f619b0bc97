package dev.maze.offline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The GPUs a plan uses and what switching models costs on them.
 *
 * @param gpus GPUs, numbered {@code 0 .. gpus - 1}; a model needing k GPUs runs on k consecutive ones
 * @param gpuMemoryGb memory of each GPU (a model's share, {@code memoryGb / gpusRequired}, must fit)
 * @param pcieGbPerSecond host-to-GPU bandwidth
 * @param switchOverheadSeconds fixed cost of any switch (process start, warm-up), besides the transfer
 * @param initialModels the model each GPU holds at time 0 (null: none); empty means all GPUs start empty
 */
public record Cluster(int gpus, double gpuMemoryGb, double pcieGbPerSecond, double switchOverheadSeconds,
        List<String> initialModels) {

    /** The default fixed overhead of a switch, seconds. */
    public static final double DEFAULT_OVERHEAD_SECONDS = 2;
    /** A PCIe 4.0 x16 link's practical bandwidth, GB/s. */
    public static final double DEFAULT_PCIE_GB_PER_SECOND = 25;
    /** An 80 GB GPU (A100/H100). */
    public static final double DEFAULT_GPU_MEMORY_GB = 80;

    public Cluster {
        if (gpus < 1) {
            throw new IllegalArgumentException("a cluster needs 1 GPU or more, not " + gpus);
        }
        if (!(pcieGbPerSecond > 0)) {
            throw new IllegalArgumentException("pcieGbPerSecond must be above 0, not " + pcieGbPerSecond);
        }
        if (!(switchOverheadSeconds >= 0)) {
            throw new IllegalArgumentException("switchOverheadSeconds must be 0 or more, not " + switchOverheadSeconds);
        }
        List<String> initial = new ArrayList<>(initialModels == null ? List.of() : initialModels);
        if (initial.size() > gpus) {
            throw new IllegalArgumentException("initialModels names " + initial.size() + " GPUs; the cluster has " + gpus);
        }
        while (initial.size() < gpus) {
            initial.add(null);
        }
        initialModels = Collections.unmodifiableList(initial);
    }

    /** {@code gpus} GPUs of 80 GB, 25 GB/s, 2 s overhead, all empty. */
    public static Cluster of(int gpus) {
        return new Cluster(gpus, DEFAULT_GPU_MEMORY_GB, DEFAULT_PCIE_GB_PER_SECOND, DEFAULT_OVERHEAD_SECONDS, List.of());
    }

    /** The same GPUs with switching free (a plain multiprocessor: the STG benchmark). */
    public Cluster withoutSwitchCost() {
        return new Cluster(gpus, gpuMemoryGb, Double.POSITIVE_INFINITY, 0, initialModels);
    }
}
