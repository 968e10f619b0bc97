package dev.maze.cli;

import dev.maze.core.node.LocalNode;
import dev.maze.core.node.NodeSpec;
import java.util.List;
import picocli.CommandLine.Option;

/** Options describing the local node the embedded engine runs on. */
final class ClusterOptions {

    @Option(names = "--gpus", paramLabel = "N",
            description = "Virtual GPUs to offer when the machine has none (nvidia-smi finds real ones). Default: ${DEFAULT-VALUE}.")
    int gpus;

    @Option(names = "--gpu-memory-gb", paramLabel = "GB", defaultValue = "80",
            description = "Memory of each virtual GPU. Default: ${DEFAULT-VALUE}.")
    double gpuMemoryGb;

    @Option(names = "--cpus", paramLabel = "N", description = "Cores to offer (default: all of this machine's).")
    Double cpus;

    @Option(names = "--memory-gb", paramLabel = "GB", description = "Memory to offer (default: this machine's).")
    Double memoryGb;

    /** Fills in GPUs and cores the user did not set (the demo models a GPU node on any machine). */
    ClusterOptions withDefaults(int defaultGpus, double defaultCpus) {
        if (gpus == 0) {
            gpus = defaultGpus;
        }
        if (cpus == null) {
            cpus = defaultCpus;
        }
        return this;
    }

    /** The node list: this machine, with the overrides applied. */
    List<NodeSpec> nodes() {
        if (gpus < 0 || gpuMemoryGb <= 0 || (cpus != null && cpus <= 0) || (memoryGb != null && memoryGb < 0)) {
            throw new IllegalArgumentException("--gpus must be >= 0, --gpu-memory-gb and --cpus > 0, --memory-gb >= 0");
        }
        NodeSpec detected = LocalNode.detect("local", gpus, gpuMemoryGb);
        return List.of(new NodeSpec(detected.id(), cpus != null ? cpus : detected.cpu(),
                memoryGb != null ? memoryGb : detected.memoryGb(), detected.gpus(), detected.allowedModels()));
    }
}
