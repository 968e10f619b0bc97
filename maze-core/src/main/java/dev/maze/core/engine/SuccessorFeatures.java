package dev.maze.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.workflow.TaskSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The features finished predecessors stated for one task in their {@code succ_task_feat} output (Maze's name), which
 * the predictor reads with the task's own inputs. Kept out of the loop: the loop only hands a finished task's
 * statement to its successors.
 */
final class SuccessorFeatures {

    /** The output field in which a task states features for its successors. */
    static final String FIELD = "succ_task_feat";

    private List<Map<String, Double>> stated;

    /** The output field in which a task states the features it measured of itself (Maze's name). */
    static final String MEASURED_FIELD = "curr_task_feat";

    /**
     * {@code task} with the features its output says it measured of itself ({@code curr_task_feat}: a model call's
     * prompt tokens after templating, say) over its own, for the predictor to learn from; {@code task} when none.
     */
    static TaskSpec withMeasured(TaskSpec task, JsonNode output) {
        JsonNode measured = output == null ? null : output.get(MEASURED_FIELD);
        if (measured == null || !measured.isObject()) {
            return task;
        }
        Map<String, Double> features = new LinkedHashMap<>(task.features());
        features.putAll(numbers(measured));
        return new TaskSpec(task.id(), task.kind(), task.toolType(), task.dependsOn(), task.resources(), task.inputs(),
                task.timeoutSeconds(), task.retries(), features, task.predictedSeconds());
    }

    /** The numbers (and booleans, as 1/0) of an object; anything else is left out, so a malformed hint fails nothing. */
    private static Map<String, Double> numbers(JsonNode object) {
        Map<String, Double> features = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            JsonNode value = field.getValue();
            if (value.isNumber() && Double.isFinite(value.asDouble())) {
                features.put(field.getKey(), value.asDouble());
            } else if (value.isBoolean()) {
                features.put(field.getKey(), value.asBoolean() ? 1.0 : 0.0);
            }
        }
        return features;
    }

    /** What {@code output} states for successors, or null. */
    static JsonNode statedBy(JsonNode output) {
        return output == null ? null : output.get(FIELD);
    }

    /** Features stated so far for this task, one map per predecessor that stated any. */
    List<Map<String, Double>> fromPredecessors() {
        return stated == null ? List.of() : stated;
    }

    /**
     * Takes what a finished predecessor stated for the task {@code taskId}: the entry under its id, else the one under
     * {@code "*"} (for every successor). Numbers and booleans (1/0) are kept; anything else is ignored, because a
     * malformed hint must not fail the workflow.
     */
    void addFromPredecessor(JsonNode statement, String taskId) {
        JsonNode mine = statement.get(taskId);
        if (mine == null) {
            mine = statement.get("*");
        }
        if (mine == null || !mine.isObject()) {
            return;
        }
        Map<String, Double> features = numbers(mine);
        if (!features.isEmpty()) {
            if (stated == null) {
                stated = new ArrayList<>(2);
            }
            stated.add(Map.copyOf(features));
        }
    }
}
