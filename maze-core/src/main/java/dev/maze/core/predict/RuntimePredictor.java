package dev.maze.core.predict;

import dev.maze.core.workflow.TaskSpec;
import java.util.List;
import java.util.Map;

/**
 * Predicts how long a task will run. Called on the engine loop for every task of every submitted workflow,
 * so it must answer in microseconds, never block and never throw; a predictor that cannot answer falls
 * back to a heuristic itself.
 *
 * <p>Features reach a predictor two ways: the task's own {@link TaskSpec#features()} (and whatever the predictor
 * derives from its inputs), and features its finished predecessors stated for it: a task whose output object has
 * a field {@code succ_task_feat} ({@code {"<successor id>" or "*": {"feature": number, ...}}}) passes those numbers
 * to its successors, as Maze's tasks do. The engine hands them over as one map per predecessor, in the order the
 * predecessors finished; how several predecessors' values combine is the predictor's choice.
 */
public interface RuntimePredictor {

    /** Predicted execution time of {@code task} in seconds, at least 0.1. */
    double predictSeconds(TaskSpec task);

    /**
     * Predicted execution time of {@code task} given the features its finished predecessors stated for it (empty
     * when none did). The default ignores them.
     */
    default double predictSeconds(TaskSpec task, List<Map<String, Double>> fromPredecessors) {
        return predictSeconds(task);
    }

    /** Learns from a finished attempt that ran {@code actualSeconds}. Must not block. */
    default void observe(TaskSpec task, double actualSeconds) {}

    /** Learns from a finished attempt, with the features its predecessors stated for it. Must not block. */
    default void observe(TaskSpec task, List<Map<String, Double>> fromPredecessors, double actualSeconds) {
        observe(task, actualSeconds);
    }
}
