package dev.maze.core.placement;

/**
 * Scores a node that passed every filter; placement adds the plug-ins' scores times their weights (in the order
 * they were given) and takes the best node, ties to the lowest node index.
 *
 * <p>To choose without scanning every node, placement walks its indexes, which hand out nodes in order of rising
 * utilisation, and stops once no node left can beat the best found; for that each plug-in bounds its score by
 * {@link #upperBound}. A plug-in that cannot (the default) makes placement scan every node: correct, but its cost grows
 * with the cluster.
 */
public interface ScorePlugin extends PlacementPlugin {

    /**
     * The score of {@code node}, which passed every filter, with the GPUs the fit chose there ({@code gpus}, empty
     * for a task without GPUs). Higher is better; the weight is applied by placement.
     */
    double score(PlacementCycle cycle, NodeView node, int[] gpus);

    /**
     * The highest {@link #score} of any node other than the request's preferred node that passes the filters, has
     * utilisation {@code utilisation} and whose first chosen GPU holds ({@code chosenGpuHoldsModel}) or does not hold
     * the request's model. It must not increase with {@code utilisation}, and must be exact when the score depends on
     * nothing else (so that placement can skip nodes that only tie). NaN: cannot say (placement scans every node).
     */
    default double upperBound(PlacementCycle cycle, double utilisation, boolean chosenGpuHoldsModel) {
        return Double.NaN;
    }
}
