package dev.maze.core.placement;

/**
 * Where a task runs: a node and, for GPU tasks, which of its GPUs.
 *
 * @param node index of the node in the cluster
 * @param gpus indices of the node's GPUs given to the task (empty for CPU tasks)
 */
public record Assignment(int node, int[] gpus) {}
