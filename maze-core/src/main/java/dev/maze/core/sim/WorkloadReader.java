package dev.maze.core.sim;

import dev.maze.core.workflow.Suggestions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.clock.Clock;
import dev.maze.core.exec.Durations;
import dev.maze.core.exec.SimExecutor;
import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.sim.WorkloadSchema.Fields;
import dev.maze.core.workflow.PriorityClass;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.WorkflowParser;
import dev.maze.core.workflow.WorkflowSpec;
import dev.maze.core.workflow.WorkflowValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a workload document (after overrides) into a {@link WorkloadDefinition}, collecting every problem it finds.
 * Errors about a workflow type name it as the workflow and the task; errors elsewhere name the dotted path of the
 * field ({@code models.qwen3-32b.memoryGb}, {@code arrivals.phases[2].rate}).
 */
final class WorkloadReader {

    private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
    private static final Pattern RATE = Pattern.compile(
            "\\s*([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*(?:/\\s*([0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\\s*)?");
    private static final String DEFAULT_NODE_PREFIX = "node";

    private final String source;
    private final List<ValidationError> errors = new ArrayList<>();
    /** Every model the file declares, valid or not. */
    private final Set<String> modelNames = new LinkedHashSet<>();
    /** The workflow type and task being read, for errors inside {@code types}; null elsewhere. */
    private String workflow;
    private String task;

    /** A task class after its own checks: only valid parts are kept, so tasks using it do not repeat its errors. */
    private final Map<Path, SampleTable> sampleTables = new HashMap<>();
    /** Placeholder duration nodes of replayed tasks, by identity, and their tables. */
    private final Map<JsonNode, SampleTable> replayed = new IdentityHashMap<>();
    /** The replayed tasks of the workflow type being read, by task id. */
    private final Map<String, SampleTable> typeSamples = new HashMap<>();

    private record TaskClass(String toolType, String model, ObjectNode resources, JsonNode duration, boolean durationBroken) {}

    WorkloadReader(String source) {
        this.source = source;
    }

    List<ValidationError> errors() {
        return errors;
    }

    /** The workload, or null when any error was found (see {@link #errors()}). */
    WorkloadDefinition read(JsonNode root) {
        if (!root.isObject()) {
            error(null, "expected a workload object with name, cluster, models, classes, types and arrivals, found "
                    + describe(root));
            return null;
        }
        unknownFields(root, WorkloadSchema.ROOT, "");
        String name = string(root, "name", "name", true);
        String description = string(root, "description", "description", false);
        long seed = seed(root.get("seed"));
        int before = errors.size();
        List<NodeSpec> nodes = new ArrayList<>();
        Map<String, List<String>> allowedModels = new LinkedHashMap<>();
        cluster(root.get("cluster"), nodes, allowedModels);
        boolean clusterValid = errors.size() == before;
        Map<String, ModelSpec> models = models(root.get("models"), nodes);
        allowedModels.forEach((path, names) -> {
            for (String model : names) {
                knownModel(model, path);
            }
        });
        Map<String, TaskClass> classes = classes(root.get("classes"), models);
        List<WorkloadType> types = types(root.get("types"), classes, models, clusterValid ? nodes : List.of());
        WorkloadArrivals arrivals = arrivals(root.get("arrivals"), types);
        if (!errors.isEmpty()) {
            return null;
        }
        return new WorkloadDefinition(name, description, source, seed, nodes, models, types, arrivals);
    }

    // ------------------------------------------------------------------ cluster

