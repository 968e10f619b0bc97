package dev.maze.core.exec;

import dev.maze.core.clock.Clock;
import java.util.concurrent.ExecutorService;

/** What the engine offers an executor for one attempt. */
public interface ExecutionContext {

    /** The engine's clock. */
    Clock clock();

    /** Runs {@code action} on the engine loop after {@code delaySeconds} of engine-clock time; returns a cancel handle. */
    Runnable schedule(double delaySeconds, Runnable action);

    /** Reports the attempt's result; thread-safe, only the first report counts. */
    void complete(TaskResult result);

    /** Virtual threads for blocking work. */
    ExecutorService blockingExecutor();
}
