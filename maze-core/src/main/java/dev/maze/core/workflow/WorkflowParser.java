package dev.maze.core.workflow;

import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads workflows from JSON or YAML text. A document holds one workflow object or a list of them.
 * Every structural problem (syntax with line and column, wrong types, negative numbers, unknown fields)
 * is collected and thrown together; graph-level checks are {@link WorkflowValidator}'s job.
 */
public final class WorkflowParser {

    /** Formats a document can be in. */
    public enum Format {
        JSON,
        YAML
    }

    // A repeated key would otherwise silently replace the first (two 'inputs:' blocks, say): refuse it instead.

    private static final Set<String> WORKFLOW_FIELDS = Set.of("id", "name", "priorityClass", "deadline", "submitAt", "open", "tasks");
    private static final Set<String> TASK_FIELDS = Set.of(
            "id", "kind", "toolType", "dependsOn", "resources", "inputs", "timeoutSeconds", "retries", "features",
            "predictedSeconds");
    private static final Set<String> RESOURCE_FIELDS = Set.of("cpu", "memoryGb", "gpus", "gpuMemoryGb", "model");
    private static final Set<String> RETRY_FIELDS = Set.of("count", "backoffSeconds", "multiplier", "maxBackoffSeconds",
            "jitter");

    /** The tool type of a task that names none; prediction falls back to resource-class defaults for it. */
    public static final String DEFAULT_TOOL_TYPE = "generic";

    private WorkflowParser() {}

    /** Reads a file; the format follows the extension ({@code .yaml}/{@code .yml} = YAML, else JSON). */
    public static List<WorkflowSpec> parseFile(Path file) throws ValidationException {
        return parse(DocumentReader.readFile(file), DocumentReader.formatOf(file), file.toString());
    }

