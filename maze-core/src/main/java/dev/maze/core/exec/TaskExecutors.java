package dev.maze.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registry of task kinds: executors built by name from configuration. The built-in kinds are {@code sim},
 * {@code process} and {@code java}; {@link TaskExecutorFactory} implementations found through
 * {@link ServiceLoader} add kinds or replace built-in ones (as do {@link TaskExecutor}s registered directly, which
 * take no settings).
 */
public final class TaskExecutors {

    private static final List<TaskExecutorFactory> BUILT_IN = List.of(
            factory("sim", SimExecutor::create),
            factory("process", ProcessExecutor::create),
            factory("java", settings -> {
                settings.done();
                return new JavaExecutor();
            }));

    private TaskExecutors() {}

    /** Every kind with its default settings. */
    public static Map<String, TaskExecutor> defaults() {
        return fromConfig(null);
    }

    /**
     * Every kind, each configured by its section of {@code executors} (an object of kind: settings; null for none).
     *
     * @throws IllegalArgumentException for a section of an unknown kind, or a bad setting (the message names it)
     */
    public static Map<String, TaskExecutor> fromConfig(JsonNode executors) {
        Map<String, TaskExecutorFactory> factories = factories();
        if (executors != null && !executors.isNull() && !executors.isMissingNode()) {
            if (!executors.isObject()) {
                throw new IllegalArgumentException("executors: expected a map of kind: settings, found " + executors);
            }
            executors.fieldNames().forEachRemaining(kind -> {
                if (!factories.containsKey(kind)) {
                    throw new IllegalArgumentException("executors." + kind + ": unknown task kind; known kinds: "
                            + String.join(", ", factories.keySet()));
                }
            });
        }
        Map<String, TaskExecutor> built = new LinkedHashMap<>();
        for (TaskExecutorFactory factory : factories.values()) {
            JsonNode section = executors == null ? null : executors.get(factory.kind());
            built.put(factory.kind(), factory.create(new ExecutorSettings(factory.kind(), section)));
        }
        return built;
    }

    /** Kinds and their factories: built-in first, then ServiceLoader-registered ones (which may replace them). */
    public static Map<String, TaskExecutorFactory> factories() {
        Map<String, TaskExecutorFactory> factories = new LinkedHashMap<>();
        for (TaskExecutorFactory factory : BUILT_IN) {
            factories.put(factory.kind(), factory);
        }
        ClassLoader loader = TaskExecutors.class.getClassLoader();
        List<TaskExecutorFactory> found = new ArrayList<>();
        ServiceLoader.load(TaskExecutor.class, loader).forEach(executor -> found.add(factory(executor.kind(), settings -> {
            settings.done();
            return executor;
        })));
        ServiceLoader.load(TaskExecutorFactory.class, loader).forEach(found::add);
        for (TaskExecutorFactory factory : found) {
            factories.put(factory.kind(), factory);
        }
        return factories;
    }

    private static TaskExecutorFactory factory(String kind, java.util.function.Function<ExecutorSettings, TaskExecutor> create) {
        return new TaskExecutorFactory() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public TaskExecutor create(ExecutorSettings settings) {
                return create.apply(settings);
            }
        };
    }
}
