package dev.maze.placement;

/**
 * Layers {@code [startLayer, endLayer)} (0-based, end exclusive) of the model run on one node.
 *
 * @param stageMs milliseconds the node takes per token for these layers
 */
public record Stage(String node, int startLayer, int endLayer, double stageMs) {

    public int layers() {
        return endLayer - startLayer;
    }
}
