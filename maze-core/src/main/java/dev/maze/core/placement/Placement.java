package dev.maze.core.placement;

import dev.maze.core.node.Resources;
import dev.maze.core.policy.ReadyTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;

/**
 * Chooses a node for a task with plug-ins, as the Kubernetes scheduler framework does: {@link FilterPlugin filters}
 * keep the nodes that can run it now (present and not draining, among the workflow's allowed nodes, free cores,
 * memory, GPUs with enough free memory, model allowed, the head-of-line {@link Claim}); weighted {@link ScorePlugin
 * scores} rank them and the best wins, ties to the lowest node index (precisely: in node order, a node replaces the
 * best so far only when it scores more than the {@link Scoring#tolerance} higher); a {@link PermitPlugin permit} may
 * make the task wait ({@link #DEFER}); a {@link ReservePlugin reserve} plug-in picks the node to hold for a
 * head-of-line task that fits nowhere. {@code new Placement()} is Maze's placement, a weighted sum of
 * <ul>
 *   <li>least loaded: {@code 1 - utilisation} (Maze's {@code get_least_loaded_node});
 *   <li>model resident: 1 when the chosen GPU already holds the task's model (no model switch);
 *   <li>affinity: 1 on the node where the workflow's previous task ran (Maze's DAGContext).
 * </ul>
 *
 * <p>Placement does not scan every node: it walks the cluster's indexes ({@link NodeIndex}) from the least loaded
 * node up, in the buckets of nodes that may fit, and among the nodes that hold the model, and stops once the score
 * bounds of the nodes left ({@link ScorePlugin#upperBound}) show that none can change the choice. The choice is the
 * one a scan of every node makes, ties and tolerance included. It scans instead on a small cluster (which keeps no
 * indexes), with a plug-in that gives no bound or a negative weight, and for a request limited to a few nodes.
 */
public class Placement {

    /** Weights of the three scores. */
    public record Weights(double leastLoaded, double modelResident, double affinity) {
        public static final Weights DEFAULT = new Weights(1.0, 2.0, 0.5);
    }

    /**
     * One task to place.
     *
     * @param resources what it needs
     * @param preferredNode node index with affinity, or -1
     * @param allowedNodes node indices it may use, or null for all
     * @param nowSeconds engine clock
     * @param waitedSeconds how long the task has been READY
     * @param task the task itself, as ordering policies see it (its spec, its workflow's name), or null when the
     *     request describes no task (tests, reservations); a placement that follows a plan looks the task up by it
     */
    public record Request(Resources resources, int preferredNode, BitSet allowedNodes, double nowSeconds,
            double waitedSeconds, ReadyTask task) {

        /** A request for no task in particular. */
        public Request(Resources resources, int preferredNode, BitSet allowedNodes, double nowSeconds,
                double waitedSeconds) {
            this(resources, preferredNode, allowedNodes, nowSeconds, waitedSeconds, null);
        }

        /** A request at time 0 that has not waited. */
        public Request(Resources resources, int preferredNode, BitSet allowedNodes) {
            this(resources, preferredNode, allowedNodes, 0, 0);
        }
    }

    /**
     * Returned by {@link #place} when a placement exists but waiting is better (e.g. for a GPU that holds the model);
     * the engine skips the task in this pass without treating it as blocked. A placement may only defer a task for a
     * bounded time, so that it cannot starve.
     */
    public static final Assignment DEFER = new Assignment(-1, new int[0]);

    /** A score plug-in and its weight (the score is multiplied by it). */
    public record WeightedScore(ScorePlugin plugin, double weight) {
        public WeightedScore {
            Objects.requireNonNull(plugin, "plugin");
        }
    }

    /**
     * How nodes that passed the filters are compared: the sum of the weighted scores, added in this order; in node
     * order, a node replaces the best so far only when its sum is more than {@code tolerance} higher.
     */
    public static final class Scoring {
        private final List<WeightedScore> scores;
        private final double tolerance;
        /** The same scores as arrays: summed for every node a placement looks at. */
        private final ScorePlugin[] plugins;
        private final double[] weights;
        private final boolean searchable;

