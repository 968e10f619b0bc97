package dev.maze.offline;

/**
 * A model tasks call: its size (GB, what a switch moves over PCIe) and how many GPUs one copy needs (a contiguous
 * group of that many GPUs, all loading it together).
 */
public record Model(String name, double memoryGb, int gpusRequired) {

    public Model {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a model needs a name");
        }
        if (!(memoryGb >= 0) || Double.isInfinite(memoryGb)) {
            throw new IllegalArgumentException("model " + name + ": memoryGb must be 0 or more, not " + memoryGb);
        }
        if (gpusRequired < 1) {
            throw new IllegalArgumentException("model " + name + ": gpusRequired must be 1 or more, not " + gpusRequired);
        }
    }
}
