package dev.maze.core.node;

/**
 * A model that GPU tasks call, as far as scheduling cares: how much GPU memory it holds while resident, how long
 * loading it onto a GPU takes, and how many calls one loaded copy serves at once.
 *
 * @param name the name tasks use in {@code resources.model}
 * @param memoryGb GPU memory it occupies while resident
 * @param loadSeconds time to load it onto a GPU that does not hold it (weights from disk or page cache)
 * @param concurrency calls one copy serves at the same time (a vLLM-style replica; 1 = one call per GPU)
 * @param slowdownPerExtraCall how much longer a call runs for each other call sharing its copy when it starts
 *     (0.1 = 10% longer per extra call)
 */
public record ModelSpec(String name, double memoryGb, double loadSeconds, int concurrency, double slowdownPerExtraCall) {

    public ModelSpec {
        if (memoryGb < 0 || loadSeconds < 0 || concurrency < 1 || slowdownPerExtraCall < 0) {
            throw new IllegalArgumentException("model '" + name + "': memoryGb, loadSeconds and slowdownPerExtraCall must be"
                    + " >= 0 and concurrency >= 1");
        }
    }

    /** A model that serves one call at a time. */
    public ModelSpec(String name, double memoryGb, double loadSeconds) {
        this(name, memoryGb, loadSeconds, 1, 0);
    }
}
