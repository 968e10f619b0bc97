package dev.maze.core.exec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The executors an engine can use, by kind: the built-in ones plus any registered through ServiceLoader. */
public final class TaskExecutors {

    private TaskExecutors() {}

    /** {@code sim}, {@code process}, {@code java}, then ServiceLoader-registered kinds (which may replace them). */
    public static Map<String, TaskExecutor> defaults() {
        Map<String, TaskExecutor> executors = new LinkedHashMap<>();
        for (TaskExecutor executor : List.of(new SimExecutor(), new ProcessExecutor(), new JavaExecutor())) {
            executors.put(executor.kind(), executor);
        }
        ServiceLoader.load(TaskExecutor.class, TaskExecutors.class.getClassLoader())
                .forEach(executor -> executors.put(executor.kind(), executor));
        return executors;
    }
}
