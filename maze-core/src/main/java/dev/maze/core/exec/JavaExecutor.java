package dev.maze.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.workflow.InputCheck;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.Future;

/**
 * Kind {@code java}: calls a {@link JavaTask} found through {@link ServiceLoader}, named by
 * {@code inputs.function}, on a virtual thread.
 */
public final class JavaExecutor implements TaskExecutor {

    private final Map<String, JavaTask> functions = new TreeMap<>();

    /** Loads every {@link JavaTask} visible to this class's class loader. */
    public JavaExecutor() {
        this(ServiceLoader.load(JavaTask.class, JavaExecutor.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList());
    }

    /** Uses the given functions (tests and embedding). */
    public JavaExecutor(List<JavaTask> tasks) {
        for (JavaTask task : tasks) {
            functions.put(task.name(), task);
        }
    }

    @Override
    public String kind() {
        return "java";
    }

    @Override
    public List<InputCheck.Problem> check(JsonNode inputs) {
        JsonNode function = inputs.get("function");
        if (function == null || !function.isTextual()) {
            return List.of(new InputCheck.Problem("inputs.function",
                    "a java task needs inputs.function, the name of a registered function; registered: " + functions.keySet()));
        }
        if (!function.asText().contains("{{") && !functions.containsKey(function.asText())) {
            return List.of(new InputCheck.Problem("inputs.function", "no function named '" + function.asText()
                    + "' is registered (ServiceLoader, dev.maze.core.exec.JavaTask); registered: " + functions.keySet()));
        }
        return List.of();
    }

    @Override
    public Execution start(TaskInvocation invocation, ExecutionContext context) {
        JavaTask function = functions.get(invocation.inputs().path("function").asText());
        if (function == null) {
            context.complete(new TaskResult.Failure("no function named '" + invocation.inputs().path("function").asText()
                    + "' is registered"));
            return () -> {};
        }
        Future<?> future = context.blockingExecutor().submit(() -> {
            try {
                context.complete(new TaskResult.Success(function.run(invocation.inputs())));
            } catch (InterruptedException e) {
                context.complete(new TaskResult.Failure("cancelled"));
            } catch (Exception e) {
                context.complete(new TaskResult.Failure(e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        });
        return () -> future.cancel(true);
    }
}