    /** Reads workflows from text; {@code source} names the origin in error messages (may be null). */
    public static List<WorkflowSpec> parse(String text, Format format, String source) throws ValidationException {
        JsonNode root = DocumentReader.read(text, format, source,
                "more content after the first workflow; put several workflows in one list",
                "expected a workflow object or a list of them");
        List<ValidationError> errors = new ArrayList<>();
        List<WorkflowSpec> workflows = new ArrayList<>();
        if (root.isArray()) {
            int index = 0;
            for (JsonNode element : root) {
                workflows.add(new Reader(source, errors).workflow(element, index++));
            }
            if (workflows.isEmpty()) {
                throw DocumentReader.problem(source, "the list holds no workflows");
            }
        } else {
            workflows.add(new Reader(source, errors).workflow(root, -1));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return workflows;
    }



    /** Collects errors while turning one workflow's tree into records. */
    private static final class Reader {
        private final String source;
        private final List<ValidationError> errors;
        private String workflow;
        private String task;

        Reader(String source, List<ValidationError> errors) {
            this.source = source;
            this.errors = errors;
        }

        private void error(String field, String message) {
            errors.add(new ValidationError(source, workflow, task, field, message));
        }

        WorkflowSpec workflow(JsonNode node, int index) {
            workflow = index >= 0 ? "#" + (index + 1) : null;
            if (!node.isObject()) {
                error(null, "expected a workflow object with 'name' and 'tasks', found " + describe(node));
                return null;
            }
            String id = string(node, "id", false);
            String name = string(node, "name", true);
            workflow = id != null ? id : name != null ? name : workflow;
            unknownFields(node, WORKFLOW_FIELDS, "");
            PriorityClass priority = priorityClass(node.get("priorityClass"));
            Double deadline = deadline(node.get("deadline"));
            Double submitAt = submitAt(node.get("submitAt"));
            boolean open = false;
            JsonNode openNode = node.get("open");
            if (openNode != null && !openNode.isNull()) {
                if (openNode.isBoolean()) {
                    open = openNode.asBoolean();
                } else {
                    error("open", "expected true or false, found " + describe(openNode));
                }
            }
            List<TaskSpec> tasks = new ArrayList<>();
            JsonNode taskNodes = node.get("tasks");
            if (taskNodes == null || !taskNodes.isArray() || taskNodes.isEmpty()) {
                error("tasks", taskNodes == null ? "missing; a workflow needs a list of tasks"
                        : "expected a non-empty list of tasks, found " + describe(taskNodes));
            } else {
                int position = 0;
                for (JsonNode taskNode : taskNodes) {
                    position++;
                    TaskSpec spec = task(taskNode, position);
                    if (spec != null) {
                        tasks.add(spec);
                    }
                }
            }
            task = null;
            return new WorkflowSpec(id, name, priority, deadline, tasks, source, submitAt, open);
        }

        private PriorityClass priorityClass(JsonNode node) {
            if (node == null || node.isNull()) {
                return PriorityClass.NORMAL;
            }
            try {
                return PriorityClass.valueOf(node.asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                error("priorityClass", "'" + node.asText() + "' is not one of high, normal, low");
                return PriorityClass.NORMAL;
            }
        }

        private Double deadline(JsonNode node) {
            if (node == null || node.isNull()) {
                return null;
            }
            if (node.isNumber()) {
                return positive("deadline", node.asDouble());
            }
            try {
                return positive("deadline", Duration.parse(node.asText()).toMillis() / 1000.0);
            } catch (DateTimeParseException e) {
                error("deadline", "'" + node.asText() + "' is neither seconds nor an ISO-8601 duration such as PT10M");
                return null;
            }
        }

        /** Seconds after the engine started: 0 or more (an exported trace starts at 0). */
        private Double submitAt(JsonNode node) {
            if (node == null || node.isNull()) {
                return null;
            }
            if (!node.isNumber()) {
                error("submitAt", "expected a number of seconds after the run starts, found " + describe(node));
                return null;
            }
            double value = node.asDouble();
            if (value == Double.POSITIVE_INFINITY) {
                error("submitAt", WorkflowValidator.tooLong("a number too large to hold"));
                return null;
            }
            if (!(value >= 0)) {
                error("submitAt", "must be 0 or more seconds after the run starts, found " + value);
                return null;
            }
            return value;
        }

        private TaskSpec task(JsonNode node, int position) {
            task = "#" + position;
            if (!node.isObject()) {
                error(null, "expected a task object, found " + describe(node));
                return null;
            }
            String id = string(node, "id", true);
            if (id != null) {
                task = id;
            }
            unknownFields(node, TASK_FIELDS, "");
            String kind = string(node, "kind", true);
            String toolType = string(node, "toolType", false);
            List<String> dependsOn = dependsOn(node.get("dependsOn"));
            Resources resources = resources(node.get("resources"));
            JsonNode inputs = node.get("inputs");
            if (inputs == null || inputs.isNull()) {
                inputs = JsonNodeFactory.instance.objectNode();
            } else if (!inputs.isObject()) {
                // Executors read named inputs; a list or a string would only earn a misleading "needs
                // inputs.seconds" from the executor's check.
                error("inputs", "expected an object of named inputs such as {seconds: 2}, found " + describe(inputs));
                inputs = JsonNodeFactory.instance.objectNode();
            }
            Double timeout = optionalPositive(node, "timeoutSeconds");
            RetryPolicy retries = retries(node.get("retries"));
            Map<String, Double> features = features(node.get("features"));
            Double predicted = optionalPositive(node, "predictedSeconds");
            if (id == null || kind == null) {
                return null;
            }
            return new TaskSpec(id, kind, toolType == null ? DEFAULT_TOOL_TYPE : toolType, dependsOn, resources,
                    inputs, timeout, retries, features, predicted);
        }

        private List<String> dependsOn(JsonNode node) {
            List<String> ids = new ArrayList<>();
            if (node == null || node.isNull()) {
                return ids;
            }
            if (node.isTextual()) {
                ids.add(node.asText());
                return ids;
            }
            if (!node.isArray()) {
                error("dependsOn", "expected a task id or a list of task ids, found " + describe(node));
                return ids;
            }
            for (JsonNode element : node) {
                if (element.isTextual()) {
                    ids.add(element.asText());
                } else {
                    error("dependsOn", "expected task ids (strings), found " + describe(element));
                }
            }
            return ids;
        }

        private Resources resources(JsonNode node) {
            if (node == null || node.isNull()) {
                return Resources.DEFAULT;
            }
            if (!node.isObject()) {
                error("resources", "expected an object with cpu, memoryGb, gpus, gpuMemoryGb, model; found " + describe(node));
                return Resources.DEFAULT;
            }
            unknownFields(node, RESOURCE_FIELDS, "resources.");
            double cpu = nonNegative(node, "cpu", Resources.DEFAULT.cpu(), "resources.");
            double memory = nonNegative(node, "memoryGb", 0, "resources.");
            double gpuMemory = nonNegative(node, "gpuMemoryGb", 0, "resources.");
            String model = string(node, "model", false, "resources.");
            // A model call or a GPU-memory request implies one GPU unless the count is stated.
            double defaultGpus = model != null || gpuMemory > 0 ? 1 : 0;
            double gpus = nonNegative(node, "gpus", defaultGpus, "resources.");
            if (gpus != Math.rint(gpus) || gpus > NodeSpec.MAX_GPUS) { // (int) 1e19 would be 2147483647
                error("resources.gpus", "must be a whole number from 0 to " + NodeSpec.MAX_GPUS + " (the most GPUs a node "
                        + "may have), found " + node.get("gpus").asText());
                gpus = defaultGpus;
            }
            return new Resources(cpu, memory, (int) gpus, gpuMemory, model);
        }

        private RetryPolicy retries(JsonNode node) {
            if (node == null || node.isNull()) {
                return RetryPolicy.NONE;
            }
            if (node.isNumber()) {
                return RetryPolicy.of(retryCount(node, "retries"));
            }
            if (!node.isObject()) {
                error("retries", "expected a count or {count, backoffSeconds, multiplier, maxBackoffSeconds, jitter}, found "
                        + describe(node));
                return RetryPolicy.NONE;
            }
            unknownFields(node, RETRY_FIELDS, "retries.");
            JsonNode count = node.get("count");
            int retries = count == null ? 0 : retryCount(count, "retries.count");
            double backoff = nonNegative(node, "backoffSeconds", RetryPolicy.NONE.backoffSeconds(), "retries.");
            double multiplier = nonNegative(node, "multiplier", RetryPolicy.NONE.multiplier(), "retries.");
            if (multiplier < 1) {
                error("retries.multiplier", "must be at least 1, found " + multiplier);
            }
            double max = nonNegative(node, "maxBackoffSeconds", Math.max(backoff, RetryPolicy.NONE.maxBackoffSeconds()),
                    "retries.");
            double jitter = nonNegative(node, "jitter", 0, "retries.");
            if (jitter > 1) {
                error("retries.jitter", "must be from 0 to 1 (the share of each wait that is random), found " + jitter);
            }
            return new RetryPolicy(retries, backoff, multiplier, max, jitter);
        }

        private int retryCount(JsonNode node, String field) {
            // canConvertToInt: asInt() would silently wrap 10000000000 to 1410065408.
            if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 0 || node.asInt() > RetryPolicy.MAX_COUNT) {
                error(field, "expected a whole number of retries from 0 to " + RetryPolicy.MAX_COUNT + ", found "
                        + describe(node));
                return 0;
            }
            return node.asInt();
        }

        private Map<String, Double> features(JsonNode node) {
            Map<String, Double> features = new LinkedHashMap<>();
            if (node == null || node.isNull()) {
                return features;
            }
            if (!node.isObject()) {
                error("features", "expected an object of numbers, found " + describe(node));
                return features;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (entry.getValue().isNumber()) {
                    features.put(entry.getKey(), entry.getValue().asDouble());
                } else {
                    error("features." + entry.getKey(), "expected a number, found " + describe(entry.getValue()));
                }
            }
            return features;
        }

        private String string(JsonNode node, String field, boolean required) {
            return string(node, field, required, "");
        }

        private String string(JsonNode node, String field, boolean required, String prefix) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                if (required) {
                    error(prefix + field, "missing; it is required");
                }
                return null;
            }
            if (!value.isTextual() || value.asText().isBlank()) {
                error(prefix + field, "expected a non-empty string, found " + describe(value));
                return null;
            }
            return value.asText();
        }

