package dev.maze.core.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The registry of ordering policies by name: one line per policy, no classpath scanning. Each engine gets
 * a fresh instance, because policies keep statistics.
 */
public final class OrderingPolicies {

    private static final Map<String, Supplier<OrderingPolicy>> FACTORIES = new LinkedHashMap<>();

    static {
        FACTORIES.put("daps", DapsPolicy::new);
        FACTORIES.put("daps-aging", () -> new DapsPolicy(new DapsPolicy.Config(2.0, 1.0,
                DapsPolicy.Order.SCORE_AGING, DapsPolicy.Config.DEFAULT.agingSeconds(), 0)));
        FACTORIES.put("fcfs", FcfsPolicy::new);
        FACTORIES.put("agent", AgentPolicy::new);
    }

    private OrderingPolicies() {}

    /** Names that {@link #create} accepts, in registration order. */
    public static Set<String> names() {
        return FACTORIES.keySet();
    }

    /**
     * A new policy instance.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static OrderingPolicy create(String name) {
        Supplier<OrderingPolicy> factory = FACTORIES.get(name);
        if (factory == null) {
            throw new IllegalArgumentException("unknown policy '" + name + "'; known policies: " + String.join(", ", names()));
        }
        return factory.get();
    }
}
