package dev.maze.cli;

import dev.maze.core.node.LocalNode;
import dev.maze.core.node.NodeSpec;
import java.util.List;
import picocli.CommandLine;
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

    /** Largest values a user may give: far beyond any machine, small enough that nothing downstream overflows. */
    static final int MAX_GPUS = NodeSpec.MAX_GPUS;
    static final double MAX_CPUS = NodeSpec.MAX_CPUS;
    static final double MAX_MEMORY_GB = NodeSpec.MAX_MEMORY_GB;
    static final double MAX_GPU_MEMORY_GB = NodeSpec.MAX_GPU_MEMORY_GB;

    /**
     * The node list: this machine, with the overrides applied.
     *
     * @throws CommandLine.ParameterException (exit 2) for a flag out of range, naming the flag and what it accepts
     */
    List<NodeSpec> nodes(CommandLine.Model.CommandSpec spec) {
        if (gpus < 0 || gpus > MAX_GPUS) {
            throw bad(spec, "--gpus", "a whole number from 0 to " + MAX_GPUS, String.valueOf(gpus));
        }
        check(spec, "--gpu-memory-gb", gpuMemoryGb, false, MAX_GPU_MEMORY_GB);
        if (cpus != null) {
            check(spec, "--cpus", cpus, false, MAX_CPUS);
        }
        if (memoryGb != null) {
            check(spec, "--memory-gb", memoryGb, true, MAX_MEMORY_GB);
        }
        return List.of(local(gpus, gpuMemoryGb, cpus, memoryGb));
    }

    /** This machine as a node: its GPUs (or {@code gpus} virtual ones), its cores and memory unless given. */
    static NodeSpec local(int gpus, double gpuMemoryGb, Double cpus, Double memoryGb) {
        NodeSpec detected = LocalNode.detect("local", gpus, gpuMemoryGb);
        return new NodeSpec(detected.id(), cpus != null ? cpus : detected.cpu(),
                memoryGb != null ? memoryGb : detected.memoryGb(), detected.gpus(), detected.allowedModels());
    }

    /** A finite number above 0 (or at least 0 when {@code zeroOk}) and at most {@code max}. */
    private static void check(CommandLine.Model.CommandSpec spec, String flag, double value, boolean zeroOk, double max) {
        if (!Double.isFinite(value) || value > max || value < 0 || (!zeroOk && value == 0)) {
            throw bad(spec, flag, "a number " + (zeroOk ? "from 0" : "above 0") + " up to " + (long) max,
                    String.valueOf(value));
        }
    }

    private static CommandLine.ParameterException bad(CommandLine.Model.CommandSpec spec, String flag, String accepts,
            String given) {
        return new CommandLine.ParameterException(spec.commandLine(), flag + ": expected " + accepts + ", got " + given);
    }
}
