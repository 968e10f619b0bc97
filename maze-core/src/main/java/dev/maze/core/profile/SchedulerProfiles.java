package dev.maze.core.profile;

import dev.maze.core.spec.SpecParameters;
import dev.maze.core.engine.HeadOfLine;
import dev.maze.core.placement.ModelAwarePlacement;
import dev.maze.core.placement.ModelResidency;
import dev.maze.core.placement.Placement;
import dev.maze.core.policy.AgentPools;
import dev.maze.core.policy.OrderingPolicies;
import dev.maze.core.predict.EmaPredictor;
import dev.maze.core.profile.SchedulerProfile.Parameter;
import dev.maze.core.profile.SchedulerProfile.Predictor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The registry of scheduler profiles, one line each: what {@code maze simulate} compares and {@code maze run
 * --profile} runs. The Maze profiles reproduce Maze as coded: per resource-class queues whose blocked head blocks its
 * class, least-loaded placement (no model preference), run times estimated by an EMA per resource class (io 2 s, cpu
 * 5 s, gpu 30 s at first) and, on the Hugging Face backend, every call loading its model.
 *
 * <p>A profile is chosen by a spec, {@code name} or {@code name:key=value,...}. A key that is one of the profile's own
 * parameters (only {@code agent} has one: {@code agents}) sets it; every other key goes to the profile's ordering
 * policy, through {@link OrderingPolicies}, overriding what the profile sets: {@code daps:w1=0,w2=1} is profile
 * {@code daps} with DAPS weights 0 and 1, everything else as in {@code daps}.
 */
public final class SchedulerProfiles {

    private static final Map<String, SchedulerProfile> PROFILES = new LinkedHashMap<>();

    /** Least loaded only: Maze's get_least_loaded_node. */
    private static final Supplier<Placement> LEAST_LOADED = () -> new Placement(new Placement.Weights(1, 0, 0));

    /** Maze's start-of-run estimator: an EMA per resource class from io 2 / cpu 5 / gpu 30 s, new weight 0.2. */
    public static final Predictor MAZE_EMA = new Predictor("Maze's moving average per resource class", false,
            () -> new EmaPredictor(EmaPredictor.MAZE_INITIAL, 0.2));

    /** DAPS as coded ({@code DapsPolicy.Config.AS_CODED}): max_known_inferences from 10, expected_dag_time EMA 0.2. */
    private static final String DAPS_AS_CODED = "daps:maxInferences=10,ema=0.2";
    /** DAPS as coded, ordered least laxity first instead of submission first (Score still breaks ties). */
    private static final String MARS_ORDER = "daps-laxity:maxInferences=10,ema=0.2";

    /** Profile {@code agent}'s pool size: agents per workflow type. */
    static final Parameter AGENTS = new Parameter("agents",
            "agents per workflow type: 1 (default: one agent per type, as in the Maze artifact's agent-level runs), "
                    + "a number N, or per-node (one agent per node per type)",
            (profile, value) -> {
                if (value.equals("per-node")) {
                    return profile.withAdmission(nodes -> new AgentPools(nodes, nodes));
                }
                int agents;
                try {
                    agents = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    agents = 0;
                }
                if (agents < 1) {
                    throw new IllegalArgumentException("agents must be a whole number >= 1 or 'per-node', got '" + value + "'");
                }
                int perType = agents;
                return profile.withAdmission(nodes -> new AgentPools(perType, nodes));
            });

