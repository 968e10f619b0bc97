package dev.maze.placement;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The routers by name; each {@link #create} makes a fresh one (routers keep per-user state). */
public final class Routers {

    private static final Map<String, Supplier<RequestRouter>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("round-robin", RoundRobinRouter::new);
        BY_NAME.put("dp", () -> new DpRouter(false));
        BY_NAME.put("dp-mid", () -> new DpRouter(true));
        BY_NAME.put("max-flow", MaxFlowRouter::new);
    }

    private Routers() {}

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /** @throws IllegalArgumentException naming the known ones */
    public static RequestRouter create(String name) {
        Supplier<RequestRouter> router = BY_NAME.get(name);
        if (router == null) {
            throw new IllegalArgumentException("no router '" + name + "'; known: " + String.join(", ", BY_NAME.keySet()));
        }
        return router.get();
    }
}
