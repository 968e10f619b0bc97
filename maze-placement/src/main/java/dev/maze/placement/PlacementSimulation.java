package dev.maze.placement;

import dev.maze.core.clock.VirtualClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Replays a {@link Workload} on a virtual clock through a {@link NodeLifecycle} and one router
 * (maze-placement/README.md, "Simulation"). Each node serves the hops routed to it one at a time, in arrival order;
 * a hop takes {@code tokens × layers × per-layer ms} (times the node's slowdown), and the next hop starts an RTT
 * later. Nodes send heartbeats with their measured per-layer latency every heartbeat interval, and the lifecycle ticks
 * then. A request with no route waits and is retried when a request finishes or at the next tick; one caught on a node
 * that failed waits until the lifecycle has expired that node (the scheduler learns of a failure only by missed
 * heartbeats) and is then routed again from its first layer. Its latency counts from its first arrival.
 */
public final class PlacementSimulation {

    /** How long after the last progress a simulation keeps ticking for requests that cannot be routed. */
    private static final double GIVE_UP_TIMEOUTS = 2;

    /** One request's fate. {@code finishSeconds} is NaN when it was never served. */
    public record Served(String id, double arrivalSeconds, double finishSeconds, int tokens, List<Stage> route) {
        public double latencySeconds() {
            return finishSeconds - arrivalSeconds;
        }
    }

    /**
     * What a run measured.
     *
     * @param tokensPerSec tokens served over the time from the first arrival to the last finish
     * @param movedGb weights loaded onto nodes by re-allocations
     */
    public record Result(String router, List<Served> requests, int served, double p50Seconds, double p95Seconds,
            double p99Seconds, double meanSeconds, double tokensPerSec, List<LifecycleEvent> events, double movedGb) {

        public int unserved() {
            return requests.size() - served;
        }

        /** Lifecycle events of this kind. */
        public long count(String kind) {
            return events.stream().filter(e -> e.kind().equals(kind)).count();
        }
    }

    private record Timed(long at, long sequence, Runnable action) {}

    private final VirtualClock clock = new VirtualClock();
    private final PriorityQueue<Timed> queue = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at)
            : Long.compare(a.sequence, b.sequence));
    private final Cluster cluster;
    private final LayerModel model;
    private final int batchTokens;
    private final NodeLifecycle lifecycle;
    private final RequestRouter router;
    private final double loadGbPerSec;
    /** The stage whose weights each node holds: from the start, or loaded since; gone when the node fails or leaves. */
    private final Map<String, Stage> held = new HashMap<>();
    private double movedGb;
    private final Map<String, Long> freeAt = new HashMap<>();
    private final Map<String, Long> failedAt = new HashMap<>();
    private final Map<String, Double> slowdown = new HashMap<>();
    private final Set<String> running = new HashSet<>();
    private final Deque<Flight> waiting = new ArrayDeque<>();
    private final List<Flight> stranded = new ArrayList<>();
    private final List<Flight> flights = new ArrayList<>();
    private long sequence;
    private int pendingArrivals;
    private int pendingEvents;
    private int inFlight;
    private long lastProgress;
    private int lifecycleEventsSeen;

    /** A request on its way. */
    private static final class Flight {
        final Workload.Request request;
        Route route;
        long attempt;
        double finish = Double.NaN;

        Flight(Workload.Request request) {
            this.request = request;
        }
    }

    private PlacementSimulation(LayerModel model, Cluster cluster, Workload workload, LayerAllocator allocator,
            Objective objective, Serving serving, NodeLifecycle.Settings settings, String router, double loadGbPerSec) {
        this.model = model;
        this.cluster = cluster;
        this.batchTokens = serving.batchTokens();
        this.router = Routers.create(router);
        this.loadGbPerSec = loadGbPerSec;
        Set<String> joinLater = new HashSet<>();
        Set<String> seen = new HashSet<>();
        for (Workload.NodeEvent event : workload.events()) {
            if (seen.add(event.node()) && event.kind().equals("join")) {
                joinLater.add(event.node()); // a node whose first event is a join is not there at the start
            }
        }
        List<String> initial = cluster.nodes().stream().map(Node::id).filter(id -> !joinLater.contains(id)).toList();
        running.addAll(initial);
        lifecycle = new NodeLifecycle(clock, model, cluster, initial, allocator, objective, serving, settings);
        lifecycle.allocation().pipelines().forEach(p -> p.stages().forEach(stage -> held.put(stage.node(), stage)));
        lifecycleEventsSeen = lifecycle.events().size(); // the first allocation is loaded before requests come
        for (Workload.Request request : workload.requests()) {
            Flight flight = new Flight(request);
            flights.add(flight);
            pendingArrivals++;
            at(request.atSeconds(), () -> {
                pendingArrivals--;
                dispatch(flight);
            });
        }
        for (Workload.NodeEvent event : workload.events()) {
            pendingEvents++;
            at(event.atSeconds(), () -> {
                pendingEvents--;
                apply(event);
            });
        }
        at(settings.heartbeatIntervalSeconds(), this::heartbeats);
    }

    /**
     * Runs the workload with one router and returns what it measured.
     *
     * @param loadGbPerSec how fast a node loads weights a re-allocation gives it (it serves nothing meanwhile); 0 for
     *     instantly
     */
    public static Result run(LayerModel model, Cluster cluster, Workload workload, LayerAllocator allocator,
            Objective objective, Serving serving, NodeLifecycle.Settings settings, String router, double loadGbPerSec) {
        if (!(loadGbPerSec >= 0) || Double.isInfinite(loadGbPerSec)) {
            throw new IllegalArgumentException("loadGbPerSec must be 0 (instant) or more, not " + loadGbPerSec);
        }
        PlacementSimulation simulation = new PlacementSimulation(model, cluster, workload, allocator, objective,
                serving, settings, router, loadGbPerSec);
        return simulation.run();
    }

    private Result run() {
        while (!queue.isEmpty()) {
            Timed next = queue.poll();
            clock.advanceTo(next.at);
            next.action.run();
        }
        List<Served> served = flights.stream().map(f -> new Served(f.request.id(), f.request.atSeconds(), f.finish,
                f.request.tokens(), f.route == null ? List.of() : f.route.hops())).toList();
        double[] latencies = served.stream().filter(s -> !Double.isNaN(s.finishSeconds()))
                .mapToDouble(Served::latencySeconds).sorted().toArray();
        double first = served.stream().mapToDouble(Served::arrivalSeconds).min().orElse(0);
        double last = served.stream().filter(s -> !Double.isNaN(s.finishSeconds())).mapToDouble(Served::finishSeconds)
                .max().orElse(first);
        long tokens = served.stream().filter(s -> !Double.isNaN(s.finishSeconds())).mapToLong(Served::tokens).sum();
        return new Result(router.name(), served, latencies.length, percentile(latencies, 0.50),
                percentile(latencies, 0.95), percentile(latencies, 0.99),
                latencies.length == 0 ? Double.NaN : Arrays.stream(latencies).average().orElseThrow(),
                last > first ? tokens / (last - first) : Double.NaN, lifecycle.events(), movedGb);
    }

    /** Nearest rank; NaN when there is nothing. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private void at(double seconds, Runnable action) {
        atNanos((long) Math.round(seconds * 1e9), action);
    }

    private void atNanos(long nanos, Runnable action) {
        queue.add(new Timed(Math.max(nanos, clock.nanos()), sequence++, action));
    }

    private void dispatch(Flight flight) {
        Optional<Route> route = router.route(lifecycle);
        if (route.isEmpty()) {
            waiting.add(flight);
            return;
        }
        flight.route = route.get();
        flight.attempt++;
        inFlight++;
        flight.route.nodes().forEach(lifecycle::routed);
        hopArrives(flight, flight.attempt, 0);
    }

    private void hopArrives(Flight flight, long attempt, int hop) {
        Stage stage = flight.route.hops().get(hop);
        String node = stage.node();
        if (failedAt.containsKey(node)) {
            strand(flight, hop);
            return;
        }
        long start = Math.max(clock.nanos(), freeAt.getOrDefault(node, 0L));
        double ms = flight.request.tokens() * stage.layers() * trueLayerMs(node);
        long end = start + Math.round(ms * 1e6);
        freeAt.put(node, end);
        atNanos(end, () -> hopEnds(flight, attempt, hop));
    }

    private void hopEnds(Flight flight, long attempt, int hop) {
        String node = flight.route.hops().get(hop).node();
        if (failedAt.containsKey(node)) {
            strand(flight, hop); // the node died while it held the request
            return;
        }
        lifecycle.done(node);
        if (hop == flight.route.hops().size() - 1) {
            flight.finish = clock.seconds();
            inFlight--;
            progress();
            retryWaiting();
            return;
        }
        String next = flight.route.hops().get(hop + 1).node();
        double rtt = cluster.rttMs(cluster.node(node), cluster.node(next));
        atNanos(clock.nanos() + Math.round(rtt * 1e6), () -> hopArrives(flight, attempt, hop + 1));
    }

    private void strand(Flight flight, int hop) {
        for (int k = hop; k < flight.route.hops().size(); k++) {
            lifecycle.done(flight.route.hops().get(k).node());
        }
        inFlight--;
        stranded.add(flight);
    }

    private void retryWaiting() {
        while (!waiting.isEmpty()) {
            Flight flight = waiting.peek();
            Optional<Route> route = router.route(lifecycle);
            if (route.isEmpty()) {
                return;
            }
            waiting.poll();
            flight.route = route.get();
            flight.attempt++;
            inFlight++;
            flight.route.nodes().forEach(lifecycle::routed);
            hopArrives(flight, flight.attempt, 0);
        }
    }

    private void apply(Workload.NodeEvent event) {
        String node = event.node();
        switch (event.kind()) {
            case "join" -> {
                failedAt.remove(node);
                slowdown.remove(node);
                running.add(node);
                lifecycle.join(node);
            }
            case "leave" -> {
                running.remove(node);
                held.remove(node);
                lifecycle.leave(node);
            }
            case "fail" -> {
                running.remove(node);
                held.remove(node);
                failedAt.put(node, clock.nanos());
            }
            case "slow" -> slowdown.put(node, event.factor());
            default -> throw new IllegalStateException("unknown event kind " + event.kind());
        }
        noteLifecycle();
        retryWaiting();
    }

    /** Every running node reports its measured latency (a heartbeat); then the lifecycle ticks. */
    private void heartbeats() {
        for (String node : List.copyOf(running)) {
            lifecycle.measured(node, trueLayerMs(node));
        }
        lifecycle.tick();
        noteLifecycle();
        // A request caught on a failed node goes again once the lifecycle has removed that node (or it came back).
        List<Flight> release = stranded.stream().filter(f -> f.route.nodes().stream().anyMatch(n -> !lifecycle.healthy(n))
                || f.route.nodes().stream().noneMatch(failedAt::containsKey)).toList();
        stranded.removeAll(release);
        for (int k = release.size() - 1; k >= 0; k--) {
            waiting.addFirst(release.get(k)); // they arrived before those waiting now
        }
        retryWaiting();
        double interval = lifecycle.settings().heartbeatIntervalSeconds();
        boolean work = inFlight > 0 || pendingArrivals > 0 || pendingEvents > 0;
        boolean hope = (!waiting.isEmpty() || !stranded.isEmpty()) && clock.nanos() - lastProgress
                < GIVE_UP_TIMEOUTS * lifecycle.settings().heartbeatTimeoutSeconds() * 1e9;
        if (work || hope) {
            at(clock.seconds() + interval, this::heartbeats);
        }
    }

    private void noteLifecycle() {
        int now = lifecycle.events().size();
        if (now != lifecycleEventsSeen) {
            lifecycleEventsSeen = now;
            progress();
            loadWeights();
        }
    }

    /**
     * Every node of the allocation now in force loads what its stage needs and it does not hold: layers outside its
     * old range, and the embedding or LM head when it newly starts or ends a pipeline. It serves nothing while it
     * loads (its queue is pushed back); hops already queued on it go first, on the weights they were routed to.
     */
    private void loadWeights() {
        for (Pipeline pipeline : lifecycle.allocation().pipelines()) {
            for (Stage stage : pipeline.stages()) {
                Stage old = held.put(stage.node(), stage);
                double gb = newWeightsGb(old, stage);
                if (gb <= 0) {
                    continue;
                }
                movedGb += gb;
                if (loadGbPerSec > 0) {
                    long start = Math.max(clock.nanos(), freeAt.getOrDefault(stage.node(), 0L));
                    freeAt.put(stage.node(), start + Math.round(gb / loadGbPerSec * 1e9));
                }
            }
        }
    }

    private double newWeightsGb(Stage old, Stage stage) {
        boolean first = stage.startLayer() == 0;
        boolean last = stage.endLayer() == model.layers();
        int kept = old == null ? 0
                : Math.max(0, Math.min(old.endLayer(), stage.endLayer()) - Math.max(old.startLayer(), stage.startLayer()));
        boolean keptFirst = old != null && first && old.startLayer() == 0;
        boolean keptLast = old != null && last && old.endLayer() == model.layers();
        return (stage.layers() - kept) * model.layerWeightGb()
                + Math.max(0, model.reservedGb(first, last) - model.reservedGb(keptFirst, keptLast));
    }

    private void progress() {
        lastProgress = clock.nanos();
    }

    /** The node's real per-layer latency: its estimate (or given measurement) times its slowdown. */
    private double trueLayerMs(String node) {
        return cluster.node(node).layerMs(model, batchTokens) * slowdown.getOrDefault(node, 1.0);
    }
}
