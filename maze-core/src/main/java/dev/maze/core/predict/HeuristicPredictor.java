package dev.maze.core.predict;

import dev.maze.core.workflow.TaskSpec;
import java.util.Map;

/**
 * The fallback predictor: a fixed time per tool type where configured, else per resource class
 * (GPU 15 s, CPU 3 s, I/O 1 s).
 */
public final class HeuristicPredictor implements RuntimePredictor {

    /** Default seconds per resource class, as in Maze. */
    public static final Map<String, Double> CLASS_DEFAULTS = Map.of("gpu", 15.0, "cpu", 3.0, "io", 1.0);

    private final Map<String, Double> toolTypeSeconds;

    /** Resource-class defaults only. */
    public HeuristicPredictor() {
        this(Map.of());
    }

    /** @param toolTypeSeconds seconds per tool type, taking precedence over the resource class */
    public HeuristicPredictor(Map<String, Double> toolTypeSeconds) {
        this.toolTypeSeconds = Map.copyOf(toolTypeSeconds);
    }

    @Override
    public double predictSeconds(TaskSpec task) {
        Double byType = toolTypeSeconds.get(task.toolType());
        return byType != null ? byType : CLASS_DEFAULTS.get(task.resources().resourceClass());
    }
}
