package dev.maze.placement;

import dev.maze.core.clock.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The one owner of a placement's live state (maze-placement/README.md, "Node lifecycle"): which nodes are in, their
 * last heartbeat, measured per-layer latency and requests in flight, and the allocation in force. It reads time only
 * from its {@link Clock}, so on a {@code VirtualClock} tests and {@code maze place simulate} run in virtual time. Not
 * thread-safe: one loop calls it, as the engine's loop owns the scheduler's state.
 *
 * <ul>
 *   <li>A node that has not sent a heartbeat for {@code heartbeatTimeoutSeconds} is removed at the next
 *       {@link #tick}. Removing a node (it expired or left) drops the pipelines it was in; the others keep serving
 *       (routers route around the loss); when none is left, the allocator re-allocates over the nodes still in.</li>
 *   <li>A join re-allocates when the allocation with the new node is more than {@code joinGain} better on the
 *       objective (tokens per second, or latency), or when there was none.</li>
 *   <li>At a tick, when the requests in flight on the allocated nodes vary with a coefficient of variation above
 *       {@code imbalanceCv} (and average at least one, so an idle cluster is never "imbalanced"), the allocator
 *       re-allocates with the measured latencies; an allocation that comes out the same is kept as it is.</li>
 * </ul>
 */
public final class NodeLifecycle implements RoutingView {

    /**
     * @param heartbeatIntervalSeconds how often nodes are expected to send one (default 10)
     * @param heartbeatTimeoutSeconds silence after which a node is removed (default 60)
     * @param imbalanceCv coefficient of variation of in-flight requests that triggers a rebalance (default 0.5)
     * @param joinGain the improvement a join must bring to re-allocate, 0.1 = 10% (default)
     */
    public record Settings(double heartbeatIntervalSeconds, double heartbeatTimeoutSeconds, double imbalanceCv,
            double joinGain) {
        public static final Settings DEFAULT = new Settings(10, 60, 0.5, 0.1);

        public Settings {
            if (!(heartbeatIntervalSeconds > 0) || !(heartbeatTimeoutSeconds >= heartbeatIntervalSeconds)) {
                throw new IllegalArgumentException("the heartbeat interval must be above 0 and the timeout at least "
                        + "the interval, not " + heartbeatIntervalSeconds + " and " + heartbeatTimeoutSeconds);
            }
            if (!(imbalanceCv > 0) || !(joinGain >= 0)) {
                throw new IllegalArgumentException("imbalanceCv must be above 0 and joinGain 0 or more");
            }
        }
    }

    private final Clock clock;
    private final LayerModel model;
    private final Cluster universe;
    private final LayerAllocator allocator;
    private final Objective objective;
    private final Serving serving;
    private final Settings settings;
    private final Set<String> present = new LinkedHashSet<>();
    private final Map<String, Long> lastHeartbeat = new HashMap<>();
    private final Map<String, Double> measured = new HashMap<>();
    private final Map<String, Integer> inFlight = new HashMap<>();
    private final List<LifecycleEvent> events = new ArrayList<>();
    private Problem problem;
    private Allocation allocation;

    /**
     * @param universe every node that may ever join, with its RTTs; {@code initial} are in from the start (and have
     *     just sent a heartbeat)
     */
    public NodeLifecycle(Clock clock, LayerModel model, Cluster universe, List<String> initial, LayerAllocator allocator,
            Objective objective, Serving serving, Settings settings) {
        this.clock = clock;
        this.model = model;
        this.universe = universe;
        this.allocator = allocator;
        this.objective = objective;
        this.serving = serving;
        this.settings = settings;
        for (String id : initial) {
            known(id);
            present.add(id);
            lastHeartbeat.put(id, clock.nanos());
        }
        rebuildProblem();
        reallocate("start");
    }

    /** Everything the lifecycle did so far, in order. */
    public List<LifecycleEvent> events() {
        return List.copyOf(events);
    }

    public Settings settings() {
        return settings;
    }

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
        return present.contains(node);
    }

    @Override
    public int inFlight(String node) {
        return inFlight.getOrDefault(node, 0);
    }

    /** The nodes in now, in the universe's order. */
    public List<String> nodes() {
        return universe.nodes().stream().map(Node::id).filter(present::contains).toList();
    }

    /** A node (one of the universe) comes in; it counts as having just sent a heartbeat. */
    public void join(String id) {
        known(id);
        lastHeartbeat.put(id, clock.nanos());
        if (!present.add(id)) {
            return;
        }
        record("joined", id, "");
        rebuildProblem();
        Allocation candidate = allocator.allocate(problem, objective);
        if (!allocation.feasible() && candidate.feasible()) {
            adopt(candidate, "node " + id + " joined and the model fits again");
        } else if (candidate.feasible() && better(candidate, allocation, settings.joinGain())) {
            adopt(candidate, String.format(Locale.ROOT, "node %s joined: %s", id, gain(candidate, allocation)));
        }
    }

    /** A node leaves on purpose: removed at once. */
    public void leave(String id) {
        if (present.contains(id)) {
            remove(id, "left", "left the cluster");
        }
    }

    /** A node says it is alive. A heartbeat from a node not in is ignored (it must join). */
    public void heartbeat(String id) {
        if (present.contains(id)) {
            lastHeartbeat.put(id, clock.nanos());
        }
    }

    /** A node's measured milliseconds per layer per token (0: back to the estimate); counts as a heartbeat. */
    public void measured(String id, double layerMs) {
        if (!present.contains(id) || !(layerMs >= 0) || !Double.isFinite(layerMs)) {
            return;
        }
        heartbeat(id);
        Double before = measured.put(id, layerMs);
        if (before == null || Math.abs(before - layerMs) > 1e-12) {
            rebuildProblem();
        }
    }

    /** Requests in flight on a node, as the node reports them or the router counts them. */
    public void load(String id, int requests) {
        inFlight.put(id, Math.max(0, requests));
    }

    /** A request routed to the node: one more in flight. */
    public void routed(String id) {
        inFlight.merge(id, 1, Integer::sum);
    }

    /** A request done on the node: one fewer in flight. */
    public void done(String id) {
        inFlight.computeIfPresent(id, (k, v) -> Math.max(0, v - 1));
    }

    /**
     * Removes the nodes whose heartbeat is older than the timeout, then re-allocates if no pipeline is left or the
     * load is imbalanced. Call it every heartbeat interval.
     */
    public void tick() {
        long now = clock.nanos();
        long timeout = (long) (settings.heartbeatTimeoutSeconds() * 1e9);
        for (String id : List.copyOf(present)) {
            if (now - lastHeartbeat.getOrDefault(id, now) > timeout) {
                remove(id, "expired", String.format(Locale.ROOT, "no heartbeat for %.0f s",
                        (now - lastHeartbeat.get(id)) / 1e9));
            }
        }
        if (!allocation.feasible()) {
            Allocation candidate = allocator.allocate(problem, objective);
            if (candidate.feasible()) {
                adopt(candidate, "no complete pipeline was left");
            }
            return;
        }
        double cv = loadVariation();
        if (cv > settings.imbalanceCv()) {
            Allocation candidate = allocator.allocate(problem, objective);
            if (candidate.feasible() && !candidate.pipelines().equals(allocation.pipelines())
                    && better(candidate, current(), 0)) {
                adopt(candidate, String.format(Locale.ROOT, "load imbalance: coefficient of variation %.2f over %.2f",
                        cv, settings.imbalanceCv()));
            }
        }
    }

    /** The coefficient of variation of in-flight requests over the allocated nodes; 0 when they average below 1. */
    public double loadVariation() {
        List<String> nodes = allocation.pipelines().stream().flatMap(p -> p.nodes().stream()).toList();
        if (nodes.size() < 2) {
            return 0;
        }
        double mean = nodes.stream().mapToInt(this::inFlight).average().orElse(0);
        if (mean < 1) {
            return 0;
        }
        double variance = nodes.stream().mapToDouble(n -> Math.pow(inFlight(n) - mean, 2)).sum() / nodes.size();
        return Math.sqrt(variance) / mean;
    }

    private void remove(String id, String kind, String why) {
        present.remove(id);
        lastHeartbeat.remove(id);
        inFlight.remove(id);
        record(kind, id, why);
        rebuildProblem();
        List<Pipeline> kept = allocation.pipelines().stream().filter(p -> !p.nodes().contains(id)).toList();
        if (kept.size() < allocation.pipelines().size()) {
            record("dropped", id, (allocation.pipelines().size() - kept.size()) + " pipeline(s) with " + id + "; "
                    + kept.size() + " left");
            allocation = kept.isEmpty() ? Allocation.none(allocator.name(), objective, "every pipeline lost a node")
                    : new Allocation(allocation.allocator(), objective, kept, null);
        }
        if (!allocation.feasible()) {
            reallocate("no complete pipeline was left after " + id + " " + kind);
        }
    }

    private void reallocate(String why) {
        Allocation candidate = allocator.allocate(problem, objective);
        if (candidate.feasible() || allocation == null) {
            adopt(candidate, why);
        }
    }

    private void adopt(Allocation candidate, String why) {
        allocation = candidate;
        record("reallocated", null, why + (candidate.feasible() ? String.format(Locale.ROOT,
                ": %d pipeline(s), %.1f tokens/s, %.1f ms", candidate.pipelines().size(),
                candidate.throughputTokensPerSec(), candidate.latencyMs()) : ": " + candidate.infeasible()));
    }

    /** The allocation in force, re-costed with the latest measurements (its stage times may be stale). */
    private Allocation current() {
        List<Pipeline> pipelines = new ArrayList<>();
        for (Pipeline pipeline : allocation.pipelines()) {
            int[] nodes = pipeline.nodes().stream().mapToInt(problem::indexOf).toArray();
            int[] counts = pipeline.stages().stream().mapToInt(Stage::layers).toArray();
            pipelines.add(problem.pipeline(nodes, counts));
        }
        return new Allocation(allocation.allocator(), objective, pipelines, null);
    }

    private boolean better(Allocation candidate, Allocation than, double by) {
        if (!than.feasible()) {
            return candidate.feasible();
        }
        return objective == Objective.LATENCY ? candidate.latencyMs() * (1 + by) < than.latencyMs()
                : candidate.throughputTokensPerSec() > than.throughputTokensPerSec() * (1 + by);
    }

    private String gain(Allocation candidate, Allocation than) {
        return objective == Objective.LATENCY
                ? String.format(Locale.ROOT, "latency %.1f -> %.1f ms", than.latencyMs(), candidate.latencyMs())
                : String.format(Locale.ROOT, "%.1f -> %.1f tokens/s", than.throughputTokensPerSec(),
                        candidate.throughputTokensPerSec());
    }

    private void rebuildProblem() {
        Cluster cluster = universe.only(present);
        for (Map.Entry<String, Double> entry : measured.entrySet()) {
            Node node = cluster.node(entry.getKey());
            if (node != null) {
                cluster = cluster.with(node.withLayerLatencyMs(entry.getValue()));
            }
        }
        problem = new Problem(model, cluster, serving);
    }

    private void known(String id) {
        if (universe.node(id) == null) {
            throw new IllegalArgumentException("node '" + id + "' is not one of the described nodes "
                    + universe.nodes().stream().map(Node::id).toList());
        }
    }

    private void record(String kind, String node, String detail) {
        events.add(new LifecycleEvent(clock.seconds(), kind, node, detail));
    }
}
