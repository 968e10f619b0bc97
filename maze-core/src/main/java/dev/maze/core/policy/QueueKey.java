package dev.maze.core.policy;

/**
 * A ready-queue sort key: compared by {@code primary}, then {@code secondary}; smaller runs first.
 * The engine breaks remaining ties by arrival sequence, so order is always deterministic.
 */
public record QueueKey(double primary, double secondary) {}