        public Scoring(List<WeightedScore> scores, double tolerance) {
            this.scores = List.copyOf(scores);
            if (!(tolerance >= 0)) {
                throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
            }
            this.tolerance = tolerance;
            // A score of weight 0 adds exactly 0.0 to every sum: leave it out of the loop that runs for every node.
            List<WeightedScore> counted = this.scores.stream().filter(score -> score.weight() != 0).toList();
            this.plugins = counted.stream().map(WeightedScore::plugin).toArray(ScorePlugin[]::new);
            this.weights = counted.stream().mapToDouble(WeightedScore::weight).toArray();
            boolean finiteAndPositive = true;
            for (double weight : weights) {
                finiteAndPositive &= weight >= 0 && !Double.isInfinite(weight);
            }
            this.searchable = finiteAndPositive;
        }

        public List<WeightedScore> scores() {
            return scores;
        }

        public double tolerance() {
            return tolerance;
        }

        /** Whether the indexes may be searched: every weight finite and >= 0 (a bound times a weight stays a bound). */
        boolean searchable() {
            return searchable;
        }

        /**
         * The weighted sum for one node. The first three scores are called from call sites of their own: each sees few
         * plug-in classes (the first score of every placement, the second, ...), so the JIT can inline them, where one
         * call site in a loop would see every class. The sum is added in the same order either way.
         */
        double score(PlacementCycle cycle, NodeView node, int[] gpus) {
            int count = plugins.length;
            double score = 0;
            if (count > 0) {
                score += weights[0] * plugins[0].score(cycle, node, gpus);
            }
            if (count > 1) {
                score += weights[1] * plugins[1].score(cycle, node, gpus);
            }
            if (count > 2) {
                score += weights[2] * plugins[2].score(cycle, node, gpus);
            }
            for (int i = 3; i < count; i++) {
                score += weights[i] * plugins[i].score(cycle, node, gpus);
            }
            return score;
        }

        /** The bound of the weighted sum for nodes of utilisation {@code utilisation} (NaN: a plug-in cannot say). */
        double bound(PlacementCycle cycle, double utilisation, boolean holdsModel) {
            int count = plugins.length;
            double bound = 0;
            if (count > 0) {
                bound += weights[0] * plugins[0].upperBound(cycle, utilisation, holdsModel);
            }
            if (count > 1) {
                bound += weights[1] * plugins[1].upperBound(cycle, utilisation, holdsModel);
            }
            if (count > 2) {
                bound += weights[2] * plugins[2].upperBound(cycle, utilisation, holdsModel);
            }
            for (int i = 3; i < count; i++) {
                bound += weights[i] * plugins[i].upperBound(cycle, utilisation, holdsModel);
            }
            return bound;
        }

        @Override
        public String toString() {
            return scores + " (tolerance " + tolerance + ")";
        }
    }

    /** Accepting, allowed nodes, fits: the filters every placement starts with. */
    private static final int BUILT_IN_FILTERS = 3;

    /** At most this many allowed nodes: scanning them beats searching the indexes. */
    private static final int FEW_ALLOWED_NODES = 8;

    private final String name;
    private final List<FilterPlugin> filters;
    private final Scoring scoring;
    private final Scoring gpuScoring;
    private final List<PermitPlugin> permits;
    private final ReservePlugin reservation;

    /** Maze's placement: least loaded 1, model resident 2, affinity 0.5. */
    public Placement() {
        this(Weights.DEFAULT);
    }

    /** Maze's placement with other weights. */
    public Placement(Weights weights) {
        this(builder("default")
                .score(new PlacementPlugins.LeastLoaded(), weights.leastLoaded())
                .score(new PlacementPlugins.ModelResident(), weights.modelResident())
                .score(new PlacementPlugins.WorkflowAffinity(), weights.affinity()));
    }

