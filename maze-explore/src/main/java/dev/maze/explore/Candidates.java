package dev.maze.explore;

import java.util.List;
import java.util.Set;

/**
 * What the lease protocol offers a {@link TracePolicy} to choose from, valid during one
 * {@link TracePolicy#choose} call.
 *
 * @param dag the committed experiments (read it, never change it)
 * @param newRootAllowed whether a new trace may be started: committed roots plus roots in flight are below the
 *     maximum of traces
 * @param available the experiments the policy may extend, in commit order: with {@link TracePolicy.Scope#LEAVES} the
 *     leaves no lease holds, with {@link TracePolicy.Scope#NODES} every experiment no lease holds
 * @param leased the parents of the leases in flight (each holds one: never two in-flight children of one parent)
 * @param inFlightRoots the new-root leases in flight
 */
public record Candidates(ExperimentDag dag, boolean newRootAllowed, List<Experiment> available, Set<Integer> leased,
        int inFlightRoots) {

    public Candidates {
        available = List.copyOf(available);
        leased = Set.copyOf(leased);
    }

    /** Leases in flight, new roots included. */
    public int inFlight() {
        return leased.size() + inFlightRoots;
    }
}
