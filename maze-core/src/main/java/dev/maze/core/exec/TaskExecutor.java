package dev.maze.core.exec;

import dev.maze.core.workflow.InputCheck;

/**
 * Runs tasks of one kind. {@link #start} is called on the engine loop and must return at once: blocking work
 * goes to {@link ExecutionContext#blockingExecutor()} (virtual threads), timed work to
 * {@link ExecutionContext#schedule}. The executor reports exactly one {@link TaskResult} through
 * {@link ExecutionContext#complete}; later reports are ignored. New kinds register a {@link TaskExecutorFactory}
 * (configured from the {@code executors} section of the configuration) through {@link java.util.ServiceLoader}. An
 * executor may hold resources; the engine {@link #close() closes} it when the engine closes.
 */
public interface TaskExecutor extends InputCheck, AutoCloseable {

    /** The {@code kind} tasks name to use this executor. */
    String kind();

    /** Starts one attempt; returns a handle that stops it. */
    Execution start(TaskInvocation invocation, ExecutionContext context);

    /**
     * True when the executor only waits on the engine clock (through {@link ExecutionContext#schedule}), so a
     * virtual clock may jump ahead while its tasks run. False for anything that does real work.
     */
    default boolean clockDriven() {
        return false;
    }

    /** Releases what the executor holds (clients, pools). Called once, when the engine that uses it closes. */
    @Override
    default void close() {}

    /** Running work that can be stopped. */
    @FunctionalInterface
    interface Execution {
        /** Stops the attempt and everything it started (child processes included). Idempotent; may be called on the loop. */
        void cancel();
    }
}
