package dev.maze.explore;

import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One job: choose the next experiment's parent among the candidates the lease protocol offers (maze-explore/README.md,
 * "Schedulers"). The protocol ({@link TraceSchedulers#create}) owns the leases, the lock and the waiting; a policy only
 * chooses, and is called under the protocol's lock, one call at a time.
 */
public interface TracePolicy {

    /** Which experiments a policy may extend. */
    enum Scope {
        /** Leaves only: every trace stays a chain. */
        LEAVES,
        /** Any experiment: a trace may branch. */
        NODES
    }

    /** What the protocol offers in {@link Candidates#available()}; leaves by default. */
    default Scope scope() {
        return Scope.LEAVES;
    }

    /**
     * Chooses {@link Selection#NEW_ROOT} (only when {@link Candidates#newRootAllowed()}) or one of
     * {@link Candidates#available()}. Called only when at least one of them is possible.
     *
     * @param random every random choice comes from it; ties are broken without it, deterministically
     * @return the choice, or empty to wait for the next commit or release
     */
    Optional<Selection> choose(Candidates candidates, RandomGenerator random);
}
