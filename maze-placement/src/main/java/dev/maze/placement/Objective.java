package dev.maze.placement;

/** What an allocator optimises (maze-placement/README.md, "Allocators"). */
public enum Objective {
    /** One pipeline, the least bottleneck stage time: the most tokens per second. */
    THROUGHPUT,
    /** One pipeline, the least end-to-end latency: the stages plus the RTTs between them. */
    LATENCY,
    /** Disjoint pipelines (replicas), the most tokens per second in all, each within the latency limit. */
    REPLICAS;

    /** The name {@code --objective} takes. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the known ones */
    public static Objective named(String name) {
        for (Objective objective : values()) {
            if (objective.label().equals(name)) {
                return objective;
            }
        }
        throw new IllegalArgumentException("no objective '" + name + "'; known: throughput, latency, replicas");
    }
}
