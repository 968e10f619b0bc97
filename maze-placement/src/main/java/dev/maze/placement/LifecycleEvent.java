package dev.maze.placement;

/**
 * Something the lifecycle did, for reports and tests.
 *
 * @param atSeconds the clock's time
 * @param kind {@code joined}, {@code left}, {@code expired} (missed heartbeats past the timeout), {@code measured}
 *     (a node reported a per-layer latency), {@code dropped} (pipelines lost with a node; the others route around
 *     it), {@code reallocated}
 * @param node the node concerned; null for {@code reallocated}
 * @param detail why, in words
 */
public record LifecycleEvent(double atSeconds, String kind, String node, String detail) {}
