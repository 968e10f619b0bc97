package dev.maze.core.sim;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The shape of a workload document: which fields each object may hold. The reader checks documents against it
 * (unknown fields are errors), and overrides walk it to know which missing fields they may create.
 */
final class WorkloadSchema {

    private WorkloadSchema() {}

    /** What may sit at one place of the document. */
    sealed interface Shape permits Fields, Named, Free {}

    /**
     * An object with a fixed set of fields.
     *
     * @param what how a user would call the object, for messages ("a model")
     */
    record Fields(String what, Map<String, Shape> fields) implements Shape {}

    /**
     * A map from user-chosen names to elements ({@code models}, {@code classes}) when {@code list} is false; a list
     * whose elements are addressed by index or by their {@code key} field ({@code types} by name) when true.
     *
     * @param what the elements, for messages ("model", "workflow type")
     * @param key field naming a list element, or null when only indices address it
     */
    record Named(String what, Shape element, boolean list, String key) implements Shape {}

    /** A value or a free-form object (a duration distribution, a list of ids). */
    record Free() implements Shape {}

    static final Shape FREE = new Free();

    static final Fields RESOURCES = fields("resources", "cpu", FREE, "memoryGb", FREE, "gpus", FREE,
            "gpuMemoryGb", FREE, "model", FREE);

    static final Fields NODE_GROUP = fields("a node group", "count", FREE, "id", FREE, "idPrefix", FREE,
            "cpu", FREE, "memoryGb", FREE, "gpus", FREE, "gpuMemoryGb", FREE, "allowedModels", FREE);

    static final Fields CLUSTER = fields("the cluster", "nodes", new Named("node group", NODE_GROUP, true, "idPrefix"));

    static final Fields MODEL = fields("a model", "description", FREE, "memoryGb", FREE, "loadSeconds", FREE,
            "sizeGb", FREE, "bandwidthGbPerSec", FREE, "concurrency", FREE, "slowdownPerExtraCall", FREE);

    static final Fields TASK_CLASS = fields("a task class", "description", FREE, "toolType", FREE, "model", FREE,
            "resources", RESOURCES, "duration", FREE);

    static final Fields TASK = fields("a task", "id", FREE, "class", FREE, "toolType", FREE, "model", FREE,
            "resources", RESOURCES, "duration", FREE, "dependsOn", FREE);

    static final Fields TYPE = fields("a workflow type", "name", FREE, "description", FREE, "weight", FREE,
            "tasks", new Named("task", TASK, true, "id"));

    static final Fields PHASE = fields("a phase", "name", FREE, "durationSeconds", FREE, "rate", FREE);

    static final Fields BATCH = fields("a batch", "count", FREE, "atSeconds", FREE);

    static final Fields ARRIVALS = fields("the arrivals", "scale", FREE, "phases", new Named("phase", PHASE, true, "name"),
            "batch", BATCH, "trace", FREE);

    static final Fields ROOT = fields("the workload", "name", FREE, "description", FREE, "seed", FREE,
            "cluster", CLUSTER,
            "models", new Named("model", MODEL, false, null),
            "classes", new Named("task class", TASK_CLASS, false, null),
            "types", new Named("workflow type", TYPE, true, "name"),
            "arrivals", ARRIVALS);

    private static Fields fields(String what, Object... namesAndShapes) {
        Map<String, Shape> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndShapes.length; i += 2) {
            fields.put((String) namesAndShapes[i], (Shape) namesAndShapes[i + 1]);
        }
        return new Fields(what, fields);
    }

    /** The field names of {@code shape}, for "known fields: ..." in messages. */
    static Set<String> names(Fields shape) {
        return shape.fields().keySet();
    }


    /** "a, b, c" in sorted order, or "none". */
    static String list(Collection<String> names) {
        return names.isEmpty() ? "none" : String.join(", ", new TreeSet<>(names));
    }

}