    static {
        add(new SchedulerProfile("daps", "Maze DAPS as coded; every call loads its model (Hugging Face backend)",
                DAPS_AS_CODED, LEAST_LOADED, ModelResidency.UNLOAD_AFTER_CALL, HeadOfLine.BLOCK_RESOURCE_CLASS, MAZE_EMA,
                null, List.of()));
        add(new SchedulerProfile("daps-warm", "daps with models kept resident between calls, nothing else changed",
                DAPS_AS_CODED, LEAST_LOADED, ModelResidency.KEEP, HeadOfLine.BLOCK_RESOURCE_CLASS, MAZE_EMA, null,
                List.of()));
        add(new SchedulerProfile("fcfs", "Maze FCFS (task-level, by arrival in the ready queue); every call loads its model",
                "fcfs", LEAST_LOADED, ModelResidency.UNLOAD_AFTER_CALL, HeadOfLine.BLOCK_RESOURCE_CLASS, MAZE_EMA, null,
                List.of()));
        add(new SchedulerProfile("hacs", "Maze HACS (dynamic, key fixed at submission); every call loads its model",
                "hacs", LEAST_LOADED, ModelResidency.UNLOAD_AFTER_CALL, HeadOfLine.BLOCK_RESOURCE_CLASS, MAZE_EMA, null,
                List.of()));
        add(new SchedulerProfile("ltf", "Maze LTF as coded (workflows by submission, then longest predicted task first); "
                + "every call loads its model",
                "ltf", LEAST_LOADED, ModelResidency.UNLOAD_AFTER_CALL, HeadOfLine.BLOCK_RESOURCE_CLASS, MAZE_EMA, null,
                List.of()));
        add(new SchedulerProfile("mars-ordering", "daps-warm with mars's ordering alone: least laxity first across "
                + "workflows, and a blocked head reserves a node while later tasks backfill",
                MARS_ORDER, LEAST_LOADED, ModelResidency.KEEP, HeadOfLine.RESERVE_AND_BACKFILL, MAZE_EMA, null, List.of()));
        add(new SchedulerProfile("mars-placement", "daps-warm with model-aware placement (resident model first, wait for "
                + "a GPU holding it rather than load, evict what is needed least)",
                DAPS_AS_CODED, ModelAwarePlacement::new, ModelResidency.KEEP, HeadOfLine.BLOCK_RESOURCE_CLASS, MAZE_EMA,
                null, List.of()));
        add(new SchedulerProfile("mars", "Model-Aware Reuse Scheduler: mars-placement plus mars-ordering (least laxity "
                + "first; reservation with backfilling instead of a blocked queue per resource class)",
                MARS_ORDER, ModelAwarePlacement::new, ModelResidency.KEEP, HeadOfLine.RESERVE_AND_BACKFILL, MAZE_EMA,
                null, List.of()));
        add(new SchedulerProfile("agent", "agent level: a pool per workflow type (one agent; agents=N or per-node for "
                + "more), round robin, one workflow per agent, tasks serial; agents keep their model loaded",
                "agent", LEAST_LOADED, ModelResidency.KEEP, HeadOfLine.RESERVE_AND_BACKFILL, MAZE_EMA,
                nodes -> new AgentPools(1, nodes), List.of(AGENTS)));
    }

    private SchedulerProfiles() {}

    private static void add(SchedulerProfile profile) {
        PROFILES.put(profile.name(), profile);
    }

    /**
     * Adds a profile built outside this module (the learned predictor's profiles live with the predictor, which
     * depends on this module, not the other way round). Registering a name again replaces that profile.
     */
    public static synchronized void register(SchedulerProfile profile) {
        if (profile.name().contains(":")) {
            throw new IllegalArgumentException("a profile's name cannot contain ':' (it starts parameters): " + profile.name());
        }
        add(profile);
    }

    /** Profile names, in the order reports list them. */
    public static Set<String> names() {
        return PROFILES.keySet();
    }

    /** Every registered profile, in the order of {@link #names()}. */
    public static Collection<SchedulerProfile> all() {
        return PROFILES.values();
    }

    /**
     * The profile a spec names: {@code name}, or {@code name:key=value,...} with the profile's own parameters and its
     * ordering's parameters (see the class comment). The profile returned by a spec with parameters is named by the
     * whole spec.
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones), an unknown key (naming the
     *     profile's keys and its ordering's), or a bad value
     */
    public static SchedulerProfile get(String spec) {
        int colon = spec.indexOf(':');
        String name = (colon < 0 ? spec : spec.substring(0, colon)).trim();
        SchedulerProfile profile = PROFILES.get(name);
        if (profile == null) {
            throw new IllegalArgumentException("unknown profile '" + name + "'; known profiles: " + String.join(", ", names()));
        }
        return colon < 0 || spec.substring(colon + 1).isBlank() ? profile : withParameters(profile, spec.substring(colon + 1));
    }

