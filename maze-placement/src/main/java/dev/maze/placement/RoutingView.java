package dev.maze.placement;

/**
 * What a router reads at the moment it routes a request: the allocation, the nodes as they are now (with measured
 * per-layer latencies), and each node's health and load. {@link NodeLifecycle} is one; {@link #fixed} another.
 */
public interface RoutingView {

    /** The model and the nodes, with their current per-layer latencies. */
    Problem problem();

    /** The pipelines in force. */
    Allocation allocation();

    /** Whether the node answers heartbeats (an unknown node is not healthy). */
    boolean healthy(String node);

    /** Requests in flight on the node: routed to it and not yet reported done. */
    int inFlight(String node);

    /**
     * Whether the node holds as many requests as its stage allows ({@link Stage#maxRequests}: its {@code maxRequests}
     * and its KV cache; never when that is 0).
     */
    default boolean overloaded(String node) {
        Stage stage = allocation().stageOf(node);
        int max = stage != null ? stage.maxRequests() : 0;
        return max > 0 && inFlight(node) >= max;
    }

    /**
     * Milliseconds per token node {@code node} would add for {@code layers} layers now: {@code layers × per-layer ms ×
     * (1 + in flight)} — its own work and, as a FIFO server would, that of the requests ahead of it (the load term).
     * Infinite when the node is unhealthy or overloaded.
     */
    default double costMs(String node, int layers) {
        if (!healthy(node) || overloaded(node)) {
            return Double.POSITIVE_INFINITY;
        }
        return layers * problem().layerMs(problem().indexOf(node)) * (1 + inFlight(node));
    }

    /** An allocation with every node healthy and idle: what {@code maze place --route} routes over. */
    static RoutingView fixed(Problem problem, Allocation allocation) {
        return new RoutingView() {
            @Override
            public Problem problem() {
                return problem;
            }

            @Override
            public Allocation allocation() {
                return allocation;
            }

            @Override
            public boolean healthy(String node) {
                return problem.indexOf(node) >= 0;
            }

            @Override
            public int inFlight(String node) {
                return 0;
            }
        };
    }
}
