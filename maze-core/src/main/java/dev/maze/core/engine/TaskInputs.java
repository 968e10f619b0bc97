package dev.maze.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.workflow.InputTemplates;
import java.util.HashMap;
import java.util.Map;

/** A task's inputs as its attempt gets them: templates resolved against the outputs of its workflow's finished tasks. */
final class TaskInputs {

    private TaskInputs() {}

    /**
     * The rendered inputs ({@code {{tasks.<id>.output...}}}, {@code {{workflow.id}}}, {@code {{workflow.name}}}), from
     * the outputs of the finished tasks its templates name.
     *
     * @throws RuntimeException when a template cannot be resolved (the message says which)
     */
    static JsonNode render(TaskRun task) {
        WorkflowRun run = task.workflow;
        int[] sources = run.shape.templateSources[task.topologicalIndex];
        if (sources == null) {
            return task.spec.inputs();
        }
        Map<String, Object> tasks = new HashMap<>();
        for (int source : sources) {
            TaskRun other = run.tasks[source];
            if (other.state == TaskState.FINISHED) {
                tasks.put(other.spec.id(), Map.of("output", InputTemplates.toTemplateValue(other.output)));
            }
        }
        return InputTemplates.render(task.spec.inputs(),
                Map.of("tasks", tasks, "workflow", Map.of("id", run.id, "name", run.spec.name())));
    }
}