    /**
     * Ordering {@code orderingSpec} alone on the engine's defaults: placement by least load, resident model and the
     * workflow's previous node ({@code new Placement()}), models kept resident, a blocked head reserving a node while
     * later tasks backfill, every workflow admitted at once. What {@code maze run --policy} runs.
     *
     * @throws IllegalArgumentException for a spec {@link OrderingPolicies} refuses, with its message
     */
    public static SchedulerProfile orderingOnly(String orderingSpec, Predictor predictor) {
        return new SchedulerProfile(orderingSpec, "ordering " + orderingSpec + " on the engine's defaults", orderingSpec,
                Placement::new, ModelResidency.KEEP, HeadOfLine.RESERVE_AND_BACKFILL, predictor, null, List.of());
    }

    private static SchedulerProfile withParameters(SchedulerProfile base, String text) {
        String label = base.name() + ":" + text.trim();
        String orderingName = SchedulerProfile.orderingName(base.ordering());
        List<String> orderingKeys = OrderingPolicies.parameters(orderingName);
        Map<String, String> ordering = specParameters(base.ordering());
        SchedulerProfile profile = base;
        List<String> unknown = new ArrayList<>();
        List<String> overridden = new ArrayList<>();
        for (Map.Entry<String, String> pair : SpecParameters.pairs("profile", base.name(), text).entrySet()) {
            String key = pair.getKey();
            String value = pair.getValue();
            Parameter own = base.parameters().stream().filter(p -> p.key().equals(key)).findFirst().orElse(null);
            if (own != null) {
                try {
                    profile = own.apply().apply(profile, value);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("profile " + base.name() + ": " + e.getMessage(), e);
                }
            } else if (orderingKeys.contains(key)) {
                ordering.put(key, value);
            } else {
                unknown.add("'" + key + "'");
                continue;
            }
            overridden.add(key + "=" + value);
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("profile " + base.name() + ": unknown parameter" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", unknown) + "; " + describeKeys(base, orderingName, orderingKeys));
        }
        StringBuilder orderingSpec = new StringBuilder(orderingName);
        String separator = ":";
        for (Map.Entry<String, String> entry : ordering.entrySet()) {
            orderingSpec.append(separator).append(entry.getKey()).append('=').append(entry.getValue());
            separator = ",";
        }
        try {
            return new SchedulerProfile(label, profile.description() + " (" + String.join(", ", overridden) + ")",
                    orderingSpec.toString(), profile.placement(), profile.residency(), profile.headOfLine(),
                    profile.predictor(), profile.admission(), profile.parameters());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("profile " + base.name() + ": " + e.getMessage(), e);
        }
    }

    /** "its own parameters: agents (…); its ordering agent takes none", for error messages and help. */
    static String describeKeys(SchedulerProfile profile, String orderingName, List<String> orderingKeys) {
        StringBuilder text = new StringBuilder();
        if (profile.parameters().isEmpty()) {
            text.append("the profile has no parameters of its own");
        } else {
            text.append("the profile's own: ");
            for (int i = 0; i < profile.parameters().size(); i++) {
                Parameter parameter = profile.parameters().get(i);
                text.append(i == 0 ? "" : "; ").append(parameter.key()).append(" (").append(parameter.description()).append(')');
            }
        }
        text.append("; its ordering ").append(orderingName)
                .append(orderingKeys.isEmpty() ? " takes none" : " takes " + String.join(", ", orderingKeys));
        return text.toString();
    }

    /** The key=value pairs of an ordering spec written in this class, in order. */
    private static Map<String, String> specParameters(String spec) {
        int colon = spec.indexOf(':');
        return colon < 0 ? new LinkedHashMap<>()
                : SpecParameters.pairs("policy", spec.substring(0, colon), spec.substring(colon + 1));
    }
}
