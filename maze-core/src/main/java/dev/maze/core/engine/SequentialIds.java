package dev.maze.core.engine;

import java.util.concurrent.atomic.AtomicLong;

/** The default {@link IdGenerator}: one counter for workflow ids (suffix {@code -N}), one for attempts. */
final class SequentialIds implements IdGenerator {

    private final AtomicLong workflows = new AtomicLong();
    private final AtomicLong attempts = new AtomicLong();

    @Override
    public String workflowId(String workflowName) {
        return workflowName + "-" + workflows.incrementAndGet();
    }

    @Override
    public long attemptId() {
        return attempts.incrementAndGet();
    }

    @Override
    public void observe(String workflowId, long attemptId) {
        attempts.accumulateAndGet(attemptId, Math::max);
        int dash = workflowId == null ? -1 : workflowId.lastIndexOf('-');
        if (dash >= 0) {
            try {
                workflows.accumulateAndGet(Long.parseLong(workflowId.substring(dash + 1)), Math::max);
            } catch (NumberFormatException e) {
                // A user-chosen id without a numeric suffix cannot collide with a generated one.
            }
        }
    }
}