    /** A placement assembled from plug-ins. */
    protected Placement(Builder builder) {
        this.name = builder.name;
        List<FilterPlugin> all = new ArrayList<>(List.of(new PlacementPlugins.Accepting(),
                new PlacementPlugins.AllowedNodes(), new PlacementPlugins.Fits()));
        all.addAll(builder.filters);
        this.filters = List.copyOf(all);
        this.scoring = new Scoring(builder.scores, builder.tolerance);
        this.gpuScoring = builder.gpuScoring;
        this.permits = List.copyOf(builder.permits);
        this.reservation = builder.reservation;
    }

    /**
     * A placement built from plug-ins. The filters that every placement needs come first and need not be added:
     * {@link PlacementPlugins.Accepting}, {@link PlacementPlugins.AllowedNodes} and {@link PlacementPlugins.Fits}
     * (which chooses the GPUs). Reservation defaults to {@link PlacementPlugins.ClosestToFitting}.
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Assembles a {@link Placement}. */
    public static final class Builder {
        private final String name;
        private final List<FilterPlugin> filters = new ArrayList<>();
        private final List<WeightedScore> scores = new ArrayList<>();
        private double tolerance = 1e-12;
        private Scoring gpuScoring;
        private final List<PermitPlugin> permits = new ArrayList<>();
        private ReservePlugin reservation = new PlacementPlugins.ClosestToFitting();

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** Adds a filter after the built-in ones (it may only refuse more nodes). */
        public Builder filter(FilterPlugin filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /** Adds a score with its weight; scores are summed in the order they are added. */
        public Builder score(ScorePlugin score, double weight) {
            scores.add(new WeightedScore(score, weight));
            return this;
        }

        /** By how much a later node must beat the best so far (default 1e-12: only rounding noise ties). */
        public Builder tolerance(double value) {
            this.tolerance = value;
            return this;
        }

        /** A different scoring for tasks that need GPUs (the scores above then rank only tasks without GPUs). */
        public Builder gpuScoring(Scoring value) {
            this.gpuScoring = value;
            return this;
        }

        public Builder permit(PermitPlugin permit) {
            permits.add(Objects.requireNonNull(permit, "permit"));
            return this;
        }

        /** The reserve step; null: a head-of-line task reserves nothing. */
        public Builder reservation(ReservePlugin value) {
            this.reservation = value;
            return this;
        }

        public Placement build() {
            return new Placement(this);
        }
    }

    /** The name this placement was built with (see {@link Placements}). */
    public String name() {
        return name;
    }

    /** The filters, in the order they run. */
    public List<FilterPlugin> filters() {
        return filters;
    }

    /** How tasks without GPUs, and with GPUs when no {@link Builder#gpuScoring} was given, are ranked. */
    public Scoring scoring() {
        return scoring;
    }

