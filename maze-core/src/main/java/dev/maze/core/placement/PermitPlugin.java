package dev.maze.core.placement;

/**
 * Decides whether the chosen node should be used now, or the task should wait (e.g. for a GPU that holds its model
 * to free up). A plug-in may only hold a task back for a bounded time, so that nothing starves.
 */
public interface PermitPlugin extends PlacementPlugin {

    /** {@link Permit#ALLOW}, or {@link Permit#waitUntil} when waiting is better than {@code chosen}. */
    Permit permit(PlacementCycle cycle, Assignment chosen);

    /**
     * The latest engine-clock time (seconds) until which this plug-in would hold the request back: when a task it
     * made wait must be considered again even if nothing else happens.
     */
    double waitsAtMostUntil(PlacementCycle cycle);
}
