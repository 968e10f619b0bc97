package dev.maze.core.exec;

/**
 * Builds the executor of one task kind from its configuration section. The built-in kinds ({@code sim},
 * {@code process}, {@code java}) have factories in {@link TaskExecutors}; others register through
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.maze.core.exec.TaskExecutorFactory}) and may replace a
 * built-in kind. An executor may hold resources (an HTTP client, a connection pool): the engine closes it with itself.
 */
public interface TaskExecutorFactory {

    /** The kind tasks name to use the executor this factory builds. */
    String kind();

    /**
     * A new executor configured by {@code settings}; read every setting you accept, then call
     * {@link ExecutorSettings#done()}.
     *
     * @throws IllegalArgumentException for a bad or unknown setting (the message names it)
     */
    TaskExecutor create(ExecutorSettings settings);
}
