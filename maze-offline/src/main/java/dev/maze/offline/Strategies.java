package dev.maze.offline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The strategies by name, in the order {@code --strategy all} runs them. */
public final class Strategies {

    private static final Map<String, Strategy> BY_NAME = new LinkedHashMap<>();

    static {
        for (Strategy strategy : List.of(new DynamicStrategy(), new BatchStrategy(), new HeftStrategy(),
                new AffinityStrategy())) {
            BY_NAME.put(strategy.name(), strategy);
        }
    }

    private Strategies() {}

    public static List<Strategy> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** @throws IllegalArgumentException naming the known ones */
    public static Strategy named(String name) {
        Strategy strategy = BY_NAME.get(name);
        if (strategy == null) {
            throw new IllegalArgumentException("no strategy '" + name + "'; known: " + String.join(", ", BY_NAME.keySet())
                    + ", all");
        }
        return strategy;
    }
}
