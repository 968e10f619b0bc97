package dev.maze.explore;

import java.util.List;
import java.util.Optional;

/**
 * One root-to-leaf path of an {@link ExperimentDag}: what a leaf was derived from, step by step.
 *
 * @param experiments from the root (first) to the leaf (last)
 * @param best the path's best experiment ({@link ExperimentDag#bestOf}), if any counts
 */
public record Trace(List<Experiment> experiments, Optional<Experiment> best) {

    public Trace {
        experiments = List.copyOf(experiments);
        if (experiments.isEmpty()) {
            throw new IllegalArgumentException("a trace has at least its root");
        }
    }

    /** Where the path starts. */
    public Experiment root() {
        return experiments.get(0);
    }

    /** Where it ends (an experiment without children). */
    public Experiment leaf() {
        return experiments.get(experiments.size() - 1);
    }

    /** Its number of experiments, the leaf's depth. */
    public int length() {
        return experiments.size();
    }
}
