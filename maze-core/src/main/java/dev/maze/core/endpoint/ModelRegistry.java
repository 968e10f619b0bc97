package dev.maze.core.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.node.ModelEndpoint;
import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.sim.Arrival;
import dev.maze.core.sim.Workload;
import dev.maze.core.workflow.DocumentReader;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser.Format;
import dev.maze.core.workflow.WorkflowSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The model registry ({@code --models FILE}, docs/model-registry.md): the model servers calls go to, each becoming a
 * node of the engine ({@link NodeSpec#forEndpoint}) so that its concurrency limit is a slot never exceeded and its
 * resident models are tracked like a GPU's. Immutable once read.
 */
public final class ModelRegistry {

    /** The task kinds that call a model named by {@code inputs.model}. */
    public static final Set<String> MODEL_CALL_KINDS = Set.of("llm", "vlm", "speech");

    /** Memory of an always-loaded endpoint's slot when it states none: its models hold none of it. */
    static final double REPLICA_SLOT_GB = 1;

    private static final Set<String> TOP_FIELDS = Set.of("endpoints");
    private static final Set<String> ENDPOINT_FIELDS =
            Set.of("id", "url", "apiKeyEnv", "maxConcurrency", "holds", "memoryGb", "models");
    private static final Set<String> MODEL_FIELDS = Set.of("memoryGb", "loadSeconds");
    private static final Set<String> KEY_LIKE = Set.of("apiKey", "key", "token", "bearerToken", "password");

    private final List<ModelEndpoint> endpoints;
    private final List<NodeSpec> nodes;

    private ModelRegistry(List<ModelEndpoint> endpoints, List<NodeSpec> nodes) {
        this.endpoints = List.copyOf(endpoints);
        this.nodes = List.copyOf(nodes);
    }

    /**
     * Reads a registry file (YAML for {@code .yaml}/{@code .yml}, else JSON).
     *
     * @throws ValidationException with every problem of the file at once, each naming the file and the field
     */
    public static ModelRegistry read(Path file) throws ValidationException {
        return parse(DocumentReader.readFile(file), DocumentReader.formatOf(file), file.toString());
    }

    /** As {@link #read}, from text; {@code source} names it in messages. */
    public static ModelRegistry parse(String text, Format format, String source) throws ValidationException {
        JsonNode root = DocumentReader.read(text, format, source, "a model registry is one document",
                "a model registry lists endpoints: {endpoints: [{id, url, maxConcurrency, holds, models}]}");
        return new Reader(source).registry(root);
    }

    /** The endpoints, in file order. */
    public List<ModelEndpoint> endpoints() {
        return endpoints;
    }

    /** One node per endpoint, id {@code endpoint:<id>}, in file order. */
    public List<NodeSpec> nodes() {
        return nodes;
    }

    /** Every model some endpoint serves. */
    public Set<String> models() {
        Set<String> models = new LinkedHashSet<>();
        endpoints.forEach(endpoint -> models.addAll(endpoint.models().keySet()));
        return models;
    }

    /** The model {@code task} calls: its {@code inputs.model} when it is a model call and names one; else null. */
    public static String modelCalled(TaskSpec task) {
        String model = task.inputs() == null ? null : task.inputs().path("model").textValue();
        return MODEL_CALL_KINDS.contains(task.kind()) && model != null && !model.isBlank() && !model.contains("{{")
                ? model : null;
    }

    /**
     * The workflow with its model calls routed to the endpoints: a task of a model-call kind whose {@code inputs.model}
     * an endpoint serves, and whose resources ask for no GPU, asks for one endpoint slot of that model instead
     * ({@code gpus: 1, model: <inputs.model>}, no cores). Other tasks are unchanged: calls whose model is a template
     * (not known before the call), and calls that name their own {@code inputs.baseUrl} (they go where they say, so
     * they take no endpoint's slot).
     */
    public WorkflowSpec route(WorkflowSpec workflow) {
        Set<String> served = models();
        List<TaskSpec> tasks = new ArrayList<>(workflow.tasks().size());
        boolean changed = false;
        for (TaskSpec task : workflow.tasks()) {
            String model = modelCalled(task);
            boolean ownUrl = task.inputs() != null && task.inputs().hasNonNull("baseUrl");
            if (model != null && served.contains(model) && !ownUrl
                    && task.resources().gpus() == 0) {
                Resources slot = new Resources(0, 0, 1, 0, model);
                tasks.add(new TaskSpec(task.id(), task.kind(), task.toolType(), task.dependsOn(), slot, task.inputs(),
                        task.timeoutSeconds(), task.retries(), task.features(), task.predictedSeconds()));
                changed = true;
            } else {
                tasks.add(task);
            }
        }
        return changed ? new WorkflowSpec(workflow.id(), workflow.name(), workflow.priorityClass(),
                workflow.deadlineSeconds(), tasks, workflow.source(), workflow.submitAtSeconds(), workflow.open()) : workflow;
    }

    /**
     * The workflows {@link #route routed}, after checking that each task calling a model some endpoint serves can take
     * an endpoint's slot: such a model runs on endpoints only, one slot a call, so a task asking for it with more than
     * one GPU or a slice of one could never run.
     *
     * @throws ValidationException naming every such task and its workflow
     */
    public List<WorkflowSpec> routeAll(List<WorkflowSpec> workflows) throws ValidationException {
        Set<String> served = models();
        List<ValidationError> errors = new ArrayList<>();
        List<WorkflowSpec> routed = new ArrayList<>(workflows.size());
        for (WorkflowSpec workflow : workflows) {
            WorkflowSpec after = route(workflow);
            for (TaskSpec task : after.tasks()) {
                Resources need = task.resources();
                if (need.model() != null && served.contains(need.model()) && (need.gpus() != 1 || !need.wholeGpus())) {
                    errors.add(new ValidationError(workflow.source(), workflow.label(), task.id(), "resources",
                            "model '" + need.model() + "' is served by the endpoints of the model registry, which take a"
                                    + " call in one slot: ask for gpus: 1 without gpuMemoryGb, or state no resources"));
                }
            }
            routed.add(after);
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return routed;
    }

    /**
     * The workload simulated with this registry's endpoints: its cluster plus one node per endpoint, its arrivals with
     * their model calls {@link #route routed}. A model an endpoint serves is then called only on endpoints (see
     * {@link NodeSpec#endpoint()}), so one registry file drives both {@code maze run} and {@code maze simulate}.
     */
    public Workload simulated(Workload workload) {
        List<NodeSpec> cluster = new ArrayList<>(workload.nodes());
        cluster.addAll(nodes);
        return Workload.of(workload.name(), cluster, workload.models(), workload.phases(), workload.defaultSeed(),
                seed -> {
                    List<Arrival> routed = new ArrayList<>();
                    for (Arrival arrival : workload.arrivals(seed)) {
                        routed.add(new Arrival(arrival.atSeconds(), arrival.phase(), arrival.type(), route(arrival.spec())));
                    }
                    return routed;
                });
    }

    /** Reads one document, collecting every problem before giving up. */
    private static final class Reader {
        private final String source;
        private final List<ValidationError> errors = new ArrayList<>();

        Reader(String source) {
            this.source = source;
        }

        private void error(String field, String message) {
            errors.add(new ValidationError(source, null, null, field, message));
        }

        ModelRegistry registry(JsonNode root) throws ValidationException {
            List<ModelEndpoint> endpoints = new ArrayList<>();
            List<NodeSpec> nodes = new ArrayList<>();
            if (!root.isObject()) {
                error(null, "expected an object with 'endpoints', found " + describe(root));
            } else {
                unknownFields(root, TOP_FIELDS, "");
                JsonNode list = root.get("endpoints");
                if (list == null || !list.isArray() || list.isEmpty()) {
                    error("endpoints", "expected a non-empty list of endpoints, found " + describe(list));
                } else {
                    Set<String> ids = new LinkedHashSet<>();
                    for (int i = 0; i < list.size(); i++) {
                        endpoint(list.get(i), "endpoints[" + i + "]", ids, endpoints, nodes);
                    }
                }
            }
            if (!errors.isEmpty()) {
                throw new ValidationException(errors);
            }
            return new ModelRegistry(endpoints, nodes);
        }

        private void endpoint(JsonNode node, String path, Set<String> ids, List<ModelEndpoint> endpoints,
                List<NodeSpec> nodes) {
            if (!node.isObject()) {
                error(path, "expected an object with id, url, maxConcurrency, holds and models, found " + describe(node));
                return;
            }
            int before = errors.size();
            unknownFields(node, ENDPOINT_FIELDS, path + ".");
            String id = text(node, "id", path);
            if (id != null) {
                if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                    error(path + ".id", "expected letters, digits, '.', '_' or '-' (not first), found '" + id + "'");
                } else if (!ids.add(id)) {
                    error(path + ".id", "endpoint '" + id + "' is listed twice; give each endpoint its own id");
                }
            }
            String url = text(node, "url", path);
            if (url != null && ModelEndpoint.urlProblem(url) != null) {
                error(path + ".url", ModelEndpoint.urlProblem(url));
            }
            String apiKeyEnv = null;
            if (node.has("apiKeyEnv")) {
                JsonNode value = node.get("apiKeyEnv");
                if (!value.isTextual() || !value.asText().matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    // Never quote it: a key given here by mistake must not reach a message.
                    error(path + ".apiKeyEnv", "expected the name of an environment variable (letters, digits and '_',"
                            + " not starting with a digit), not the key itself; export the key and name its variable");
                } else {
                    apiKeyEnv = value.asText();
                }
            }
            Integer maxConcurrency = null;
            JsonNode concurrency = node.get("maxConcurrency");
            if (concurrency == null) {
                error(path + ".maxConcurrency", "missing: requests the endpoint may have in flight at once (e.g. 8)");
            } else if (!concurrency.isIntegralNumber() || concurrency.asLong() < 1 || concurrency.asLong() > 100_000) {
                error(path + ".maxConcurrency", "expected a whole number from 1 to 100000, found " + describe(concurrency));
            } else {
                maxConcurrency = concurrency.asInt();
            }
            String holds = text(node, "holds", path);
            boolean always = true;
            if (holds != null && !holds.equals("always") && !holds.equals("on-demand")) {
                error(path + ".holds", "expected 'always' (a vLLM or SGLang replica serving its models) or 'on-demand'"
                        + " (Ollama-style: loads a model when asked), found '" + holds + "'");
                holds = null;
            }
            always = !"on-demand".equals(holds);
            Double memoryGb = null;
            if (node.has("memoryGb")) {
                memoryGb = positive(node.get("memoryGb"), path + ".memoryGb");
            } else if ("on-demand".equals(holds)) {
                error(path + ".memoryGb", "missing: an on-demand endpoint states the memory its resident models may take"
                        + " (GB)");
            }
            Map<String, ModelSpec> models = models(node.get("models"), path + ".models", always, memoryGb,
                    maxConcurrency == null ? 1 : maxConcurrency);
            if (errors.size() > before || holds == null || id == null || url == null || maxConcurrency == null) {
                return;
            }
            ModelEndpoint endpoint = new ModelEndpoint(id, url, apiKeyEnv, maxConcurrency, always, models);
            endpoints.add(endpoint);
            double slot = memoryGb != null ? memoryGb
                    : Math.max(REPLICA_SLOT_GB, models.values().stream().mapToDouble(ModelSpec::memoryGb).sum());
            nodes.add(NodeSpec.forEndpoint(endpoint, slot));
        }

        private Map<String, ModelSpec> models(JsonNode node, String path, boolean always, Double memoryGb,
                int concurrency) {
            Map<String, ModelSpec> models = new LinkedHashMap<>();
            if (node == null) {
                error(path, "missing: the models the endpoint serves, by the name calls give in inputs.model");
            } else if (node.isArray() && always) {
                for (int i = 0; i < node.size(); i++) {
                    JsonNode name = node.get(i);
                    if (!name.isTextual() || name.asText().isBlank()) {
                        error(path + "[" + i + "]", "expected a model name, found " + describe(name));
                    } else if (models.put(name.asText(), new ModelSpec(name.asText(), 0, 0, concurrency, 0)) != null) {
                        error(path + "[" + i + "]", "model '" + name.asText() + "' is listed twice");
                    }
                }
            } else if (node.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> entry = it.next();
                    models.put(entry.getKey(), model(entry.getKey(), entry.getValue(), path + "." + entry.getKey(),
                            always, memoryGb, concurrency));
                }
            } else {
                error(path, always ? "expected a list of model names (or an object of model name to {memoryGb}), found "
                        + describe(node) : "expected an object of model name to {memoryGb, loadSeconds}, found "
                        + describe(node));
            }
            if (models.isEmpty() && node != null && (node.isArray() || node.isObject())) {
                error(path, "lists no model; name at least one");
            }
            return models;
        }

        private ModelSpec model(String name, JsonNode node, String path, boolean always, Double memoryGb,
                int concurrency) {
            if (node == null || node.isNull()) {
                node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            }
            if (!node.isObject()) {
                error(path, "expected {memoryGb, loadSeconds}, found " + describe(node));
                return new ModelSpec(name, 0, 0, concurrency, 0);
            }
            unknownFields(node, MODEL_FIELDS, path + ".");
            double memory = 0;
            if (node.has("memoryGb")) {
                Double value = positive(node.get("memoryGb"), path + ".memoryGb");
                memory = value == null ? 0 : value;
                if (memoryGb != null && value != null && value > memoryGb + 1e-9) {
                    error(path + ".memoryGb", "the model takes " + value + " GB, more than the endpoint's memoryGb "
                            + memoryGb + "; it could never be loaded there");
                }
            } else if (!always) {
                error(path + ".memoryGb", "missing: the memory the model takes while resident (GB)");
            }
            double load = 0;
            if (node.has("loadSeconds")) {
                JsonNode value = node.get("loadSeconds");
                if (always) {
                    error(path + ".loadSeconds", "an always-loaded endpoint never loads a model; drop loadSeconds or"
                            + " make the endpoint holds: on-demand");
                } else if (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > 1e8) {
                    error(path + ".loadSeconds", "expected seconds from 0 to 1e8, found " + describe(value));
                } else {
                    load = value.asDouble();
                }
            } else if (!always) {
                error(path + ".loadSeconds", "missing: how long loading the model takes (seconds)");
            }
            return new ModelSpec(name, memory, load, concurrency, 0);
        }

        private String text(JsonNode node, String field, String path) {
            JsonNode value = node.get(field);
            if (value == null) {
                error(path + "." + field, "missing");
                return null;
            }
            if (!value.isTextual() || value.asText().isBlank()) {
                error(path + "." + field, "expected a string, found " + describe(value));
                return null;
            }
            return value.asText();
        }

        private Double positive(JsonNode value, String field) {
            if (!value.isNumber() || !(value.asDouble() > 0) || value.asDouble() > NodeSpec.MAX_GPU_MEMORY_GB) {
                error(field, "expected GB above 0 and at most " + (long) NodeSpec.MAX_GPU_MEMORY_GB + ", found "
                        + describe(value));
                return null;
            }
            return value.asDouble();
        }

        private void unknownFields(JsonNode node, Set<String> known, String prefix) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (KEY_LIKE.contains(name)) {
                    error(prefix + name, "a key is never written in a file: export it in an environment variable and"
                            + " give that variable's name as apiKeyEnv");
                } else if (!known.contains(name)) {
                    error(prefix + name, "unknown field; expected one of " + new java.util.TreeSet<>(known));
                }
            }
        }
    }

    private static String describe(JsonNode value) {
        if (value == null || value.isNull()) {
            return "nothing";
        }
        String text = value.isTextual() ? "'" + value.asText() + "'" : value.toString();
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
