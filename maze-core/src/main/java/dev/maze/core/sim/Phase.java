package dev.maze.core.sim;

/**
 * A stretch of the arrival process, for per-phase statistics (by submission time).
 *
 * @param name label, e.g. "phase 4 (125%)"
 * @param startSeconds inclusive
 * @param endSeconds exclusive
 * @param ratePerSecond mean arrival rate in this phase (NaN for a batch or a trace)
 */
public record Phase(String name, double startSeconds, double endSeconds, double ratePerSecond) {}