    private void cluster(JsonNode cluster, List<NodeSpec> nodes, Map<String, List<String>> allowedModels) {
        if (cluster == null || cluster.isNull()) {
            error("cluster", "missing; a workload needs a cluster, e.g. cluster: {nodes: [{count: 8, cpu: 8, "
                    + "memoryGb: 256, gpus: 1, gpuMemoryGb: 80}]}");
            return;
        }
        if (!object(cluster, "cluster")) {
            return;
        }
        unknownFields(cluster, WorkloadSchema.CLUSTER, "cluster.");
        JsonNode groups = cluster.get("nodes");
        if (!nonEmptyList(groups, "cluster.nodes", "node groups such as {count: 8, cpu: 8, memoryGb: 256}")) {
            return;
        }
        Map<String, Integer> nextIndex = new HashMap<>();
        Set<String> ids = new HashSet<>();
        int totalNodes = 0;
        long totalGpus = 0;
        for (int g = 0; g < groups.size(); g++) {
            String path = "cluster.nodes[" + g + "]";
            JsonNode group = groups.get(g);
            if (!object(group, path)) {
                continue;
            }
            unknownFields(group, WorkloadSchema.NODE_GROUP, path + ".");
            int count = (int) integer(group, "count", path + ".count", 1, 1, WorkloadLimits.MAX_NODES);
            String id = string(group, "id", path + ".id", false);
            String prefix = string(group, "idPrefix", path + ".idPrefix", false);
            if (id != null && count != 1) {
                error(path + ".id", "names one node, but count is " + count + "; use idPrefix for a group");
                count = 0; // make no nodes rather than report the same id twice
            }
            if (id != null && prefix != null) {
                error(path + ".idPrefix", "give either id (one node) or idPrefix (a group), not both");
            }
            Double cpu = atMost(number(group, "cpu", path + ".cpu", null, false), path + ".cpu", NodeSpec.MAX_CPUS, "cores");
            Double memoryGb = atMost(number(group, "memoryGb", path + ".memoryGb", null, false), path + ".memoryGb",
                    NodeSpec.MAX_MEMORY_GB, "GB");
            int gpus = (int) integer(group, "gpus", path + ".gpus", 0, 0, NodeSpec.MAX_GPUS);
            Double gpuMemoryGb = atMost(number(group, "gpuMemoryGb", path + ".gpuMemoryGb", gpus > 0 ? null : 0.0, gpus > 0),
                    path + ".gpuMemoryGb", NodeSpec.MAX_GPU_MEMORY_GB, "GB");
            List<String> allowed = strings(group.get("allowedModels"), path + ".allowedModels");
            if (!allowed.isEmpty()) {
                allowedModels.put(path + ".allowedModels", allowed);
            }
            if (cpu == null || memoryGb == null || gpuMemoryGb == null || gpus < 0) {
                continue;
            }
            // Checked before a node is made: the sizes are what a typo or an override can make absurd.
            if (count > WorkloadLimits.MAX_NODES - totalNodes) {
                error(path + ".count", "brings the cluster to " + WorkloadLimits.show((double) totalNodes + count)
                        + " nodes; a workload's cluster may have at most " + WorkloadLimits.show(WorkloadLimits.MAX_NODES));
                continue;
            }
            if ((long) count * gpus > WorkloadLimits.MAX_CLUSTER_GPUS - totalGpus) {
                error(path + ".gpus", "brings the cluster to " + WorkloadLimits.show(totalGpus + (double) count * gpus)
                        + " GPUs; a workload's cluster may have at most "
                        + WorkloadLimits.show(WorkloadLimits.MAX_CLUSTER_GPUS) + " in all");
                continue;
            }
            totalNodes += count;
            totalGpus += (long) count * gpus;
            for (int i = 0; i < count; i++) {
                String nodeId = id;
                if (nodeId == null) {
                    // Numbered per prefix across groups, so two groups with one prefix still get distinct ids.
                    String base = prefix != null ? prefix : DEFAULT_NODE_PREFIX;
                    int index = nextIndex.getOrDefault(base, 0);
                    nextIndex.put(base, index + 1);
                    nodeId = base + "-" + index;
                }
                if (!ids.add(nodeId)) {
                    error(path + (id != null ? ".id" : ".idPrefix"), "node id '" + nodeId + "' is used twice; give "
                            + "each node group its own idPrefix");
                }
                NodeSpec node = NodeSpec.of(nodeId, cpu, memoryGb, gpus, gpuMemoryGb);
                nodes.add(new NodeSpec(node.id(), node.cpu(), node.memoryGb(), node.gpus(), new LinkedHashSet<>(allowed)));
            }
        }
    }

    // ------------------------------------------------------------------ models

