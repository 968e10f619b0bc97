package dev.maze.core.policy;

import dev.maze.core.spec.SpecParameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The registry of ordering policies by name: one line per policy, no classpath scanning. Each engine gets a
 * fresh instance, because policies keep statistics. A policy is chosen by a spec {@code name} or
 * {@code name:key=value,key=value}, e.g. {@code daps:w1=3,w2=1,order=aging,aging=30}. DAPS parameters: {@code w1},
 * {@code w2}, {@code order} (submit|aging|laxity), {@code aging} (s), {@code maxInferences} (starting max_known_inferences),
 * {@code ema} (weight of a new sample in expected_dag_time's moving average; 0 = running mean) and {@code expected}
 * (the average's starting value, s). LTF parameters: {@code order} (submit|longest). The others take none.
 */
public final class OrderingPolicies {

    /** A policy's factory and the parameter keys it accepts. */
    private record Entry(List<String> keys, Function<SpecParameters, OrderingPolicy> factory) {}

    private static final List<String> DAPS_KEYS = List.of("w1", "w2", "order", "aging", "maxInferences", "ema", "expected");
    private static final Map<String, Entry> FACTORIES = new LinkedHashMap<>();

    static {
        add("daps", DAPS_KEYS, p -> daps(p, DapsPolicy.Order.SUBMIT_FIRST));
        add("daps-aging", DAPS_KEYS, p -> daps(p, DapsPolicy.Order.SCORE_AGING));
        add("daps-laxity", DAPS_KEYS, p -> daps(p, DapsPolicy.Order.LAXITY));
        add("fcfs", List.of(), p -> p.done(new FcfsPolicy()));
        add("agent", List.of(), p -> p.done(new AgentPolicy()));
        add("hacs", List.of(), p -> p.done(new HacsPolicy(HacsPolicy.Mode.DYNAMIC)));
        add("hacs-static", List.of(), p -> p.done(new HacsPolicy(HacsPolicy.Mode.STATIC)));
        add("ltf", List.of("order"), OrderingPolicies::ltf);
    }

    private static void add(String name, List<String> keys, Function<SpecParameters, OrderingPolicy> factory) {
        FACTORIES.put(name, new Entry(keys, factory));
    }

    private OrderingPolicies() {}

    /** Names that {@link #create} accepts, in registration order. */
    public static Set<String> names() {
        return FACTORIES.keySet();
    }

    /**
     * The parameter keys policy {@code name} accepts in a spec, in the order its documentation lists them (empty for
     * a policy that takes none).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static List<String> parameters(String name) {
        return entry(name).keys();
    }

    /**
     * A new policy instance from a spec ({@code name} or {@code name:key=value,...}).
     *
     * @throws IllegalArgumentException for an unknown name or parameter, or a bad value, saying what is accepted
     */
    public static OrderingPolicy create(String spec) {
        int colon = spec.indexOf(':');
        String name = colon < 0 ? spec : spec.substring(0, colon);
        Entry entry = entry(name);
        return entry.factory().apply(new SpecParameters("policy", name, entry.keys(), colon < 0 ? "" : spec.substring(colon + 1)));
    }

    private static Entry entry(String name) {
        Entry entry = FACTORIES.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("unknown policy '" + name + "'; known policies: " + String.join(", ", names()));
        }
        return entry;
    }

    private static OrderingPolicy ltf(SpecParameters p) {
        String order = p.text("order", "submit");
        return p.done(new LtfPolicy(switch (order) {
            case "submit" -> LtfPolicy.Order.SUBMIT_FIRST;
            case "longest" -> LtfPolicy.Order.LONGEST_FIRST;
            default -> throw new IllegalArgumentException(
                    "policy " + p.name() + ": order must be 'submit' or 'longest', got '" + order + "'");
        }));
    }

    private static OrderingPolicy daps(SpecParameters p, DapsPolicy.Order defaultOrder) {
        DapsPolicy.Config defaults = DapsPolicy.Config.DEFAULT;
        String order = p.text("order", switch (defaultOrder) {
            case SUBMIT_FIRST -> "submit";
            case SCORE_AGING -> "aging";
            case LAXITY -> "laxity";
        });
        DapsPolicy.Order parsedOrder = switch (order) {
            case "submit" -> DapsPolicy.Order.SUBMIT_FIRST;
            case "aging" -> DapsPolicy.Order.SCORE_AGING;
            case "laxity" -> DapsPolicy.Order.LAXITY;
            default -> throw new IllegalArgumentException(
                    "policy " + p.name() + ": order must be 'submit', 'aging' or 'laxity', got '" + order + "'");
        };
        return p.done(new DapsPolicy(new DapsPolicy.Config(
                p.number("w1", defaults.urgencyWeight()),
                p.number("w2", defaults.criticalityWeight()),
                parsedOrder,
                p.number("aging", defaults.agingSeconds()),
                (int) p.number("maxInferences", defaults.initialMaxInferences()),
                p.number("ema", defaults.expectedTimeWeight()),
                p.number("expected", defaults.initialExpectedSeconds()))));
    }
}
