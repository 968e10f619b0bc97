package dev.maze.explore;

import java.util.OptionalInt;

/**
 * One committed experiment of an {@link ExperimentDag}.
 *
 * @param id its place in commit order, from 0; a parent's id is always below its children's
 * @param parent the experiment it derived from, or empty for the root of a new trace
 * @param feedback what its run reported
 */
public record Experiment(int id, OptionalInt parent, Feedback feedback) {

    public Experiment {
        if (id < 0 || parent == null || feedback == null || parent.isPresent() && parent.getAsInt() >= id) {
            throw new IllegalArgumentException("experiment " + id + ": needs a parent committed before it (or none) "
                    + "and feedback");
        }
    }

    /** Whether it starts a trace (it has no parent). */
    public boolean isRoot() {
        return parent.isEmpty();
    }

    /** Whether it was accepted. */
    public boolean accepted() {
        return feedback.accepted();
    }

    /** Its score, or null when its run produced none. */
    public Double score() {
        return feedback.score();
    }

    /**
     * Whether it can be the best experiment: accepted and with a score. A rejected experiment does not count even when
     * its score is higher, because the exploration decided against it; an accepted one without a score cannot be
     * compared.
     */
    public boolean countsAsBest() {
        return feedback.accepted() && feedback.score() != null;
    }
}
