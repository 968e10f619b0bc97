package dev.maze.offline;

import static dev.maze.core.workflow.JsonFields.known;
import static dev.maze.core.workflow.JsonFields.number;
import static dev.maze.core.workflow.JsonFields.object;
import static dev.maze.core.workflow.JsonFields.text;
import static dev.maze.core.workflow.JsonFields.whole;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.maze.core.node.Resources;
import dev.maze.core.predict.RuntimePredictor;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.TaskSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a Maze batch file: a backlog of requests to plan, in YAML ({@code .yaml}, {@code .yml}) or JSON (anything
 * else), as maze-offline/README.md ("Batch files") describes:
 *
 * <pre>
 * cluster: {gpus: 4, gpuMemoryGb: 80, pcieGbPerSecond: 25, switchOverheadSeconds: 2, initialModels: [a, a, b, null]}
 * models: [{name: a, memoryGb: 16, gpusRequired: 1}, ...]
 * requests: [{name: r1, tasks: [{id: t1, model: a, seconds: 12}, {id: t2, model: a, seconds: 3, after: [t1]}]}]
 * </pre>
 *
 * Task ids are scoped to their request: task {@code t2} of request {@code r1} is {@code r1/t2} in the problem, and
 * {@code after} (or {@code dependsOn}) names tasks of the same request. Every error names the file, the request and
 * task, and the field; an unknown field is an error (a misspelt {@code dependsOn} would silently drop an edge).
 */
public final class BatchFile {

    private static final Set<String> TOP = Set.of("cluster", "models", "requests");
    private static final Set<String> CLUSTER = Set.of("gpus", "gpuMemoryGb", "pcieGbPerSecond",
            "switchOverheadSeconds", "initialModels");
    private static final Set<String> MODEL = Set.of("name", "memoryGb", "gpusRequired");
    private static final Set<String> REQUEST = Set.of("name", "tasks");
    private static final Set<String> TASK = Set.of("id", "model", "seconds", "after", "dependsOn", "toolType", "inputs",
            "features");
    /** The tool type of a task that names none: a batch's tasks are model calls. */
    static final String DEFAULT_TOOL_TYPE = "llm_process";

    private BatchFile() {}

    /**
     * The problem {@code file} describes.
     *
     * @param gpus when not null, the cluster's GPU count instead of the file's {@code cluster.gpus}
     * @throws IllegalArgumentException naming the file and what is wrong where (every task must state its
     *         {@code seconds}: see {@link #read(Path, Integer, RuntimePredictor)})
     */
    public static Problem read(Path file, Integer gpus) throws IOException {
        return read(file, gpus, null);
    }

