package dev.maze.core.sim;

import java.util.Set;

/** STAND-IN for the real simulator (being written on another branch); replaced at merge. */
public final class Simulation {

    private Simulation() {}

    /** Runs {@code workload} with scheduler {@code profile} on {@code seed}. */
    public static SimulationResult run(Workload workload, String profile, long seed) {
        throw new UnsupportedOperationException("stand-in: the simulator is not merged yet");
    }

    /** The scheduler profiles {@link #run} accepts. */
    public static Set<String> profiles() {
        return Set.of("daps", "fcfs", "hacs", "agent", "daps-warm");
    }
}
