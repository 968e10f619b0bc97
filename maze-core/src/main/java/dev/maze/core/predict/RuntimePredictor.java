package dev.maze.core.predict;

import dev.maze.core.workflow.TaskSpec;

/**
 * Predicts how long a task will run. Called on the engine loop for every task of every submitted workflow,
 * so it must answer in microseconds, never block and never throw; a predictor that cannot answer falls
 * back to a heuristic itself.
 */
public interface RuntimePredictor {

    /** Predicted execution time of {@code task} in seconds, at least 0.1. */
    double predictSeconds(TaskSpec task);

    /** Learns from a finished attempt that ran {@code actualSeconds}. Must not block. */
    default void observe(TaskSpec task, double actualSeconds) {}
}