    private Map<String, ModelSpec> models(JsonNode models, List<NodeSpec> nodes) {
        Map<String, ModelSpec> result = new LinkedHashMap<>();
        if (models == null || models.isNull()) {
            return result;
        }
        models.fieldNames().forEachRemaining(modelNames::add);
        if (!models.isObject()) {
            error("models", "expected an object of models by name, such as {qwen3-32b: {memoryGb: 80, "
                    + "loadSeconds: 30}}, found " + describe(models));
            return result;
        }
        double largestGpu = nodes.stream().flatMap(n -> n.gpus().stream()).mapToDouble(g -> g.memoryGb()).max().orElse(0);
        for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            String path = "models." + name;
            JsonNode model = entry.getValue();
            if (!object(model, path)) {
                continue;
            }
            unknownFields(model, WorkloadSchema.MODEL, path + ".");
            Double memoryGb = number(model, "memoryGb", path + ".memoryGb", null, false);
            Double loadSeconds = loadSeconds(model, path);
            if (memoryGb != null && largestGpu > 0 && memoryGb > largestGpu) {
                error(path + ".memoryGb", memoryGb + " GB does not fit on any GPU (the largest has " + largestGpu
                        + " GB)");
            }
            long concurrency = integer(model, "concurrency", path + ".concurrency", 1, 1,
                    WorkloadLimits.MAX_MODEL_CONCURRENCY);
            Double slowdown = number(model, "slowdownPerExtraCall", path + ".slowdownPerExtraCall", 0.0, false);
            if (memoryGb != null && loadSeconds != null && concurrency >= 1 && slowdown != null) {
                result.put(name, new ModelSpec(name, memoryGb, loadSeconds, (int) concurrency, slowdown));
            }
        }
        return result;
    }

    /** A model's load cost: stated, or its size over the bandwidth it loads at. */
    private Double loadSeconds(JsonNode model, String path) {
        boolean stated = model.has("loadSeconds");
        boolean sized = model.has("sizeGb") || model.has("bandwidthGbPerSec");
        if (stated && sized) {
            error(path + ".loadSeconds", "give either loadSeconds or sizeGb with bandwidthGbPerSec, not both");
            return null;
        }
        if (stated) {
            return atMostMaxDuration(number(model, "loadSeconds", path + ".loadSeconds", null, false),
                    path + ".loadSeconds");
        }
        if (!sized) {
            error(path + ".loadSeconds", "missing; give loadSeconds, or sizeGb and bandwidthGbPerSec");
            return null;
        }
        Double sizeGb = number(model, "sizeGb", path + ".sizeGb", null, false);
        Double bandwidth = number(model, "bandwidthGbPerSec", path + ".bandwidthGbPerSec", null, true);
        if (sizeGb == null || bandwidth == null) {
            return null;
        }
        if (sizeGb / bandwidth > Clock.MAX_DURATION_SECONDS) {
            error(path + ".sizeGb", "loads in sizeGb / bandwidthGbPerSec seconds, which "
                    + WorkflowValidator.tooLong(sizeGb / bandwidth));
            return null;
        }
        return sizeGb / bandwidth;
    }

    // ------------------------------------------------------------------ task classes

    private Map<String, TaskClass> classes(JsonNode classes, Map<String, ModelSpec> models) {
        Map<String, TaskClass> result = new LinkedHashMap<>();
        if (classes == null || classes.isNull()) {
            return result;
        }
        if (!classes.isObject()) {
            error("classes", "expected an object of task classes by name, such as {cpu: {resources: {cpu: 1}, "
                    + "duration: 0.1}}, found " + describe(classes));
            return result;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = classes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            String path = "classes." + name;
            JsonNode node = entry.getValue();
            if (!object(node, path)) {
                // Still record it, so tasks naming it are not also told that it does not exist.
                result.put(name, new TaskClass(name, null, JsonNodeFactory.instance.objectNode(), null, true));
                continue;
            }
            unknownFields(node, WorkloadSchema.TASK_CLASS, path + ".");
            String toolType = string(node, "toolType", path + ".toolType", false);
            String model = model(node, path + ".model", models);
            ObjectNode resources = resources(node.get("resources"), path + ".resources", models);
            JsonNode durationNode = node.get("duration");
            JsonNode duration = durationNode == null ? null : duration(durationNode, path + ".duration");
            result.put(name, new TaskClass(toolType != null ? toolType : name, model, resources, duration,
                    durationNode != null && duration == null));
        }
        return result;
    }

    // ------------------------------------------------------------------ workflow types

    private List<WorkloadType> types(JsonNode types, Map<String, TaskClass> classes, Map<String, ModelSpec> models,
            List<NodeSpec> nodes) {
        List<WorkloadType> result = new ArrayList<>();
        if (!nonEmptyList(types, "types", "workflow types such as {name: rag, weight: 1, tasks: [...]}")) {
            return result;
        }
        WorkflowValidator validator = new WorkflowValidator(Map.of("sim", new SimExecutor()), nodes);
        Set<String> names = new HashSet<>();
        for (int t = 0; t < types.size(); t++) {
            JsonNode type = types.get(t);
            workflow = "types[" + t + "]";
            task = null;
            if (!object(type, null)) {
                continue;
            }
            String name = string(type, "name", "name", true);
            if (name != null) {
                workflow = name;
                if (!TYPE_NAME.matcher(name).matches()) {
                    error("name", "'" + name + "' must start with a letter or digit and hold only letters, digits, "
                            + "'_', '-' and '.' (workflow ids are <type>-<n>)");
                } else if (!names.add(name)) {
                    error("name", "duplicate workflow type; give each type its own name");
                }
            }
            unknownFields(type, WorkloadSchema.TYPE, "");
            String description = string(type, "description", "description", false);
            Double weight = number(type, "weight", "weight", 1.0, false);
            int before = errors.size();
            typeSamples.clear();
            List<TaskSpec> tasks = tasks(type.get("tasks"), classes, models);
            task = null;
            if (name == null || weight == null) {
                continue;
            }
            WorkflowSpec spec = new WorkflowSpec(null, name, PriorityClass.NORMAL, null, tasks, source);
            if (errors.size() == before) {
                // Graph checks (unknown or cyclic dependencies, tasks no node can run) on a type whose tasks
                // are otherwise sound; the validator names the type as the workflow, like the errors above.
                errors.addAll(validator.validate(spec));
            }
            result.add(new WorkloadType(name, weight, description, spec, typeSamples));
        }
        workflow = null;
        task = null;
        return result;
    }

    private List<TaskSpec> tasks(JsonNode tasks, Map<String, TaskClass> classes, Map<String, ModelSpec> models) {
        List<TaskSpec> result = new ArrayList<>();
        if (!nonEmptyList(tasks, "tasks", "tasks such as {id: answer, class: llm32b, model: qwen3-32b}")) {
            return result;
        }
        for (int i = 0; i < tasks.size(); i++) {
            JsonNode node = tasks.get(i);
            task = "#" + (i + 1);
            if (!object(node, null)) {
                continue;
            }
            String id = string(node, "id", "id", true);
            if (id != null) {
                task = id;
            }
            unknownFields(node, WorkloadSchema.TASK, "");
            TaskClass taskClass = null;
            String className = string(node, "class", "class", false);
            if (className != null) {
                taskClass = classes.get(className);
                if (taskClass == null) {
                    error("class", "unknown class '" + className + "'" + Suggestions.didYouMean(className,
                            classes.keySet()) + "; classes: " + WorkloadSchema.list(classes.keySet()));
                }
            }
            String toolType = string(node, "toolType", "toolType", false);
            if (toolType == null) {
                toolType = taskClass != null ? taskClass.toolType() : WorkflowParser.DEFAULT_TOOL_TYPE;
            }
            ObjectNode resources = taskClass != null ? taskClass.resources().deepCopy()
                    : JsonNodeFactory.instance.objectNode();
            resources.setAll(resources(node.get("resources"), "resources", models));
            String model = model(node, "model", models);
            if (model == null && !resources.has("model") && taskClass != null) {
                model = taskClass.model();
            }
            if (model != null) {
                resources.put("model", model);
            }
            Resources request = request(resources, models);
            JsonNode duration = taskDuration(node, taskClass, className);
            List<String> dependsOn = strings(node.get("dependsOn"), "dependsOn");
            if (id != null) {
                ObjectNode inputs = JsonNodeFactory.instance.objectNode();
                inputs.set("duration", duration);
                if (replayed.containsKey(duration)) {
                    typeSamples.put(id, replayed.get(duration));
                }
                result.add(new TaskSpec(id, "sim", toolType, dependsOn, request, inputs, null, RetryPolicy.NONE,
                        Map.of(), null));
            }
        }
        return result;
    }

    /** The task's own duration, else its class's; a placeholder after an error already reported. */
    private JsonNode taskDuration(JsonNode node, TaskClass taskClass, String className) {
        JsonNode written = node.get("duration");
        if (written != null) {
            JsonNode duration = duration(written, "duration");
            return duration != null ? duration : placeholderDuration();
        }
        if (taskClass != null && taskClass.duration() != null) {
            return taskClass.duration();
        }
        boolean reported = (className != null && taskClass == null) || (taskClass != null && taskClass.durationBroken());
        if (!reported) {
            error("duration", taskClass == null
                    ? "missing; give the task a duration (seconds or a distribution) or a class that has one"
                    : "missing; class '" + className + "' has no duration, so give the task one");
        }
        return placeholderDuration();
    }

    private static JsonNode placeholderDuration() {
        return JsonNodeFactory.instance.objectNode().put("distribution", "constant").put("seconds", 0);
    }

    /** The resource request from checked fields; a slice smaller than the task's model is refused. */
    private Resources request(ObjectNode fields, Map<String, ModelSpec> models) {
        String model = fields.has("model") ? fields.get("model").asText() : null;
        double cpu = fields.has("cpu") ? fields.get("cpu").asDouble() : Resources.DEFAULT.cpu();
        double memoryGb = fields.path("memoryGb").asDouble(0);
        ModelSpec spec = model == null ? null : models.get(model);
        // A model call that states no slice asks for the model's memory: a small tool then shares its GPU, and a
        // model as large as the GPU takes all of it. gpuMemoryGb: 0 asks for whole GPUs explicitly.
        double gpuMemoryGb = fields.has("gpuMemoryGb") ? fields.get("gpuMemoryGb").asDouble()
                : spec != null ? spec.memoryGb() : 0;
        // As in workflow files: a model call or a GPU-memory request implies one GPU unless the count is stated.
        int gpus = fields.has("gpus") ? fields.get("gpus").asInt() : model != null || gpuMemoryGb > 0 ? 1 : 0;
        if (spec != null && gpuMemoryGb > 0 && gpuMemoryGb < spec.memoryGb()) {
            error("resources.gpuMemoryGb", "asks for " + gpuMemoryGb + " GB of GPU memory, but model '" + model
                    + "' takes " + spec.memoryGb() + " GB; ask for at least that much, or 0 for whole GPUs");
        }
        return new Resources(cpu, memoryGb, gpus, gpuMemoryGb, model);
    }

    /**
     * The valid fields of a resources object (cpu, memoryGb, gpus, gpuMemoryGb, model), each checked and reported
     * under {@code path}; invalid ones are left out.
     */
    private ObjectNode resources(JsonNode node, String path, Map<String, ModelSpec> models) {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isObject()) {
            error(path, "expected an object with cpu, memoryGb, gpus, gpuMemoryGb, model; found " + describe(node));
            return result;
        }
        unknownFields(node, WorkloadSchema.RESOURCES, path + ".");
        for (String field : List.of("cpu", "memoryGb", "gpuMemoryGb")) {
            if (node.has(field)) {
                Double value = number(node, field, path + "." + field, null, false);
                if (value != null) {
                    result.put(field, value);
                }
            }
        }
        if (node.has("gpus")) {
            long gpus = integer(node, "gpus", path + ".gpus", -1, 0, NodeSpec.MAX_GPUS);
            if (gpus >= 0) {
                result.put("gpus", (int) gpus);
            }
        }
        String model = model(node, path + ".model", models);
        if (model != null) {
            result.put("model", model);
        }
        return result;
    }

    /** The model named by {@code node.model} if the file declares it; unknown names are reported. */
    private String model(JsonNode node, String field, Map<String, ModelSpec> models) {
        String name = string(node, "model", field, false);
        return name != null && knownModel(name, field) ? name : null;
    }

    /** Whether the file declares {@code name} (a model with errors of its own counts: those are reported already). */
    private boolean knownModel(String name, String field) {
        if (modelNames.contains(name)) {
            return true;
        }
        error(field, "unknown model '" + name + "'" + Suggestions.didYouMean(name, modelNames) + "; models: "
                + WorkloadSchema.list(modelNames));
        return false;
    }

    /**
     * A duration as the sim executor reads it: a number is a constant; null after reporting a problem. Replayed runs
     * ({@code {distribution: samples, file: F}}) become a placeholder constant (their mean) that each arrival
     * replaces with one run's time (see {@link WorkloadType#instantiate}).
     */
    private JsonNode duration(JsonNode node, String field) {
        if (node.isObject() && "samples".equals(node.path("distribution").asText())) {
            return samplesDuration(node, field);
        }
        if (node.isNumber()) {
            if (!(node.asDouble() >= 0) || !Double.isFinite(node.asDouble())) {
                error(field, "expected seconds >= 0 or a distribution, found " + node);
                return null;
            }
            return JsonNodeFactory.instance.objectNode().put("distribution", "constant").put("seconds", node.asDouble());
        }
        List<String> problems = Durations.problems(node, field);
        for (String problem : problems) {
            int colon = problem.indexOf(": ");
            error(problem.substring(0, colon), problem.substring(colon + 2));
        }
        return problems.isEmpty() ? node : null;
    }

    private JsonNode samplesDuration(JsonNode node, String field) {
        JsonNode file = node.get("file");
        for (String name : (Iterable<String>) node::fieldNames) {
            if (!name.equals("distribution") && !name.equals("file")) {
                error(field + "." + name, "unknown field; a samples duration takes only 'file'");
                return null;
            }
        }
        if (file == null || !file.isTextual() || file.asText().isBlank()) {
            error(field + ".file", "missing; name a CSV of measured runs (feature columns and exec_time), relative to the "
                    + "workload file");
            return null;
        }
        Path base = source == null || Path.of(source).getParent() == null ? Path.of("") : Path.of(source).getParent();
        Path path = base.resolve(file.asText()).normalize();
        SampleTable table = sampleTables.get(path);
        if (table == null) {
            try {
                table = SampleTable.read(path);
            } catch (IOException | RuntimeException e) {
                error(field + ".file", e.getMessage());
                return null;
            }
            sampleTables.put(path, table);
        }
        JsonNode placeholder = JsonNodeFactory.instance.objectNode().put("distribution", "constant")
                .put("seconds", table.meanSeconds());
        replayed.put(placeholder, table);
        return placeholder;
    }

    // ------------------------------------------------------------------ arrivals

    private WorkloadArrivals arrivals(JsonNode arrivals, List<WorkloadType> types) {
        if (arrivals == null || arrivals.isNull()) {
            error("arrivals", "missing; give phases (Poisson), batch or trace, e.g. arrivals: {phases: "
                    + "[{durationSeconds: 600, rate: 0.02}]}");
            return null;
        }
        if (!object(arrivals, "arrivals")) {
            return null;
        }
        unknownFields(arrivals, WorkloadSchema.ARRIVALS, "arrivals.");
        Double scale = number(arrivals, "scale", "arrivals.scale", 1.0, true);
        List<String> given = new ArrayList<>();
        for (String kind : List.of("phases", "batch", "trace")) {
            if (arrivals.has(kind) && !arrivals.get(kind).isNull()) {
                given.add(kind);
            }
        }
        if (given.size() != 1) {
            error("arrivals", given.isEmpty() ? "give one of phases (Poisson), batch or trace"
                    : "give exactly one of phases, batch and trace; found " + String.join(" and ", given));
            return null;
        }
        Set<String> typeNames = new LinkedHashSet<>();
        double totalWeight = 0;
        for (WorkloadType type : types) {
            typeNames.add(type.name());
            totalWeight += type.weight();
        }
        WorkloadArrivals result = switch (given.get(0)) {
            case "phases" -> phases(arrivals.get("phases"), scale);
            case "batch" -> batch(arrivals.get("batch"), scale);
            default -> trace(arrivals.get("trace"), scale, typeNames);
        };
        boolean drawsTypes = !(result instanceof WorkloadArrivals.Trace trace)
                || trace.entries().stream().anyMatch(e -> e.type() == null);
        if (drawsTypes && !types.isEmpty() && totalWeight <= 0) {
            error("types", "every workflow type has weight 0, so none can be drawn; give at least one a positive weight");
        }
        if (drawsTypes && Double.isInfinite(totalWeight)) {
            error("types", "the weights add up to more than a number can hold; use smaller ones (only their ratios count)");
        }
        if (result != null && scale != null && !withinWorkflowLimit(result, scale)) {
            return null;
        }
        return scale == null ? null : result;
    }

    /**
     * Whether a run of these arrivals is expected to submit at most {@link WorkloadLimits#MAX_WORKFLOWS} workflows;
     * reports the field to lower when not. Checked before any arrival is drawn.
     */
    private boolean withinWorkflowLimit(WorkloadArrivals arrivals, double scale) {
        String limit = "; a run may submit at most " + WorkloadLimits.show(WorkloadLimits.MAX_WORKFLOWS) + " workflows";
        switch (arrivals) {
            case WorkloadArrivals.Batch batch -> {
                double expected = batch.count() * scale;
                if (!(expected <= WorkloadLimits.MAX_WORKFLOWS)) {
                    error(scale == 1 ? "arrivals.batch.count" : "arrivals.scale", "a batch of " + batch.count()
                            + (scale == 1 ? "" : " x scale " + scale + " = " + count(expected)) + " workflows" + limit
                            + "; lower " + (scale == 1 ? "the count" : "arrivals.scale (--set arrivalScale=...) or the count"));
                    return false;
                }
            }
            case WorkloadArrivals.PoissonPhases phases -> {
                double expected = phases.expectedCount();
                if (!(expected <= WorkloadLimits.MAX_WORKFLOWS)) {
                    error(scale == 1 ? "arrivals.phases" : "arrivals.scale", "the phases' rates x durations"
                            + (scale == 1 ? "" : " x scale " + scale) + " expect " + count(expected) + " workflows a run"
                            + limit + "; lower " + (scale == 1 ? "the rates or the durations"
                                    : "arrivals.scale (--set arrivalScale=...), the rates or the durations"));
                    return false;
                }
            }
            case WorkloadArrivals.Trace trace -> {
                // Its entries are bounded by the file's size; what scale can do is move the last one out of time.
                double last = trace.entries().stream().mapToDouble(WorkloadArrivals.TraceEntry::atSeconds).max().orElse(0);
                if (last / scale > Clock.MAX_DURATION_SECONDS) {
                    error("arrivals.scale", "replays the trace's last submission (" + last + " s) at " + last / scale
                            + " s; a submission time " + WorkflowValidator.tooLong(last / scale));
                    return false;
                }
            }
        }
        return true;
    }

    /** 1,234,567, or 4.00e+10 for what no one would count. */
    private static String count(double value) {
        return value < 1e12 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2e", value);
    }

    private WorkloadArrivals phases(JsonNode phases, Double scale) {
        if (!nonEmptyList(phases, "arrivals.phases", "phases such as {durationSeconds: 600, rate: 0.5/45}")) {
            return null;
        }
        List<WorkloadArrivals.PoissonPhase> result = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        double total = 0;
        for (int i = 0; i < phases.size(); i++) {
            String path = "arrivals.phases[" + i + "]";
            JsonNode phase = phases.get(i);
            if (!object(phase, path)) {
                continue;
            }
            unknownFields(phase, WorkloadSchema.PHASE, path + ".");
            String name = string(phase, "name", path + ".name", false);
            String label = name != null ? name : "phase " + (i + 1);
            Integer first = names.putIfAbsent(label, i);
            if (first != null) {
                // Reports and --set arrivals.phases.NAME address a phase by its name: a second one would be unreachable.
                error(path + ".name", "'" + label + "' is already the name of arrivals.phases[" + first + "]; give each "
                        + "phase its own name");
            }
            Double duration = atMostMaxDuration(number(phase, "durationSeconds", path + ".durationSeconds", null, true),
                    path + ".durationSeconds");
            Double rate = rate(phase.get("rate"), path + ".rate");
            if (duration != null && rate != null) {
                total += duration;
                result.add(new WorkloadArrivals.PoissonPhase(label, duration, rate));
            }
        }
        if (total > Clock.MAX_DURATION_SECONDS) {
            error("arrivals.phases", "the phases last " + total + " s in all; the arrivals' span "
                    + WorkflowValidator.tooLong(total));
            return null;
        }
        return scale == null ? null : new WorkloadArrivals.PoissonPhases(result, scale);
    }

    /** Workflows per second: a number or a fraction such as {@code 0.5/45}. */
    private Double rate(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            error(field, "missing; give workflows per second, e.g. 0.02 or 0.5/45");
            return null;
        }
        double rate;
        if (node.isNumber()) {
            rate = node.asDouble();
        } else {
            Matcher matcher = node.isTextual() ? RATE.matcher(node.asText()) : null;
            if (matcher == null || !matcher.matches()) {
                error(field, "expected workflows per second >= 0: a number or a fraction such as 0.5/45, found "
                        + describe(node));
                return null;
            }
            double denominator = matcher.group(2) == null ? 1 : Double.parseDouble(matcher.group(2));
            if (denominator == 0) {
                error(field, "divides by zero in '" + node.asText() + "'");
                return null;
            }
            rate = Double.parseDouble(matcher.group(1)) / denominator;
        }
        if (!(rate >= 0) || !Double.isFinite(rate)) {
            error(field, "must not be negative, found " + node.asText());
            return null;
        }
        return rate;
    }

    private WorkloadArrivals batch(JsonNode batch, Double scale) {
        if (!object(batch, "arrivals.batch")) {
            return null;
        }
        unknownFields(batch, WorkloadSchema.BATCH, "arrivals.batch.");
        long count = integer(batch, "count", "arrivals.batch.count", -1, 1, WorkloadLimits.MAX_WORKFLOWS);
        if (!batch.has("count")) {
            error("arrivals.batch.count", "missing; how many workflows to submit at once");
        }
        Double at = atMostMaxDuration(number(batch, "atSeconds", "arrivals.batch.atSeconds", 0.0, false),
                "arrivals.batch.atSeconds");
        return count < 1 || at == null || scale == null ? null : new WorkloadArrivals.Batch((int) count, at, scale);
    }

    private WorkloadArrivals trace(JsonNode trace, Double scale, Set<String> typeNames) {
        if (!nonEmptyList(trace, "arrivals.trace", "submission times in seconds, or {atSeconds, type} objects")) {
            return null;
        }
        List<WorkloadArrivals.TraceEntry> entries = new ArrayList<>();
        for (int i = 0; i < trace.size(); i++) {
            String path = "arrivals.trace[" + i + "]";
            JsonNode entry = trace.get(i);
            if (entry.isNumber()) {
                if (entry.asDouble() > Clock.MAX_DURATION_SECONDS) {
                    error(path, "a submission time " + WorkflowValidator.tooLong(Double.isInfinite(entry.asDouble())
                            ? "a number too large to hold" : entry.asText()));
                } else if (entry.asDouble() >= 0) {
                    entries.add(new WorkloadArrivals.TraceEntry(entry.asDouble(), null));
                } else {
                    error(path, "a submission time must not be negative, found " + entry);
                }
                continue;
            }
            if (!entry.isObject()) {
                error(path, "expected a submission time in seconds or {atSeconds, type}, found " + describe(entry));
                continue;
            }
            for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!field.equals("atSeconds") && !field.equals("type")) {
                    error(path + "." + field, "unknown field; a trace entry has atSeconds and type");
                }
            }
            Double at = atMostMaxDuration(number(entry, "atSeconds", path + ".atSeconds", null, false), path + ".atSeconds");
            String type = string(entry, "type", path + ".type", false);
            if (type != null && !typeNames.isEmpty() && !typeNames.contains(type)) {
                error(path + ".type", "unknown workflow type '" + type + "'" + Suggestions.didYouMean(type, typeNames)
                        + "; types: " + WorkloadSchema.list(typeNames));
            }
            if (at != null) {
                entries.add(new WorkloadArrivals.TraceEntry(at, type));
            }
        }
        return scale == null ? null : new WorkloadArrivals.Trace(entries, scale);
    }

    // ------------------------------------------------------------------ values

    private long seed(JsonNode node) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            error("seed", "expected a whole number, found " + describe(node));
            return 0;
        }
        return node.asLong();
    }

    private void error(String field, String message) {
        errors.add(new ValidationError(source, workflow, task, field, message));
    }

    private boolean object(JsonNode node, String field) {
        if (node != null && node.isObject()) {
            return true;
        }
        error(field, "expected an object, found " + describe(node));
        return false;
    }

    private boolean nonEmptyList(JsonNode node, String field, String what) {
        if (node == null || node.isNull()) {
            error(field, "missing; expected a list of " + what);
            return false;
        }
        if (!node.isArray() || node.isEmpty()) {
            error(field, "expected a non-empty list of " + what + ", found " + describe(node));
            return false;
        }
        return true;
    }

    private void unknownFields(JsonNode node, Fields shape, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!shape.fields().containsKey(field)) {
                error(prefix + field, "unknown field" + Suggestions.didYouMean(field, shape.fields().keySet())
                        + "; " + shape.what() + " has " + WorkloadSchema.list(shape.fields().keySet()));
            }
        }
    }

    private String string(JsonNode node, String key, String field, boolean required) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                error(field, "missing");
            }
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            error(field, "expected a non-empty string, found " + describe(value));
            return null;
        }
        return value.asText();
    }

    /** A number >= 0 (> 0 if {@code positive}); {@code fallback} when absent (null = required). */
    private Double number(JsonNode node, String key, String field, Double fallback, boolean positive) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (fallback == null) {
                error(field, "missing");
            }
            return fallback;
        }
        if (value.isNumber() && Double.isInfinite(value.asDouble())) { // 1e400: NaN and infinities never get here
            error(field, "expected a number, found a number too large to hold");
            return null;
        }
        if (!value.isNumber()) {
            error(field, "expected a number, found " + describe(value));
            return null;
        }
        double number = value.asDouble();
        if (number < 0 || (positive && number == 0)) {
            error(field, (positive ? "must be positive" : "must not be negative") + ", found " + value);
            return null;
        }
        return number;
    }

    /** A whole number >= {@code min}; {@code fallback} when absent; {@code min - 1} after reporting a problem. */
    private long integer(JsonNode node, String key, String field, long fallback, long min) {
        return integer(node, key, field, fallback, min, Integer.MAX_VALUE);
    }

    /** A whole number from {@code min} to {@code max}; {@code fallback} when absent; {@code min - 1} after a problem. */
    private long integer(JsonNode node, String key, String field, long fallback, long min, long max) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min || value.asLong() > max) {
            error(field, "expected a whole number " + (max == Integer.MAX_VALUE ? ">= " + min
                    : "from " + min + " to " + WorkloadLimits.show(max)) + ", found " + describe(value));
            return min - 1;
        }
        return value.asLong();
    }

    /** {@code value} when it is at most {@code max} (or null); null after reporting a larger one. */
    private Double atMost(Double value, String field, double max, String unit) {
        if (value != null && value > max) {
            error(field, "must be at most " + WorkloadLimits.show(max) + " " + unit + ", found " + value);
            return null;
        }
        return value;
    }

    /** {@code value} when it is at most {@link Clock#MAX_DURATION_SECONDS} (or null); null after reporting more. */
    private Double atMostMaxDuration(Double value, String field) {
        if (value != null && value > Clock.MAX_DURATION_SECONDS) {
            error(field, WorkflowValidator.tooLong(value));
            return null;
        }
        return value;
    }

    private List<String> strings(JsonNode node, String field) {
        List<String> result = new ArrayList<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (node.isTextual()) {
            result.add(node.asText());
            return result;
        }
        if (!node.isArray()) {
            error(field, "expected a name or a list of names, found " + describe(node));
            return result;
        }
        for (JsonNode element : node) {
            if (element.isTextual()) {
                result.add(element.asText());
            } else {
                error(field, "expected names (strings), found " + describe(element));
            }
        }
        return result;
    }

    static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return node.isEmpty() ? "an empty list" : "a list";
        }
        if (node.isTextual()) {
            return "string '" + node.asText() + "'";
        }
        if (node.isNumber()) {
            return "number " + node.asText();
        }
        return node.getNodeType().toString().toLowerCase(Locale.ROOT) + " " + node;
    }
}
