package dev.maze.placement;

/**
 * Layers {@code [startLayer, endLayer)} (0-based, end exclusive) of the model run on one node.
 *
 * @param stageMs milliseconds the node takes per token for these layers
 * @param maxRequests requests the stage holds at once (its node's {@code maxRequests} and the KV cache its layers keep
 *     for each, {@link Node#requestLimit}); 0 for no limit
 */
public record Stage(String node, int startLayer, int endLayer, double stageMs, int maxRequests) {

    public int layers() {
        return endLayer - startLayer;
    }
}
