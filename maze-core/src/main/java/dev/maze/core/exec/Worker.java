package dev.maze.core.exec;

/**
 * Where an attempt runs, separate from how its kind runs: the engine hands each attempt to the worker of the node it
 * was placed on, and the worker runs the kind's {@link TaskExecutor} (in this process by default; on a remote member
 * in a cluster). The worker reports through the {@link ExecutionContext} like an executor does: success, failure
 * (retryable or not) or lost ({@link TaskResult}). Called on the engine loop; must return at once.
 */
public interface Worker {

    /** Starts one attempt of {@code invocation.spec().kind()} on this worker; returns a handle that stops it. */
    TaskExecutor.Execution start(TaskInvocation invocation, ExecutionContext context);

    /** Runs attempts in this process with the engine's executors (what every node uses unless told otherwise). */
    static Worker inProcess(java.util.Map<String, TaskExecutor> executors) {
        return (invocation, context) -> executors.get(invocation.spec().kind()).start(invocation, context);
    }
}
