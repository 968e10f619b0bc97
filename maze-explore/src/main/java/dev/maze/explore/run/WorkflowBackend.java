package dev.maze.explore.run;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.concurrent.ExecutionException;

/** Where an experiment's workflow runs: an engine in this process, or (later) a Maze server. */
public interface WorkflowBackend extends AutoCloseable {

    /**
     * Runs the workflow to its end.
     *
     * @return its final snapshot, or null when the backend was closed before it ended (the exploration is stopping)
     */
    WorkflowSnapshot run(WorkflowSpec spec) throws InterruptedException;

    @Override
    void close();

    /** An engine of this process (its nodes, policy and executors as built), closed with the backend. */
    static WorkflowBackend embedded(Engine engine) {
        return new WorkflowBackend() {
            private volatile boolean closed;

            @Override
            public WorkflowSnapshot run(WorkflowSpec spec) throws InterruptedException {
                WorkflowHandle handle;
                try {
                    handle = engine.submit(spec);
                } catch (ValidationException e) {
                    throw new IllegalStateException("the experiment's workflow is not valid: " + e.getMessage(), e);
                }
                try {
                    WorkflowSnapshot end = handle.result().get();
                    return closed ? null : end;
                } catch (ExecutionException e) {
                    if (closed) {
                        return null;
                    }
                    throw new IllegalStateException("the engine failed: " + e.getCause(), e.getCause());
                } catch (InterruptedException e) {
                    engine.cancel(handle.id());
                    throw e;
                }
            }

            @Override
            public void close() {
                closed = true;
                engine.close();
            }
        };
    }
}
