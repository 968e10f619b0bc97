package dev.maze.explore;

import dev.maze.core.spec.SpecParameters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The trace schedulers by name (maze-explore/README.md, "Schedulers"), each a {@link TracePolicy} inside the one lease
 * protocol. A spec is a name with optional parameters, {@code name:key=value,key=value}, as the engine's policies are
 * written: {@code sota:inverse=true,decay=0.8}, {@code mcts:c=1.4}.
 *
 * <table>
 *   <caption>Names and parameters</caption>
 *   <tr><td>round-robin</td><td>none</td></tr>
 *   <tr><td>probabilistic</td><td>temperature (default 1)</td></tr>
 *   <tr><td>trace-length</td><td>temperature, inverse (true or false, default false)</td></tr>
 *   <tr><td>sota</td><td>temperature, inverse, decay (above 0 up to 1, default 1)</td></tr>
 *   <tr><td>random</td><td>none</td></tr>
 *   <tr><td>mcts</td><td>c (0 or more, default 1)</td></tr>
 * </table>
 */
public final class TraceSchedulers {

    private static final String KIND = "scheduler";
    private static final Map<String, Function<String, TracePolicy>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("round-robin", text -> new SpecParameters(KIND, "round-robin", List.of(), text)
                .done(new RoundRobinPolicy()));
        BY_NAME.put("probabilistic", text -> {
            SpecParameters parameters = new SpecParameters(KIND, "probabilistic", List.of("temperature"), text);
            return parameters.done(new SoftmaxPolicy(SoftmaxPolicy.UNIFORM, temperature(parameters)));
        });
        BY_NAME.put("trace-length", text -> {
            SpecParameters parameters = new SpecParameters(KIND, "trace-length", List.of("temperature", "inverse"),
                    text);
            double temperature = temperature(parameters);
            return parameters.done(new SoftmaxPolicy(SoftmaxPolicy.traceLength(inverse(parameters)), temperature));
        });
        BY_NAME.put("sota", text -> {
            SpecParameters parameters = new SpecParameters(KIND, "sota", List.of("temperature", "inverse", "decay"),
                    text);
            double temperature = temperature(parameters);
            boolean inverse = inverse(parameters);
            double decay = parameters.number("decay", 1);
            if (!(decay > 0) || decay > 1) {
                throw new IllegalArgumentException("scheduler sota: decay must be above 0 and at most 1, not " + decay);
            }
            return parameters.done(new SoftmaxPolicy(SoftmaxPolicy.sota(inverse, decay), temperature));
        });
        BY_NAME.put("random", text -> new SpecParameters(KIND, "random", List.of(), text).done(new RandomPolicy()));
        BY_NAME.put("mcts", text -> {
            SpecParameters parameters = new SpecParameters(KIND, "mcts", List.of("c"), text);
            return parameters.done(new MctsPolicy(parameters.number("c", 1)));
        });
    }

    private TraceSchedulers() {}

    /** The names, in the order reports list them. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    /**
     * The policy a spec names.
     *
     * @throws IllegalArgumentException for an unknown name (naming the known ones), an unknown parameter or a value
     *     out of range
     */
    public static TracePolicy policy(String spec) {
        int colon = spec.indexOf(':');
        String name = (colon < 0 ? spec : spec.substring(0, colon)).trim();
        Function<String, TracePolicy> policy = BY_NAME.get(name);
        if (policy == null) {
            throw new IllegalArgumentException("no scheduler '" + name + "'; known: " + String.join(", ", names()));
        }
        return policy.apply(colon < 0 ? "" : spec.substring(colon + 1));
    }

    /**
     * A scheduler with the policy {@code spec} names, owning {@code dag} from now on.
     *
     * @param maxTraceNum the most traces it starts, at least 1
     * @param random every random choice of the policy comes from it (seed it for a reproducible exploration)
     * @throws IllegalArgumentException for a spec {@link #policy} refuses or a maximum below 1
     */
    public static TraceScheduler create(String spec, ExperimentDag dag, int maxTraceNum, RandomGenerator random) {
        return create(spec, policy(spec), dag, maxTraceNum, random);
    }

    /** A scheduler around a policy of one's own, called {@code name}, owning {@code dag} from now on. */
    public static TraceScheduler create(String name, TracePolicy policy, ExperimentDag dag, int maxTraceNum,
            RandomGenerator random) {
        return new LeaseProtocol(name, policy, dag, maxTraceNum, random);
    }

    private static double temperature(SpecParameters parameters) {
        double temperature = parameters.number("temperature", 1);
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("scheduler " + parameters.name() + ": temperature must be above 0");
        }
        return temperature;
    }

    private static boolean inverse(SpecParameters parameters) {
        String inverse = parameters.text("inverse", "false");
        return switch (inverse) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("scheduler " + parameters.name()
                    + ": inverse must be true or false, not '" + inverse + "'");
        };
    }
}
