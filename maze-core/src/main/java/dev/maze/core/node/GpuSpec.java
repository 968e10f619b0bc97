package dev.maze.core.node;

/**
 * One GPU of a node.
 *
 * @param index position on the node (as nvidia-smi numbers it)
 * @param name model name of the card, or "virtual"
 * @param memoryGb memory in GB
 */
public record GpuSpec(int index, String name, double memoryGb) {}
