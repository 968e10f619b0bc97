package dev.maze.placement;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cluster throughput as a maximum flow over the allocation (Helix's view), and requests spread in proportion to it
 * (maze-placement/README.md, "Routers"). Tokens flow from a source to every stage that starts at layer 0, through a
 * stage at most at its node's token rate ({@code 1000 / stage ms}; 0 when unhealthy or overloaded), from a stage to
 * every stage that starts where it ends, at most at the link's rate ({@code min(linkGbPerSec of both) /
 * activation bytes per token}, unlimited when either is unknown), and on to a sink from every stage that ends at the
 * last layer. The flow, split into paths, gives each chain a weight; requests go to the chains by smooth weighted
 * round-robin, so over any window each chain gets its share to within one request.
 */
final class MaxFlowRouter implements RequestRouter {

    private static final double UNLIMITED = 1e18;

    private final Map<String, Double> credit = new HashMap<>();

    @Override
    public String name() {
        return "max-flow";
    }

    /** A chain of stages and the tokens per second the flow sends along it. */
    record Path(List<Stage> stages, double tokensPerSec) {}

    /** The maximum flow, tokens per second, and its paths. */
    record Flow(double tokensPerSec, List<Path> paths) {}

    @Override
    public Optional<Route> route(RoutingView view) {
        Flow flow = flow(view);
        if (flow.paths().isEmpty()) {
            return Optional.empty();
        }
        Map<String, Path> byKey = new HashMap<>();
        for (Path path : flow.paths()) {
            byKey.put(key(path), path);
        }
        credit.keySet().retainAll(byKey.keySet());
        String chosen = null;
        for (Path path : flow.paths()) {
            String key = key(path);
            double now = credit.merge(key, path.tokensPerSec(), Double::sum);
            if (chosen == null || now > credit.get(chosen)) {
                chosen = key;
            }
        }
        credit.merge(chosen, -flow.tokensPerSec(), Double::sum);
        List<Stage> stages = byKey.get(chosen).stages();
        return Optional.of(Route.of(view, stages.stream().map(s -> new int[] {s.startLayer(), s.endLayer()}).toList(),
                stages.stream().map(Stage::node).toList()));
    }

    private static String key(Path path) {
        return String.join(">", path.stages().stream().map(Stage::node).toList());
    }

    /** The maximum flow over the view's allocation (Edmonds-Karp; the graph has 2 vertices per stage). */
    static Flow flow(RoutingView view) {
        Problem problem = view.problem();
        List<Stage> stages = new ArrayList<>();
        view.allocation().pipelines().forEach(p -> stages.addAll(p.stages()));
        int n = stages.size();
        int vertices = 2 * n + 2;
        int source = 2 * n;
        int sink = 2 * n + 1;
        double[][] capacity = new double[vertices][vertices];
        double activationBytes = problem.model().activationKbPerToken() * 1e3;
        for (int s = 0; s < n; s++) {
            Stage stage = stages.get(s);
            boolean usable = view.healthy(stage.node()) && !view.overloaded(stage.node());
            double ms = stage.layers() * problem.layerMs(problem.indexOf(stage.node()));
            capacity[2 * s][2 * s + 1] = usable ? 1000 / ms : 0;
            if (stage.startLayer() == 0) {
                capacity[source][2 * s] = UNLIMITED;
            }
            if (stage.endLayer() == problem.layers()) {
                capacity[2 * s + 1][sink] = UNLIMITED;
            }
            for (int u = 0; u < n; u++) {
                if (stages.get(u).endLayer() == stage.startLayer()) {
                    double a = problem.node(problem.indexOf(stages.get(u).node())).linkGbPerSec();
                    double b = problem.node(problem.indexOf(stage.node())).linkGbPerSec();
                    capacity[2 * u + 1][2 * s] = a > 0 && b > 0 && activationBytes > 0
                            ? Math.min(a, b) * 1e9 / activationBytes : UNLIMITED;
                }
            }
        }
        double[][] flow = new double[vertices][vertices];
        double total = 0;
        while (true) {
            int[] parent = new int[vertices];
            Arrays.fill(parent, -1);
            parent[source] = source;
            ArrayDeque<Integer> queue = new ArrayDeque<>(List.of(source));
            while (!queue.isEmpty() && parent[sink] < 0) {
                int v = queue.poll();
                for (int w = 0; w < vertices; w++) {
                    if (parent[w] < 0 && capacity[v][w] - flow[v][w] + flow[w][v] > 1e-9) {
                        parent[w] = v;
                        queue.add(w);
                    }
                }
            }
            if (parent[sink] < 0) {
                break;
            }
            double push = Double.POSITIVE_INFINITY;
            for (int w = sink; w != source; w = parent[w]) {
                int v = parent[w];
                push = Math.min(push, capacity[v][w] - flow[v][w] + flow[w][v]);
            }
            for (int w = sink; w != source; w = parent[w]) {
                int v = parent[w];
                double back = Math.min(push, flow[w][v]); // cancel flow the other way first
                flow[w][v] -= back;
                flow[v][w] += push - back;
            }
            total += push;
        }
        List<Path> paths = new ArrayList<>();
        while (true) { // split the flow into source-sink paths
            List<Integer> walk = new ArrayList<>(List.of(source));
            int v = source;
            while (v != sink) {
                int next = -1;
                for (int w = 0; w < vertices; w++) {
                    if (flow[v][w] > 1e-9) {
                        next = w;
                        break;
                    }
                }
                if (next < 0) {
                    break;
                }
                walk.add(next);
                v = next;
            }
            if (v != sink) {
                break;
            }
            double amount = Double.POSITIVE_INFINITY;
            for (int k = 1; k < walk.size(); k++) {
                amount = Math.min(amount, flow[walk.get(k - 1)][walk.get(k)]);
            }
            for (int k = 1; k < walk.size(); k++) {
                flow[walk.get(k - 1)][walk.get(k)] -= amount;
            }
            List<Stage> chain = new ArrayList<>();
            for (int k = 1; k < walk.size() - 1; k += 2) {
                chain.add(stages.get(walk.get(k) / 2));
            }
            paths.add(new Path(chain, amount));
        }
        return new Flow(total, paths);
    }
}