        private double nonNegative(JsonNode node, String field, double fallback, String prefix) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.isNumber()) {
                error(prefix + field, "expected a number, found " + describe(value));
                return fallback;
            }
            double number = value.asDouble();
            if (Double.isInfinite(number)) { // 1e400; NaN and infinities as such are refused by DocumentReader
                error(prefix + field, "must be a finite number, found a number too large to hold");
                return fallback;
            }
            if (number < 0 || !Double.isFinite(number)) {
                error(prefix + field, "must not be negative, found " + value.asText());
                return fallback;
            }
            return number;
        }

        private Double optionalPositive(JsonNode node, String field) {
            JsonNode value = node.get(field);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isNumber()) {
                error(field, "expected a number of seconds, found " + describe(value));
                return null;
            }
            return positive(field, value.asDouble());
        }

        private Double positive(String field, double value) {
            if (value == Double.POSITIVE_INFINITY) { // 1e400 parses as infinity: say what was written was too large
                error(field, WorkflowValidator.tooLong("a number too large to hold"));
                return null;
            }
            if (!(value > 0) || !Double.isFinite(value)) {
                error(field, "must be a positive number of seconds, found " + value);
                return null;
            }
            return value;
        }

        private void unknownFields(JsonNode node, Set<String> known, String prefix) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!known.contains(name)) {
                    error(prefix + name, "unknown field" + Suggestions.didYouMean(name, known)
                            + "; known fields: " + String.join(", ", known.stream().sorted().toList()));
                }
            }
        }

        private static String describe(JsonNode node) {
            String text = node.toString();
            String shown = text.length() > 40 ? text.substring(0, 37) + "..." : text;
            return node.getNodeType().name().toLowerCase(Locale.ROOT) + " " + shown;
        }
    }
}
