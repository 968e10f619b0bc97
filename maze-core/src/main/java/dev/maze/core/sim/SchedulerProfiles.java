package dev.maze.core.sim;

import dev.maze.core.engine.HeadOfLine;
import dev.maze.core.placement.ModelAwarePlacement;
import dev.maze.core.placement.ModelResidency;
import dev.maze.core.placement.Placement;
import dev.maze.core.policy.AgentPolicy;
import dev.maze.core.policy.AgentPools;
import dev.maze.core.policy.DapsPolicy;
import dev.maze.core.policy.FcfsPolicy;
import dev.maze.core.policy.HacsPolicy;
import dev.maze.core.predict.EmaPredictor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The scheduler profiles the simulator compares, one line each. The Maze profiles reproduce Maze as coded: per
 * resource-class queues whose blocked head blocks its class, least-loaded placement (no model preference), start
 * times estimated by an EMA per resource class (io 2 s, cpu 5 s, gpu 30 s at first) and, on the Hugging Face
 * backend, every call loading its model.
 */
public final class SchedulerProfiles {

    private static final Map<String, SchedulerProfile> PROFILES = new LinkedHashMap<>();

    /** Least loaded only: Maze's get_least_loaded_node. */
    private static final Supplier<Placement> LEAST_LOADED = () -> new Placement(new Placement.Weights(1, 0, 0));
    private static final Supplier<dev.maze.core.predict.RuntimePredictor> MAZE_EMA =
            () -> new EmaPredictor(EmaPredictor.MAZE_INITIAL, 0.2);

    /** DAPS as coded, ordered least laxity first instead of submission first (Score still breaks ties). */
    private static final DapsPolicy.Config MARS_ORDER = DapsPolicy.Config.AS_CODED.withOrder(DapsPolicy.Order.LAXITY);

    static {
        add(new SchedulerProfile("daps", "Maze DAPS as coded; every call loads its model (Hugging Face backend)",
                () -> new DapsPolicy(DapsPolicy.Config.AS_CODED), LEAST_LOADED, ModelResidency.UNLOAD_AFTER_CALL,
                HeadOfLine.BLOCK_RESOURCE_CLASS, MAZE_EMA, null));
        add(new SchedulerProfile("daps-warm", "daps with models kept resident between calls, nothing else changed",
                () -> new DapsPolicy(DapsPolicy.Config.AS_CODED), LEAST_LOADED, ModelResidency.KEEP,
                HeadOfLine.BLOCK_RESOURCE_CLASS, MAZE_EMA, null));
        add(new SchedulerProfile("fcfs", "Maze FCFS (task-level, by arrival in the ready queue); every call loads its model",
                FcfsPolicy::new, LEAST_LOADED, ModelResidency.UNLOAD_AFTER_CALL, HeadOfLine.BLOCK_RESOURCE_CLASS,
                MAZE_EMA, null));
        add(new SchedulerProfile("hacs", "Maze HACS (dynamic, key fixed at submission); every call loads its model",
                () -> new HacsPolicy(HacsPolicy.Mode.DYNAMIC), LEAST_LOADED, ModelResidency.UNLOAD_AFTER_CALL,
                HeadOfLine.BLOCK_RESOURCE_CLASS, MAZE_EMA, null));
        add(new SchedulerProfile("mars-ordering", "daps-warm with mars's ordering alone: least laxity first across "
                + "workflows, and a blocked head reserves a node while later tasks backfill",
                () -> new DapsPolicy(MARS_ORDER), LEAST_LOADED, ModelResidency.KEEP,
                HeadOfLine.RESERVE_AND_BACKFILL, MAZE_EMA, null));
        add(new SchedulerProfile("mars-placement", "daps-warm with model-aware placement (resident model first, wait for "
                + "a GPU holding it rather than load, evict what is needed least)",
                () -> new DapsPolicy(DapsPolicy.Config.AS_CODED), ModelAwarePlacement::new, ModelResidency.KEEP,
                HeadOfLine.BLOCK_RESOURCE_CLASS, MAZE_EMA, null));
        add(new SchedulerProfile("mars", "Model-Aware Reuse Scheduler: mars-placement plus mars-ordering (least laxity "
                + "first; reservation with backfilling instead of a blocked queue per resource class)",
                () -> new DapsPolicy(MARS_ORDER), ModelAwarePlacement::new, ModelResidency.KEEP,
                HeadOfLine.RESERVE_AND_BACKFILL, MAZE_EMA, null));
        add(new SchedulerProfile("agent", "agent level: per-type pools (one agent per node), round robin, one workflow "
                + "per agent, tasks serial; agents keep their model loaded",
                AgentPolicy::new, LEAST_LOADED, ModelResidency.KEEP, HeadOfLine.RESERVE_AND_BACKFILL, MAZE_EMA,
                nodes -> new AgentPools(nodes, nodes)));
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
        add(profile);
    }

    /** Profile names, in the order reports list them. */
    public static Set<String> names() {
        return PROFILES.keySet();
    }

    /**
     * The profile called {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static SchedulerProfile get(String name) {
        SchedulerProfile profile = PROFILES.get(name);
        if (profile == null) {
            throw new IllegalArgumentException("unknown profile '" + name + "'; known profiles: " + String.join(", ", names()));
        }
        return profile;
    }
}
