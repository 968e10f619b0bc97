package dev.maze.core.predict;

import dev.maze.core.workflow.TaskSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * Maze's start-of-run estimator: an exponential moving average of observed run times per resource class
 * ({@code gpu}, {@code cpu}, {@code io}), starting from fixed values. {@code new = (1 - w) * old + w * observed}.
 */
public final class EmaPredictor implements RuntimePredictor {

    /** Maze's starting values: io 2 s, cpu 5 s, gpu 30 s. */
    public static final Map<String, Double> MAZE_INITIAL = Map.of("io", 2.0, "cpu", 5.0, "gpu", 30.0);

    private final Map<String, Double> estimates;
    private final double newWeight;

    /**
     * @param initialSeconds starting estimate per resource class
     * @param newWeight weight of a new observation, 0..1 (Maze: 0.2)
     */
    public EmaPredictor(Map<String, Double> initialSeconds, double newWeight) {
        if (!(newWeight > 0 && newWeight <= 1)) {
            throw new IllegalArgumentException("newWeight must be in (0, 1], got " + newWeight);
        }
        this.estimates = new HashMap<>(initialSeconds);
        this.newWeight = newWeight;
    }

    @Override
    public double predictSeconds(TaskSpec task) {
        String resourceClass = task.resources().resourceClass();
        Double estimate = estimates.get(resourceClass);
        return Math.max(0.1, estimate != null ? estimate : HeuristicPredictor.CLASS_DEFAULTS.get(resourceClass));
    }

    @Override
    public void observe(TaskSpec task, double actualSeconds) {
        estimates.merge(task.resources().resourceClass(), actualSeconds,
                (old, observed) -> (1 - newWeight) * old + newWeight * observed);
    }
}
