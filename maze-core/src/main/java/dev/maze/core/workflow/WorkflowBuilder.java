package dev.maze.core.workflow;

import dev.maze.core.node.Resources;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Java API for building workflows:
 *
 * <pre>{@code
 * WorkflowSpec spec = WorkflowBuilder.workflow("rag")
 *     .task("search", t -> t.kind("sim").input("seconds", 2))
 *     .task("answer", t -> t.kind("sim").dependsOn("search").gpu("qwen3-32b")
 *         .input("prompt", "{{tasks.search.output.text}}"))
 *     .build();
 * }</pre>
 *
 * The result is not validated; pass it to the engine (which does) or to {@link WorkflowValidator}.
 */
public final class WorkflowBuilder {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private String id;
    private PriorityClass priorityClass = PriorityClass.NORMAL;
    private Double deadlineSeconds;
    private final List<TaskSpec> tasks = new ArrayList<>();

    private WorkflowBuilder(String name) {
        this.name = name;
    }

    /** Starts a workflow of the given name (its type). */
    public static WorkflowBuilder workflow(String name) {
        return new WorkflowBuilder(name);
    }

    public WorkflowBuilder id(String id) {
        this.id = id;
        return this;
    }

    public WorkflowBuilder priorityClass(PriorityClass priorityClass) {
        this.priorityClass = priorityClass;
        return this;
    }

    public WorkflowBuilder deadlineSeconds(double seconds) {
        this.deadlineSeconds = seconds;
        return this;
    }

    /** Adds a task configured by {@code configure}; kind defaults to {@code sim}. */
    public WorkflowBuilder task(String taskId, Consumer<TaskBuilder> configure) {
        TaskBuilder builder = new TaskBuilder(taskId);
        configure.accept(builder);
        tasks.add(builder.build());
        return this;
    }

    public WorkflowSpec build() {
        return new WorkflowSpec(id, name, priorityClass, deadlineSeconds, tasks, null);
    }

    /** Settings of one task. */
    public static final class TaskBuilder {
        private final String id;
        private String kind = "sim";
        private String toolType = WorkflowParser.DEFAULT_TOOL_TYPE;
        private final List<String> dependsOn = new ArrayList<>();
        private Resources resources = Resources.DEFAULT;
        private final ObjectNode inputs = JSON.createObjectNode();
        private Double timeoutSeconds;
        private RetryPolicy retries = RetryPolicy.NONE;
        private final Map<String, Double> features = new LinkedHashMap<>();
        private Double predictedSeconds;

        private TaskBuilder(String id) {
            this.id = id;
        }

        public TaskBuilder kind(String value) {
            this.kind = value;
            return this;
        }

        public TaskBuilder toolType(String value) {
            this.toolType = Objects.requireNonNull(value, "toolType");
            return this;
        }

        public TaskBuilder dependsOn(String... ids) {
            dependsOn.addAll(List.of(ids));
            return this;
        }

        public TaskBuilder resources(Resources value) {
            this.resources = Objects.requireNonNull(value, "resources");
            return this;
        }

        /** One whole GPU running {@code model}, one core. */
        public TaskBuilder gpu(String model) {
            this.resources = new Resources(1, 0, 1, 0, model);
            return this;
        }

        /** Sets an input value (any JSON-mappable value: strings may hold templates). */
        public TaskBuilder input(String key, Object value) {
            JsonNode node = JSON.valueToTree(value);
            inputs.set(key, node);
            return this;
        }

        public TaskBuilder timeoutSeconds(double value) {
            this.timeoutSeconds = value;
            return this;
        }

        public TaskBuilder retries(RetryPolicy value) {
            this.retries = Objects.requireNonNull(value, "retries (use RetryPolicy.NONE for none)");
            return this;
        }

        public TaskBuilder feature(String featureName, double value) {
            features.put(featureName, value);
            return this;
        }

        public TaskBuilder predictedSeconds(double value) {
            this.predictedSeconds = value;
            return this;
        }

        TaskSpec build() {
            return new TaskSpec(id, kind, toolType, dependsOn, resources, inputs.deepCopy(), timeoutSeconds, retries,
                    features, predictedSeconds);
        }
    }
}
