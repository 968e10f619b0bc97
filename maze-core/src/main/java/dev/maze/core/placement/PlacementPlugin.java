package dev.maze.core.placement;

/**
 * One step of choosing a node, as the Kubernetes scheduler framework splits it: {@link FilterPlugin filter} (which
 * nodes can run the task now, and why not), {@link ScorePlugin score} (weighted; the best node wins), {@link
 * PermitPlugin permit} (start now, or wait until a time) and {@link ReservePlugin reserve} (the node to hold for a
 * head-of-line task that fits nowhere). {@link Placement} runs them; {@link Placements} builds the named sets.
 * Plug-ins are called on the engine loop only; they must not change the cluster.
 */
public interface PlacementPlugin {

    /** Name in reports and refusals, e.g. {@code least-loaded}. */
    String name();
}
