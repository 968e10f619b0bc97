package dev.maze.core.node;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Describes the machine this process runs on. */
public final class LocalNode {

    private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);

    private LocalNode() {}

    /**
     * Cores and memory of this machine, plus GPUs: the real ones that {@code nvidia-smi} reports, or
     * when it reports none, {@code virtualGpus} virtual GPUs of {@code virtualGpuMemoryGb} each so that GPU
     * scheduling can be used and tested without a GPU. A positive {@code virtualGpus} always wins over
     * detection, so runs are repeatable on any machine.
     */
    public static NodeSpec detect(String id, int virtualGpus, double virtualGpuMemoryGb) {
        int cores = Runtime.getRuntime().availableProcessors();
        double memoryGb = physicalMemoryGb();
        List<GpuSpec> gpus = virtualGpus > 0 ? List.of() : nvidiaGpus();
        if (gpus.isEmpty()) {
            gpus = NodeSpec.of(id, cores, memoryGb, virtualGpus, virtualGpuMemoryGb).gpus();
        }
        return new NodeSpec(id, cores, memoryGb, gpus, Set.of());
    }

    private static double physicalMemoryGb() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.floor(os.getTotalMemorySize() / 1e9 * 10) / 10;
        }
        return Math.floor(Runtime.getRuntime().maxMemory() / 1e9 * 10) / 10;
    }

    /** GPUs from {@code nvidia-smi}, or an empty list when it is absent or fails. */
    static List<GpuSpec> nvidiaGpus() {
        List<GpuSpec> gpus = new ArrayList<>();
        try {
            Process process = new ProcessBuilder("nvidia-smi", "--query-gpu=index,name,memory.total",
                    "--format=csv,noheader,nounits").redirectErrorStream(true).start();
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    GpuSpec gpu = parseNvidiaSmiLine(line);
                    if (gpu != null) {
                        gpus.add(gpu);
                    }
                }
            }
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return List.of();
            }
        } catch (IOException e) {
            return List.of(); // no nvidia-smi: a CPU-only machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
        LOG.info("detected {} GPU(s) with nvidia-smi", gpus.size());
        return gpus;
    }

    /** Parses "0, NVIDIA H100 80GB HBM3, 81559" (memory in MiB); null for anything else. */
    static GpuSpec parseNvidiaSmiLine(String line) {
        String[] parts = line.split(",");
        if (parts.length != 3) {
            return null;
        }
        try {
            int index = Integer.parseInt(parts[0].trim());
            double mib = Double.parseDouble(parts[2].trim());
            return new GpuSpec(index, parts[1].trim(), Math.round(mib * 1.048576 / 1000 * 10) / 10.0);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
