package dev.maze.explore;

import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * {@code random}: uniformly among every allowed choice, a new trace (while allowed) counting as one choice beside each
 * free leaf. Unlike the other policies it does not open its traces first, so it is the baseline that knows nothing.
 */
final class RandomPolicy implements TracePolicy {

    @Override
    public Optional<Selection> choose(Candidates candidates, RandomGenerator random) {
        int roots = candidates.newRootAllowed() ? 1 : 0;
        int pick = random.nextInt(roots + candidates.available().size());
        if (pick < roots) {
            return Optional.of(Selection.NEW_ROOT);
        }
        return Optional.of(Selection.extend(candidates.available().get(pick - roots).id()));
    }
}
