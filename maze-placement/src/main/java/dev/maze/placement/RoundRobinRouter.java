package dev.maze.placement;

import java.util.List;
import java.util.Optional;

/** Complete pipelines in turn, skipping one with a node that is unhealthy or overloaded. */
final class RoundRobinRouter implements RequestRouter {

    private int next;

    @Override
    public String name() {
        return "round-robin";
    }

    @Override
    public Optional<Route> route(RoutingView view) {
        List<Pipeline> pipelines = view.allocation().pipelines();
        for (int tried = 0; tried < pipelines.size(); tried++) {
            Pipeline pipeline = pipelines.get(Math.floorMod(next + tried, pipelines.size()));
            boolean usable = pipeline.nodes().stream().allMatch(n -> view.healthy(n) && !view.overloaded(n));
            if (usable) {
                next = Math.floorMod(next + tried + 1, pipelines.size());
                return Optional.of(Route.of(view, pipeline.stages().stream()
                        .map(s -> new int[] {s.startLayer(), s.endLayer()}).toList(), pipeline.nodes()));
            }
        }
        return Optional.empty();
    }
}
