package dev.maze.core.policy;

import java.util.EnumSet;
import java.util.Set;

/**
 * The agent-level baseline (AutoGen, AgentScope): a workflow is the unit of scheduling. It is bound to one
 * node when its first task starts, and its tasks run on that node one at a time in topological order.
 * Workflows are served in submission order. What this models and what it leaves out is in the core README.
 */
public final class AgentPolicy implements OrderingPolicy {

    @Override
    public String name() {
        return "agent";
    }

    @Override
    public Set<Trait> traits() {
        return EnumSet.of(Trait.SERIAL_WORKFLOW, Trait.PIN_WORKFLOW_TO_NODE);
    }

    @Override
    public QueueKey key(ReadyTask task) {
        return new QueueKey(task.workflowSubmittedAt(), task.topologicalIndex());
    }
}
