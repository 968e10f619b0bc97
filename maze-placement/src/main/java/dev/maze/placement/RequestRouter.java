package dev.maze.placement;

import java.util.Optional;

/**
 * Chooses the chain of nodes for one request over the current allocation. A router may keep state between requests
 * (a cursor, weights), so each user gets its own instance from {@link Routers#create}.
 */
public interface RequestRouter {

    /** The name {@code --router} takes. */
    String name();

    /** A route through healthy nodes that are not overloaded, or empty when there is none (the request waits or is refused). */
    Optional<Route> route(RoutingView view);
}
