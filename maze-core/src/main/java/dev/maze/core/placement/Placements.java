package dev.maze.core.placement;

import dev.maze.core.spec.SpecParameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The registry of placements by name, one line each. A placement is chosen by a spec {@code name} or
 * {@code name:key=value,...}:
 * <ul>
 *   <li>{@code default}: Maze's placement, least loaded + model resident + workflow affinity; parameters are the
 *       weights, {@code leastLoaded} (1), {@code modelResident} (2) and {@code affinity} (0.5), e.g.
 *       {@code default:modelResident=0};
 *   <li>{@code least-loaded}: least loaded only (Maze's {@code get_least_loaded_node}, the Maze profiles'); no
 *       parameters;
 *   <li>{@code model-aware}: mars's {@link ModelAwarePlacement}; no parameters.
 * </ul>
 * Each call builds a new instance. A misspelt name or key is an error that lists the known ones.
 */
public final class Placements {

    private static final Map<String, Function<SpecParameters, Placement>> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put("default", p -> {
            Placement.Weights defaults = Placement.Weights.DEFAULT;
            Placement.Weights weights = new Placement.Weights(p.number("leastLoaded", defaults.leastLoaded()),
                    p.number("modelResident", defaults.modelResident()), p.number("affinity", defaults.affinity()));
            return p.done(new Placement(weights), "leastLoaded", "modelResident", "affinity");
        });
        FACTORIES.put("least-loaded", p -> p.done(Placement.builder("least-loaded")
                .score(new PlacementPlugins.LeastLoaded(), 1).build()));
        FACTORIES.put("model-aware", p -> p.done(new ModelAwarePlacement()));
    }

    private Placements() {}

    /** Names that {@link #create} accepts, in registration order. */
    public static Set<String> names() {
        return FACTORIES.keySet();
    }

    /**
     * A new placement from a spec ({@code name} or {@code name:key=value,...}).
     *
     * @throws IllegalArgumentException for an unknown name or parameter, or a bad value, saying what is accepted
     */
    public static Placement create(String spec) {
        int colon = spec.indexOf(':');
        String name = (colon < 0 ? spec : spec.substring(0, colon)).trim();
        Function<SpecParameters, Placement> factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown placement '" + name + "'; known placements: "
                    + String.join(", ", names()));
        }
        return factory.apply(new SpecParameters("placement", name, List.of(), colon < 0 ? "" : spec.substring(colon + 1)));
    }
}
