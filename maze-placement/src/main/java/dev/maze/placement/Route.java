package dev.maze.placement;

import java.util.List;

/**
 * The chain of nodes one request goes through, covering every layer once, in order.
 *
 * @param hops each node with the layers it runs for this request ({@code stageMs} its cost now, load included)
 * @param estimatedMs the router's estimate per token: every hop's cost plus the RTT between consecutive hops
 */
public record Route(List<Stage> hops, double estimatedMs) {

    public Route {
        hops = List.copyOf(hops);
    }

    /** The route over these (node, start, end) hops, costed from the view as it is now. */
    static Route of(RoutingView view, List<int[]> ranges, List<String> nodes) {
        List<Stage> hops = new java.util.ArrayList<>();
        double total = 0;
        Problem problem = view.problem();
        for (int k = 0; k < nodes.size(); k++) {
            int[] range = ranges.get(k);
            double cost = view.costMs(nodes.get(k), range[1] - range[0]);
            Stage held = view.allocation().stageOf(nodes.get(k));
            hops.add(new Stage(nodes.get(k), range[0], range[1], cost, held == null ? 0 : held.maxRequests()));
            total += cost;
            if (k > 0) {
                total += problem.rttMs(problem.indexOf(nodes.get(k - 1)), problem.indexOf(nodes.get(k)));
            }
        }
        return new Route(hops, total);
    }

    /** The ids of its nodes, in order. */
    public List<String> nodes() {
        return hops.stream().map(Stage::node).toList();
    }
}
