package dev.maze.core.placement;

import dev.maze.core.node.Resources;

/**
 * A reservation for the head-of-line task that could not be placed: on {@code node}, later tasks may only use
 * cores and memory beyond what {@code request} needs, and no GPU at all if the head needs one. So tasks behind
 * the head can backfill anywhere without ever delaying its start on its reserved node.
 *
 * @param node index of the reserved node
 * @param request what the head task needs
 */
public record Claim(int node, Resources request) {}
