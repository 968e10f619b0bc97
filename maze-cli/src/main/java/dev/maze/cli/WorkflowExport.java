package dev.maze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.maze.core.sim.Arrival;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.WorkflowSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Writes a simulated workload's arrivals as a workflow file that {@code maze run} reads: the same DAGs, resources,
 * features and {@code sim} durations, each submitted at its arrival time ({@code submitAt}), so a scheduling comparison
 * made on the virtual clock can be repeated on the wall clock. Times can be scaled down so that the real run is short.
 */
final class WorkflowExport {

    /** The numeric fields of a {@code sim} duration that are seconds (see the workflow format, section 6). */
    private static final Set<String> SECONDS_FIELDS = Set.of("seconds", "min", "max", "mean", "p95");

    private WorkflowExport() {}

    static void write(List<Arrival> arrivals, double timeScale, Path file) throws IOException {
        ArrayNode workflows = JsonNodeFactory.instance.arrayNode();
        for (Arrival arrival : arrivals) {
            ObjectNode workflow = workflow(arrival.spec(), timeScale);
            workflow.put("submitAt", arrival.atSeconds() * timeScale);
            workflows.add(workflow);
        }
        new YAMLMapper().writeValue(file.toFile(), workflows);
    }

    static ObjectNode workflow(WorkflowSpec spec, double timeScale) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", spec.id());
        node.put("name", spec.name());
        ArrayNode tasks = node.putArray("tasks");
        for (TaskSpec task : spec.tasks()) {
            ObjectNode out = tasks.addObject();
            out.put("id", task.id());
            out.put("kind", task.kind());
            out.put("toolType", task.toolType());
            if (!task.dependsOn().isEmpty()) {
                task.dependsOn().forEach(out.putArray("dependsOn")::add);
            }
            out.set("resources", resources(task.resources()));
            ObjectNode inputs = task.inputs().deepCopy();
            JsonNode duration = inputs.get("duration");
            if (duration != null) {
                inputs.set("duration", scaled(duration, timeScale));
            }
            out.set("inputs", inputs);
            if (!task.features().isEmpty()) {
                ObjectNode features = out.putObject("features");
                task.features().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                        .forEach(e -> features.put(e.getKey(), e.getValue()));
            }
        }
        return node;
    }

    private static ObjectNode resources(Resources resources) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("cpu", resources.cpu());
        if (resources.memoryGb() > 0) {
            node.put("memoryGb", resources.memoryGb());
        }
        node.put("gpus", resources.gpus());
        if (resources.gpuMemoryGb() > 0) {
            node.put("gpuMemoryGb", resources.gpuMemoryGb());
        }
        if (resources.model() != null) {
            node.put("model", resources.model());
        }
        return node;
    }

    private static JsonNode scaled(JsonNode duration, double timeScale) {
        if (duration.isNumber()) {
            return JsonNodeFactory.instance.numberNode(duration.asDouble() * timeScale);
        }
        ObjectNode copy = duration.deepCopy();
        for (String field : SECONDS_FIELDS) {
            if (copy.has(field)) {
                copy.put(field, copy.get(field).asDouble() * timeScale);
            }
        }
        if (copy.get("samples") instanceof ArrayNode samples) {
            ArrayNode scaledSamples = copy.putArray("samples");
            samples.forEach(sample -> scaledSamples.add(sample.asDouble() * timeScale));
        }
        return copy;
    }
}
