package dev.maze.core.node;

/**
 * A model that GPU tasks call, as far as scheduling cares: how much GPU memory it holds while resident and how
 * long loading it onto a GPU takes.
 *
 * @param name the name tasks use in {@code resources.model}
 * @param memoryGb GPU memory it occupies while resident
 * @param loadSeconds time to load it onto a GPU that does not hold it (weights from disk or page cache)
 */
public record ModelSpec(String name, double memoryGb, double loadSeconds) {

    public ModelSpec {
        if (memoryGb < 0 || loadSeconds < 0) {
            throw new IllegalArgumentException("model '" + name + "': memoryGb and loadSeconds must be >= 0");
        }
    }
}