    /**
     * As {@link #read(Path, Integer)}, where a task without {@code seconds} gets the estimate of {@code predictor}
     * (as the engine would predict it: the task's {@code toolType}, default {@code llm_process}, its model and GPUs,
     * {@code inputs} and {@code features}); a stated {@code seconds} always wins, as a workflow's
     * {@code predictedSeconds} does.
     *
     * @param predictor null: {@code seconds} is required
     */
    public static Problem read(Path file, Integer gpus, RuntimePredictor predictor) throws IOException {
        String where = file.toString();
        JsonNode root = tree(file);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + ": a batch file is a mapping with cluster, models and requests");
        }
        known(root, TOP, where, "the top level");
        Cluster cluster = cluster(root.get("cluster"), gpus, where);
        Map<String, Model> models = models(root.get("models"), where);
        List<PlanTask> tasks = requests(root.get("requests"), models, cluster, predictor, where);
        for (int g = 0; g < cluster.initialModels().size(); g++) {
            String name = cluster.initialModels().get(g);
            if (name != null && !models.containsKey(name)) {
                throw new IllegalArgumentException(where + ": cluster.initialModels[" + g + "]: model '" + name
                        + "' is not one of models " + models.keySet());
            }
        }
        try {
            return new Problem(tasks, models, cluster);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    /**
     * A model mapping file (e.g. for {@link WfCommonsLoader}): a document with only {@code models: [{name, memoryGb,
     * gpusRequired}]}, as in a batch file.
     */
    public static Map<String, Model> models(Path file) throws IOException {
        JsonNode root = tree(file);
        object(root, file.toString(), "the top level");
        known(root, Set.of("models"), file.toString(), "the top level");
        return models(root.get("models"), file.toString());
    }

    /** The file as a tree, YAML or JSON by its extension. */
    static JsonNode tree(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? new YAMLMapper() : new ObjectMapper();
        try {
            return mapper.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + ": not valid " + (mapper instanceof YAMLMapper ? "YAML" : "JSON")
                    + ": " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
        }
    }

    private static Cluster cluster(JsonNode node, Integer gpus, String where) {
        if (node == null || node.isNull()) {
            if (gpus == null) {
                throw new IllegalArgumentException(where + ": cluster is missing (at least cluster.gpus, or --gpus)");
            }
            return Cluster.of(gpus);
        }
        String at = "cluster";
        object(node, where, at);
        known(node, CLUSTER, where, at);
        int count = gpus != null ? gpus : (int) whole(node, "gpus", where, at, null, 1, 100_000);
        double memory = number(node, "gpuMemoryGb", where, at, Cluster.DEFAULT_GPU_MEMORY_GB, false);
        double pcie = number(node, "pcieGbPerSecond", where, at, Cluster.DEFAULT_PCIE_GB_PER_SECOND, false);
        double overhead = number(node, "switchOverheadSeconds", where, at, Cluster.DEFAULT_OVERHEAD_SECONDS, true);
        List<String> initial = new ArrayList<>();
        JsonNode list = node.get("initialModels");
        if (list != null && !list.isNull()) {
            if (!list.isArray()) {
                throw new IllegalArgumentException(where + ": cluster.initialModels must be a list of model names "
                        + "(null for an empty GPU)");
            }
            for (int g = 0; g < list.size(); g++) {
                JsonNode item = list.get(g);
                if (!item.isNull() && !item.isTextual()) {
                    throw new IllegalArgumentException(where + ": cluster.initialModels[" + g
                            + "] must be a model name or null, not " + item);
                }
                initial.add(item.isNull() ? null : item.asText());
            }
            if (initial.size() > count) {
                if (gpus == null) {
                    throw new IllegalArgumentException(where + ": cluster.initialModels names " + initial.size()
                            + " GPUs; cluster.gpus is " + count);
                }
                initial = initial.subList(0, count); // --gpus took GPUs away: they take their models with them
            }
        }
        try {
            return new Cluster(count, memory, pcie, overhead, initial);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": cluster: " + e.getMessage(), e);
        }
    }

    private static Map<String, Model> models(JsonNode node, String where) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException(where + ": models must be a non-empty list of {name, memoryGb, "
                    + "gpusRequired}");
        }
        Map<String, Model> models = new LinkedHashMap<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String at = "models[" + i + "]";
            object(item, where, at);
            String name = text(item, "name", where, at);
            at = "model '" + name + "'";
            known(item, MODEL, where, at);
            double memory = number(item, "memoryGb", where, at, null, true);
            int gpus = (int) whole(item, "gpusRequired", where, at, 1L, 1, 100_000);
            if (models.put(name, new Model(name, memory, gpus)) != null) {
                throw new IllegalArgumentException(where + ": " + at + " is described twice");
            }
        }
        return models;
    }

    private static List<PlanTask> requests(JsonNode node, Map<String, Model> models, Cluster cluster,
            RuntimePredictor predictor, String where) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw new IllegalArgumentException(where + ": requests must be a non-empty list of {name, tasks}");
        }
        List<PlanTask> tasks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int r = 0; r < node.size(); r++) {
            JsonNode request = node.get(r);
            String at = "requests[" + r + "]";
            object(request, where, at);
            String name = text(request, "name", where, at);
            if (name.contains("/")) {
                throw new IllegalArgumentException(where + ": request '" + name + "': name must not contain '/'");
            }
            at = "request '" + name + "'";
            if (!names.add(name)) {
                throw new IllegalArgumentException(where + ": " + at + " appears twice (request names are unique)");
            }
            known(request, REQUEST, where, at);
            JsonNode list = request.get("tasks");
            if (list == null || !list.isArray() || list.isEmpty()) {
                throw new IllegalArgumentException(where + ": " + at + ": tasks must be a non-empty list");
            }
            Set<String> ids = new HashSet<>();
            for (JsonNode task : list) {
                if (task.isObject() && task.get("id") != null && task.get("id").isValueNode()) {
                    ids.add(task.get("id").asText());
                }
            }
            Set<String> seen = new HashSet<>();
            for (int t = 0; t < list.size(); t++) {
                JsonNode task = list.get(t);
                String tat = at + " tasks[" + t + "]";
                object(task, where, tat);
                String id = text(task, "id", where, tat);
                tat = at + " task '" + id + "'";
                if (!seen.add(id)) {
                    throw new IllegalArgumentException(where + ": " + tat + " appears twice in the request");
                }
                known(task, TASK, where, tat);
                String model = text(task, "model", where, tat);
                if (!models.containsKey(model)) {
                    throw new IllegalArgumentException(where + ": " + tat + ": model '" + model
                            + "' is not one of models " + models.keySet());
                }
                double seconds = task.hasNonNull("seconds") || predictor == null
                        ? number(task, "seconds", where, tat, null, true)
                        : estimate(task, id, models.get(model), cluster, predictor, where, tat);
                if (task.has("after") && task.has("dependsOn")) {
                    throw new IllegalArgumentException(where + ": " + tat + ": give after or dependsOn, not both");
                }
                String field = task.has("dependsOn") ? "dependsOn" : "after";
                List<String> after = new ArrayList<>();
                JsonNode before = task.get(field);
                if (before != null && !before.isNull()) {
                    if (!before.isArray()) {
                        throw new IllegalArgumentException(where + ": " + tat + ": " + field
                                + " must be a list of task ids of the request");
                    }
                    for (JsonNode b : before) {
                        if (!b.isValueNode() || b.isNull()) {
                            throw new IllegalArgumentException(where + ": " + tat + ": " + field
                                    + " must hold task ids, not " + b);
                        }
                        if (!ids.contains(b.asText())) {
                            throw new IllegalArgumentException(where + ": " + tat + ": " + field + " names '"
                                    + b.asText() + "', which is not a task of request '" + name + "'");
                        }
                        after.add(name + "/" + b.asText());
                    }
                }
                tasks.add(new PlanTask(name + "/" + id, name, model, seconds, after));
            }
        }
        return tasks;
    }

    /** The predictor's seconds for a task that states none, from what the engine would know of it. */
    private static double estimate(JsonNode task, String id, Model model, Cluster cluster, RuntimePredictor predictor,
            String where, String at) {
        JsonNode toolType = task.get("toolType");
        if (toolType != null && !toolType.isNull() && (!toolType.isTextual() || toolType.asText().isBlank())) {
            throw new IllegalArgumentException(where + ": " + at + ": toolType must be a tool type name such as "
                    + DEFAULT_TOOL_TYPE + ", not " + toolType);
        }
        JsonNode inputs = task.get("inputs");
        if (inputs != null && !inputs.isNull() && !inputs.isObject()) {
            throw new IllegalArgumentException(where + ": " + at + ": inputs must be a mapping (e.g. {text: ...}), not "
                    + inputs);
        }
        Map<String, Double> features = new LinkedHashMap<>();
        JsonNode stated = task.get("features");
        if (stated != null && !stated.isNull()) {
            object(stated, where, at + " features");
            for (Iterator<Map.Entry<String, JsonNode>> it = stated.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> feature = it.next();
                features.put(feature.getKey(), number(stated, feature.getKey(), where, at + " features", null, true));
            }
        }
        Resources resources = new Resources(1, 0, model.gpusRequired(),
                Math.min(cluster.gpuMemoryGb(), model.memoryGb() / model.gpusRequired()), model.name());
        TaskSpec spec = new TaskSpec(id, "sim", toolType == null || toolType.isNull() ? DEFAULT_TOOL_TYPE : toolType.asText(),
                List.of(), resources, inputs == null || inputs.isNull() ? JsonNodeFactory.instance.objectNode() : inputs,
                null, RetryPolicy.NONE, features, null);
        double seconds = predictor.predictSeconds(spec);
        if (!(seconds >= 0) || !Double.isFinite(seconds)) {
            throw new IllegalArgumentException(where + ": " + at + ": the predictor gave no usable estimate (" + seconds
                    + "); state seconds");
        }
        return seconds;
    }
}
