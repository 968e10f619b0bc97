package dev.maze.core.node;

/**
 * What one task needs from a node while it runs.
 *
 * @param cpu cores (fractions allowed; 0 for pure I/O waits)
 * @param memoryGb host memory in GB
 * @param gpus number of GPUs; each must have {@code gpuMemoryGb} free
 * @param gpuMemoryGb GPU memory needed on each of those GPUs, in GB; 0 means the whole GPU
 * @param model model name the task calls on its GPU, or null
 */
public record Resources(double cpu, double memoryGb, int gpus, double gpuMemoryGb, String model) {

    /** One core, nothing else: the default for a task that states no resources. */
    public static final Resources DEFAULT = new Resources(1, 0, 0, 0, null);

    /** Whether this task is an inference (a GPU or model call), as DAPS counts them. */
    @com.fasterxml.jackson.annotation.JsonIgnore // derived from the components; not a field of its own
    public boolean isInference() {
        return gpus > 0 || model != null;
    }

    /** The resource class used by heuristics: {@code gpu}, {@code cpu} or {@code io}. */
    public String resourceClass() {
        if (isInference()) {
            return "gpu";
        }
        return cpu > 0 ? "cpu" : "io";
    }

    /** Whether the task needs whole GPUs rather than a slice of their memory. */
    public boolean wholeGpus() {
        return gpus > 0 && gpuMemoryGb <= 0;
    }
}
