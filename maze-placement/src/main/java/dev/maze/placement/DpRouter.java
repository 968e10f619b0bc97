package dev.maze.placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Per request, the least-cost chain over the stages of every pipeline now in force (maze-placement/README.md,
 * "Routers"): a node costs the layers it runs × its per-layer latency × (1 + its requests in flight), infinite when
 * unhealthy or overloaded; an edge costs the RTT. Chains may cross from one pipeline to another wherever a stage ends
 * at the layer another starts.
 *
 * <p>By default whole stages chain exactly ({@code O(S²)} for S stages). With {@code midRange} (router
 * {@code dp-mid}) a request may also enter or leave a stage between its layers, since every node of a stage holds all
 * its layers: a dynamic program over layer boundaries, {@code O(L · S²)}. A chain may then come back to a node it
 * left, for a later range of its layers.
 */
final class DpRouter implements RequestRouter {

    private final boolean midRange;

    DpRouter(boolean midRange) {
        this.midRange = midRange;
    }

    @Override
    public String name() {
        return midRange ? "dp-mid" : "dp";
    }

    @Override
    public Optional<Route> route(RoutingView view) {
        List<Stage> stages = new ArrayList<>();
        view.allocation().pipelines().forEach(p -> stages.addAll(p.stages()));
        stages.sort(Comparator.comparingInt(Stage::startLayer));
        return midRange ? midRange(view, stages) : whole(view, stages);
    }

    private static Optional<Route> whole(RoutingView view, List<Stage> stages) {
        int n = stages.size();
        int layers = view.problem().layers();
        double[] best = new double[n];
        int[] before = new int[n];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        Arrays.fill(before, -1);
        for (int s = 0; s < n; s++) {
            Stage stage = stages.get(s);
            double own = view.costMs(stage.node(), stage.layers());
            if (own == Double.POSITIVE_INFINITY) {
                continue;
            }
            if (stage.startLayer() == 0) {
                best[s] = own;
                continue;
            }
            for (int u = 0; u < s; u++) {
                if (stages.get(u).endLayer() == stage.startLayer() && best[u] < Double.POSITIVE_INFINITY) {
                    double via = best[u] + rtt(view, stages.get(u).node(), stage.node()) + own;
                    if (via < best[s]) {
                        best[s] = via;
                        before[s] = u;
                    }
                }
            }
        }
        int end = -1;
        for (int s = 0; s < n; s++) {
            if (stages.get(s).endLayer() == layers && best[s] < Double.POSITIVE_INFINITY
                    && (end < 0 || best[s] < best[end])) {
                end = s;
            }
        }
        if (end < 0) {
            return Optional.empty();
        }
        List<int[]> ranges = new ArrayList<>();
        List<String> nodes = new ArrayList<>();
        for (int s = end; s >= 0; s = before[s]) {
            ranges.add(0, new int[] {stages.get(s).startLayer(), stages.get(s).endLayer()});
            nodes.add(0, stages.get(s).node());
        }
        return Optional.of(Route.of(view, ranges, nodes));
    }

    private static Optional<Route> midRange(RoutingView view, List<Stage> stages) {
        int n = stages.size();
        int layers = view.problem().layers();
        double[] perLayer = new double[n];
        for (int s = 0; s < n; s++) {
            perLayer[s] = view.costMs(stages.get(s).node(), 1);
        }
        // done[b][s]: least cost with layers [0, b) run and the request on stage s, which ran layer b - 1.
        // entered[b][s]: from which stage it came onto s at boundary b - 1 (-1: it continued on s; -2: it began).
        double[][] done = new double[layers + 1][n];
        int[][] from = new int[layers + 1][n];
        for (double[] row : done) {
            Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        for (int b = 1; b <= layers; b++) {
            int a = b - 1; // the layer run in this step
            for (int s = 0; s < n; s++) {
                Stage stage = stages.get(s);
                if (a < stage.startLayer() || a >= stage.endLayer() || perLayer[s] == Double.POSITIVE_INFINITY) {
                    continue;
                }
                double bestCost = Double.POSITIVE_INFINITY;
                int bestFrom = -3;
                if (a == 0) {
                    bestCost = 0;
                    bestFrom = -2;
                } else {
                    if (done[a][s] < bestCost) {
                        bestCost = done[a][s];
                        bestFrom = -1;
                    }
                    for (int u = 0; u < n; u++) {
                        if (u != s && done[a][u] < Double.POSITIVE_INFINITY) {
                            double via = done[a][u] + rtt(view, stages.get(u).node(), stage.node());
                            if (via < bestCost) {
                                bestCost = via;
                                bestFrom = u;
                            }
                        }
                    }
                }
                if (bestCost < Double.POSITIVE_INFINITY) {
                    done[b][s] = bestCost + perLayer[s];
                    from[b][s] = bestFrom;
                }
            }
        }
        int s = -1;
        for (int k = 0; k < n; k++) {
            if (done[layers][k] < Double.POSITIVE_INFINITY && (s < 0 || done[layers][k] < done[layers][s])) {
                s = k;
            }
        }
        if (s < 0) {
            return Optional.empty();
        }
        List<int[]> ranges = new ArrayList<>();
        List<String> nodes = new ArrayList<>();
        int end = layers;
        for (int b = layers; b >= 1; b--) {
            int came = from[b][s];
            if (came != -1) { // the hop on s began at layer b - 1
                ranges.add(0, new int[] {b - 1, end});
                nodes.add(0, stages.get(s).node());
                end = b - 1;
                if (came >= 0) {
                    s = came;
                }
            }
        }
        return Optional.of(Route.of(view, ranges, nodes));
    }

    private static double rtt(RoutingView view, String a, String b) {
        Problem problem = view.problem();
        return problem.rttMs(problem.indexOf(a), problem.indexOf(b));
    }
}
