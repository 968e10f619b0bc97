package dev.maze.placement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The allocators by name. */
public final class Allocators {

    private static final Map<String, LayerAllocator> BY_NAME = new LinkedHashMap<>();

    static {
        for (LayerAllocator allocator : List.of(new DpAllocator(), new GreedyAllocator(), new WaterfillAllocator())) {
            BY_NAME.put(allocator.name(), allocator);
        }
    }

    private Allocators() {}

    public static List<LayerAllocator> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** @throws IllegalArgumentException naming the known ones */
    public static LayerAllocator named(String name) {
        LayerAllocator allocator = BY_NAME.get(name);
        if (allocator == null) {
            throw new IllegalArgumentException("no allocator '" + name + "'; known: "
                    + String.join(", ", BY_NAME.keySet()));
        }
        return allocator;
    }
}
