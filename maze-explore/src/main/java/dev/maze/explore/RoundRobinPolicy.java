package dev.maze.explore;

import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * {@code round-robin}: new traces until the maximum, then the traces' leaves in turn. The free leaf with the lowest id
 * is the one committed longest ago, so each trace is extended in the order it was last grown (RD-Agent's round
 * robin takes the first free leaf in index order, which is the same).
 */
final class RoundRobinPolicy implements TracePolicy {

    @Override
    public Optional<Selection> choose(Candidates candidates, RandomGenerator random) {
        if (candidates.newRootAllowed()) {
            return Optional.of(Selection.NEW_ROOT);
        }
        return Optional.of(Selection.extend(candidates.available().get(0).id()));
    }
}
