package dev.maze.core.workflow;

import dev.maze.core.node.Resources;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One task of a workflow, as submitted. Immutable.
 *
 * @param id unique within the workflow
 * @param kind executor name ({@code sim}, {@code process}, {@code java}, ...)
 * @param toolType class of work for prediction (e.g. {@code llm_process}); never null, may be user-defined
 * @param dependsOn ids of the tasks that must finish first
 * @param resources what the task needs while it runs
 * @param inputs a JSON object, otherwise free-form; string values may hold templates such as {@code {{tasks.search.output.text}}}
 * @param timeoutSeconds a running attempt is killed after this long; null = no limit
 * @param retries what happens when an attempt fails
 * @param features numbers for the runtime predictor
 * @param predictedSeconds the user's own estimate of the run time, overriding the predictor; null = ask it
 */
public record TaskSpec(
        String id,
        String kind,
        String toolType,
        List<String> dependsOn,
        Resources resources,
        JsonNode inputs,
        Double timeoutSeconds,
        RetryPolicy retries,
        Map<String, Double> features,
        Double predictedSeconds) {

    public TaskSpec {
        dependsOn = List.copyOf(dependsOn);
        features = Map.copyOf(features);
    }
}