    /** The permits, in the order they are asked. */
    public List<PermitPlugin> permits() {
        return permits;
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * The best assignment that fits now, honouring {@code claim} (may be null); null if no node fits; {@link #DEFER}
     * when waiting is better.
     */
    public Assignment place(ClusterState cluster, Request request, Claim claim) {
        PlacementCycle cycle = new PlacementCycle(cluster, request, claim);
        Assignment best = choose(cycle);
        return best == null || permitted(cycle, best) == null ? best : DEFER;
    }

    /** The first permit that makes {@code chosen} wait, or null when all allow it. */
    private Permit permitted(PlacementCycle cycle, Assignment chosen) {
        for (PermitPlugin permit : permits) {
            Permit answer = permit.permit(cycle, chosen);
            if (!answer.allowed()) {
                return answer;
            }
        }
        return null;
    }

    /**
     * When a task this placement {@link #DEFER deferred} must be reconsidered even if nothing else happens
     * (engine-clock seconds): the earliest bound of the permit plug-ins; now when there are none.
     */
    public double deferredUntil(ClusterState cluster, Request request) {
        if (permits.isEmpty()) {
            return request.nowSeconds();
        }
        PlacementCycle cycle = new PlacementCycle(cluster, request, null);
        double until = Double.POSITIVE_INFINITY;
        for (PermitPlugin permit : permits) {
            until = Math.min(until, permit.waitsAtMostUntil(cycle));
        }
        return until;
    }

    /**
     * The node to reserve for a head-of-line task that fits nowhere now (see {@link ReservePlugin}); -1 if no
     * accepting allowed node could ever run it.
     */
    public int chooseReservation(ClusterState cluster, Request request) {
        return reservation == null ? -1 : reservation.reserve(new PlacementCycle(cluster, request, null));
    }

    /** Tells the reserve plug-in that the hold on {@code node} for {@code request} ended. */
    public void unreserve(ClusterState cluster, Request request, int node) {
        if (reservation != null) {
            reservation.unreserve(new PlacementCycle(cluster, request, null), node);
        }
    }

    /**
     * Why a READY task does not start, for snapshots: what it needs, how many nodes refuse it for each reason (the
     * first filter that refuses a node counts), whether a permit makes it wait, and which node it holds. Scans every
     * node: for reports, not for the scheduling loop.
     *
     * @param reservedNode the node held for this task (its claim), or -1
     */
    public PendingReason whyPending(ClusterState cluster, Request request, Claim claim, int reservedNode) {
        PlacementCycle cycle = new PlacementCycle(cluster, request, claim);
        Map<String, Integer> refusals = new LinkedHashMap<>();
        int fitting = 0;
        for (int i = 0; i < cluster.size(); i++) {
            NodeState node = cluster.node(i);
            if (node.removed) {
                continue;
            }
            Refusal refusal = null;
            for (FilterPlugin filter : filters) {
                refusal = filter.filter(cycle, node);
                if (refusal != null) {
                    break;
                }
            }
            if (refusal == null) {
                fitting++;
            } else {
                refusals.merge(refusal.reason(), 1, Integer::sum);
            }
        }
        String waits = null;
        if (fitting > 0) {
            Assignment best = choose(cycle);
            Permit permit = best == null ? null : permitted(cycle, best);
            if (permit != null) {
                waits = "until " + PendingReason.number(permit.untilSeconds()) + " s " + permit.reason();
            }
        }
        String reserved = reservedNode >= 0 && reservedNode < cluster.size() ? cluster.node(reservedNode).id() : null;
        return new PendingReason(PendingReason.describe(request.resources()), refusals, fitting, waits, reserved);
    }

    // ------------------------------------------------------------------ choosing

    Scoring scoringFor(Request request) {
        return gpuScoring != null && request.resources().gpus() > 0 ? gpuScoring : scoring;
    }

    /** The best node and its GPUs, or null when no node passes the filters. */
    Assignment choose(PlacementCycle cycle) {
        Scoring rank = scoringFor(cycle.request());
        BitSet allowed = cycle.request().allowedNodes();
        if (allowed != null && fewAllowed(allowed)) {
            return scan(cycle, rank, allowed);
        }
        if (cycle.cluster().indexed() && rank.searchable()) {
            Assignment found = search(cycle, rank);
            if (found != NOT_SEARCHABLE) {
                return found;
            }
        }
        return scan(cycle, rank, null);
    }

    private static boolean fewAllowed(BitSet allowed) {
        int count = 0;
        for (int i = allowed.nextSetBit(0); i >= 0; i = allowed.nextSetBit(i + 1)) {
            if (++count > FEW_ALLOWED_NODES) {
                return false;
            }
        }
        return true;
    }

    /** Scans the nodes in order ({@code only}'s, or all): the reference the index search must agree with. */
    Assignment scan(PlacementCycle cycle, Scoring rank, BitSet only) {
        ClusterState cluster = cycle.cluster();
        Assignment best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        int first = only == null ? 0 : only.nextSetBit(0);
        for (int i = first; i >= 0 && i < cluster.size(); i = only == null ? i + 1 : only.nextSetBit(i + 1)) {
            NodeState node = cluster.node(i);
            if (!passes(cycle, node)) {
                continue;
            }
            int[] gpus = cycle.chosenGpus();
            double score = rank.score(cycle, node, gpus);
            if (score > bestScore + rank.tolerance()) {
                best = new Assignment(i, gpus);
                bestScore = score;
            }
        }
        return best;
    }

    /**
     * Whether every filter passes {@code node}; the GPUs chosen are then in the cycle. The three built-in filters run
     * inline (as {@link PlacementPlugins.Accepting}, {@link PlacementPlugins.AllowedNodes} and {@link
     * PlacementPlugins.Fits} do, without the refusal): this runs for every node a placement looks at.
     */
    private boolean passes(PlacementCycle cycle, NodeState node) {
        BitSet allowed = cycle.request().allowedNodes();
        if (node.draining || (allowed != null && !allowed.get(node.index))) {
            return false;
        }
        int[] gpus = node.fit(cycle.resources(), cycle.claim());
        if (gpus == null) {
            return false;
        }
        cycle.chooseGpus(gpus);
        for (int i = BUILT_IN_FILTERS; i < filters.size(); i++) {
            if (filters.get(i).filter(cycle, node) != null) {
                return false;
            }
        }
        return true;
    }

    static final Assignment NOT_SEARCHABLE = new Assignment(-2, new int[0]);

    /**
     * The scan's choice, found from the indexes. Why it is the same:
     * <ol>
     *   <li>Only records matter: in node order, the scan keeps a node when it beats the best so far by more than the
     *       tolerance, and answers the last one kept. A node that comes after a node that passed the filters and
     *       scores no more than it is never kept (the best so far is then at least that score minus the tolerance).
     *   <li>Say the "band" is the nodes scoring at least L, and every other node scores s with s + tolerance < L. Then
     *       the first band node in node order is kept whatever came before, and after it no other node is ever kept:
     *       the scan over the band alone answers the same.
     *   <li>The search takes nodes from ordered sets in order of falling bound (each set is ordered by utilisation,
     *       and the bounds do not rise with it), so every node not yet looked at scores at most the highest bound
     *       left. The sets cover every node that may pass the filters: the nodes whose chosen GPU holds the model
     *       under the bound for "holds", all of them under the bound for "does not hold"; the preferred node, whose
     *       affinity no bound covers, is looked at first. Once the highest bound left plus the tolerance is below the
     *       lowest band score found, the band is complete.
     *   <li>Within one set, after a node that passed with a score at least the set's bound at its utilisation, the
     *       other nodes of the same utilisation come after it in node order and score no more (by 1.), so they are
     *       skipped: an idle cluster of identical nodes costs one look, not one per node.
     * </ol>
     * Returns {@link #NOT_SEARCHABLE} when a plug-in gives no bound.
     */
    Assignment search(PlacementCycle cycle, Scoring rank) {
        ClusterState cluster = cycle.cluster();
        double tolerance = rank.tolerance();
        int stamp = cluster.nextSearchStamp();
        Band band = new Band(tolerance);
        int preferred = cycle.request().preferredNode();
        if (preferred >= 0 && preferred < cluster.size()) {
            look(cycle, rank, cluster.node(preferred).entry, stamp, band);
        }
        List<NavigableSet<NodeIndex.Entry>> sets = new ArrayList<>();
        cluster.index().addResidentSets(cycle.resources(), sets);
        int resident = sets.size();
        cluster.index().addFeasibleSets(cycle.resources(), sets);
        Cursor[] cursors = new Cursor[sets.size()];
        for (int i = 0; i < cursors.length; i++) {
            cursors[i] = new Cursor(sets.get(i), i < resident);
            if (Double.isNaN(cursors[i].bound(cycle, rank))) {
                return NOT_SEARCHABLE;
            }
        }
        while (true) {
            Cursor next = null;
            for (Cursor cursor : cursors) {
                if (cursor.current != null && (next == null || cursor.bound > next.bound)) {
                    next = cursor;
                }
            }
            if (next == null || (band.size > 0 && next.bound + tolerance < band.bottom)) {
                break;
            }
            NodeIndex.Entry entry = next.current;
            if (entry.searchStamp != stamp) {
                look(cycle, rank, entry, stamp, band);
            }
            if (entry.searchFits && next.bound <= entry.searchScore) {
                next.skipPast(entry.utilisation);
            } else {
                next.advance();
            }
            if (Double.isNaN(next.bound(cycle, rank))) {
                return NOT_SEARCHABLE;
            }
        }
        return band.choice(tolerance);
    }

    private void look(PlacementCycle cycle, Scoring rank, NodeIndex.Entry entry, int stamp, Band band) {
        entry.searchStamp = stamp;
        entry.searchFits = passes(cycle, entry.node);
        if (entry.searchFits) {
            entry.searchGpus = cycle.chosenGpus();
            entry.searchScore = rank.score(cycle, entry.node, entry.searchGpus);
            band.add(entry);
        }
    }

    /** Walks one ordered set of the index. */
    private static final class Cursor {
        private final NavigableSet<NodeIndex.Entry> set;
        private final boolean holdsModel;
        private Iterator<NodeIndex.Entry> iterator;
        NodeIndex.Entry current;
        double bound;

        Cursor(NavigableSet<NodeIndex.Entry> set, boolean holdsModel) {
            this.set = set;
            this.holdsModel = holdsModel;
            this.iterator = set.iterator();
            advance();
        }

        void advance() {
            current = iterator.hasNext() ? iterator.next() : null;
        }

        /** Moves to the first node of higher utilisation. */
        void skipPast(double utilisation) {
            iterator = set.tailSet(NodeIndex.Entry.probe(utilisation), false).iterator();
            advance();
        }

        double bound(PlacementCycle cycle, Scoring rank) {
            bound = current == null ? Double.NEGATIVE_INFINITY : rank.bound(cycle, current.utilisation, holdsModel);
            return bound;
        }
    }

    /** The nodes found that passed the filters, best first, and the band of those that can still be chosen. */
    private static final class Band {
        private final double tolerance;
        private NodeIndex.Entry[] found = new NodeIndex.Entry[8];
        private int count;
        /** Nodes in the band: the first {@code size} of {@code found}. */
        int size;
        /** The lowest score in the band. */
        double bottom;

        Band(double tolerance) {
            this.tolerance = tolerance;
        }

        void add(NodeIndex.Entry entry) {
            if (count == found.length) {
                found = Arrays.copyOf(found, count * 2);
            }
            int at = count++;
            while (at > 0 && found[at - 1].searchScore < entry.searchScore) {
                found[at] = found[at - 1];
                at--;
            }
            found[at] = entry;
            size = 1;
            bottom = found[0].searchScore;
            while (size < count && !(found[size].searchScore + tolerance < bottom)) {
                bottom = found[size++].searchScore;
            }
        }

        /** The scan's choice among the band: in node order, keep a node that beats the best by more than the tolerance. */
        Assignment choice(double tolerance) {
            if (size == 0) {
                return null;
            }
            NodeIndex.Entry[] band = Arrays.copyOf(found, size);
            Arrays.sort(band, (a, b) -> Integer.compare(a.index, b.index));
            NodeIndex.Entry best = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (NodeIndex.Entry entry : band) {
                if (entry.searchScore > bestScore + tolerance) {
                    best = entry;
                    bestScore = entry.searchScore;
                }
            }
            return new Assignment(best.index, best.searchGpus);
        }
    }
}
