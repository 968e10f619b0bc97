package dev.maze.core.sim;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One workflow type of a workload: its DAG and its share of the mix.
 *
 * @param name the type's name; arrivals of it are named {@code <name>-<n>} and statistics are kept per name
 * @param weight relative share of the mix (weights need not sum to anything; 0 = never drawn)
 * @param description free text, or null
 * @param spec the workflow of {@code sim} tasks, validated, without an id (each arrival gets its own)
 * @param samples tasks (by id) whose features and duration each arrival draws from measured runs; usually empty
 */
public record WorkloadType(String name, double weight, String description, WorkflowSpec spec,
        Map<String, SampleTable> samples) {

    public WorkloadType {
        samples = Map.copyOf(samples);
    }

    public WorkloadType(String name, double weight, String description, WorkflowSpec spec) {
        this(name, weight, description, spec, Map.of());
    }

    /**
     * The workflow of one arrival: the template itself, or, when some tasks replay measured runs, a copy in which
     * each of those tasks has one run's features and a constant duration of that run's time.
     */
    WorkflowSpec instantiate(String id, SplittableRandom random) {
        if (samples.isEmpty()) {
            return spec.withId(id);
        }
        List<TaskSpec> tasks = new ArrayList<>(spec.tasks().size());
        for (TaskSpec task : spec.tasks()) {
            SampleTable table = samples.get(task.id());
            if (table == null) {
                tasks.add(task);
                continue;
            }
            int row = random.nextInt(table.size());
            Map<String, Double> features = new HashMap<>(task.features());
            for (int f = 0; f < table.features().size(); f++) {
                features.put(table.features().get(f), table.rows()[row][f]);
            }
            ObjectNode inputs = task.inputs().deepCopy();
            inputs.set("duration", JsonNodeFactory.instance.objectNode().put("distribution", "constant")
                    .put("seconds", table.seconds()[row]));
            tasks.add(new TaskSpec(task.id(), task.kind(), task.toolType(), task.dependsOn(), task.resources(), inputs,
                    task.timeoutSeconds(), task.retries(), features, task.predictedSeconds()));
        }
        return new WorkflowSpec(id, spec.name(), spec.priorityClass(), spec.deadlineSeconds(), tasks, spec.source());
    }
}
