package dev.maze.core.placement;

/**
 * Refuses the nodes that cannot run the cycle's request now. A node runs the task only if every filter passes it.
 * Placement does not ask every filter about every node: it asks about the nodes its indexes propose, so a filter may
 * only refuse nodes, never make one eligible that {@link PlacementPlugins.Fits} refuses.
 */
public interface FilterPlugin extends PlacementPlugin {

    /**
     * @return null when {@code node} may run the request, else why not (reuse one {@link Refusal} per reason, so
     *     that refusals of many nodes add up in {@link Placement#whyPending})
     */
    Refusal filter(PlacementCycle cycle, NodeView node);
}
