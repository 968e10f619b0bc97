package dev.maze.core.placement;

/**
 * Chooses the node to hold for a head-of-line task that fits nowhere now (a {@link Claim}: later tasks may backfill
 * around it there, but never delay it), and hears when the hold ends.
 */
public interface ReservePlugin extends PlacementPlugin {

    /** The slot to hold for the cycle's request, or -1 if no accepting node could ever run it. */
    int reserve(PlacementCycle cycle);

    /** The hold on {@code node} ended (the task started or left the queue). Nothing by default. */
    default void unreserve(PlacementCycle cycle, int node) {}
}
