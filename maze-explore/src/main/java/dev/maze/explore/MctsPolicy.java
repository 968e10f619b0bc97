package dev.maze.explore;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * {@code mcts}: new traces until the maximum (RD-Agent's rule for its virtual root), then any experiment no lease
 * holds, by the PUCT rule {@code Q(v) + c·P(v)·sqrt(T)/(1 + N(v))} (maze-explore/README.md, "mcts"). It may select an
 * experiment that already has children, so its traces branch. Its statistics are computed from the DAG and the leases
 * at each choice, so a resumed exploration and one that never stopped choose alike, and nothing needs resetting.
 *
 * <ul>
 *   <li>Reward r(e) in [0, 1]: 0 for a run that did not end OK, 0.25 for an OK run that was rejected, and for an
 *       accepted one 0.5 + 0.5·s, where s is its score min-max scaled over the accepted scores so far, flipped when
 *       lower is better (1 when all are equal, 0.5 without a score). So a failure never outranks a rejection, nor a
 *       rejection an acceptance.</li>
 *   <li>N(v) = committed experiments in v's subtree (v included) + leases in flight on parents in it (virtual loss: a
 *       pending child counts as a visit of reward 0, so parallel loops spread out); Q(v) = Σ r over the subtree / N(v).</li>
 *   <li>T = committed experiments + leases in flight; P(v) = 1 / (number of candidates), RD-Agent's uniform prior.</li>
 *   <li>The highest score wins; of equal scores, the lowest id.</li>
 * </ul>
 */
final class MctsPolicy implements TracePolicy {

    /** Reward of a run that did not end OK. */
    static final double FAILURE = 0;
    /** Reward of an OK run that was rejected. */
    static final double REJECTED = 0.25;

    private final double c;

    /** @param c the exploration weight c_puct (RD-Agent's default 1), 0 or more */
    MctsPolicy(double c) {
        if (!(c >= 0) || !Double.isFinite(c)) {
            throw new IllegalArgumentException("c must be 0 or more, not " + c);
        }
        this.c = c;
    }

    @Override
    public Scope scope() {
        return Scope.NODES;
    }

    @Override
    public Optional<Selection> choose(Candidates candidates, RandomGenerator random) {
        if (candidates.newRootAllowed()) {
            return Optional.of(Selection.NEW_ROOT);
        }
        List<Experiment> nodes = candidates.available();
        double[] scores = scores(candidates);
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return Optional.of(Selection.extend(nodes.get(best).id()));
    }

    /** Q + U of each of {@link Candidates#available()}, in its order. */
    double[] scores(Candidates candidates) {
        ExperimentDag dag = candidates.dag();
        int size = dag.size();
        double[] rewards = rewards(dag);
        double[] visits = new double[size];
        double[] values = new double[size];
        for (int leased : candidates.leased()) {
            visits[leased] += 1;
        }
        // Children have higher ids than their parents: one pass from the last experiment adds each subtree up.
        for (int id = size - 1; id >= 0; id--) {
            visits[id] += 1;
            values[id] += rewards[id];
            Experiment experiment = dag.experiment(id);
            if (!experiment.isRoot()) {
                visits[experiment.parent().getAsInt()] += visits[id];
                values[experiment.parent().getAsInt()] += values[id];
            }
        }
        List<Experiment> nodes = candidates.available();
        double total = size + candidates.inFlight();
        double prior = 1.0 / nodes.size();
        double[] scores = new double[nodes.size()];
        for (int i = 0; i < scores.length; i++) {
            int id = nodes.get(i).id();
            scores[i] = values[id] / visits[id] + c * prior * Math.sqrt(total) / (1 + visits[id]);
        }
        return scores;
    }

    /** The reward of every experiment, by id (see the class comment). */
    static double[] rewards(ExperimentDag dag) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Experiment experiment : dag.experiments()) {
            if (experiment.countsAsBest()) {
                min = Math.min(min, experiment.score());
                max = Math.max(max, experiment.score());
            }
        }
        double[] rewards = new double[dag.size()];
        for (Experiment experiment : dag.experiments()) {
            Feedback feedback = experiment.feedback();
            double reward;
            if (feedback.outcome() != Outcome.OK) {
                reward = FAILURE;
            } else if (!feedback.accepted()) {
                reward = REJECTED;
            } else if (feedback.score() == null) {
                reward = 0.75;
            } else {
                double scaled = max == min ? 1 : (feedback.score() - min) / (max - min);
                reward = 0.5 + 0.5 * (dag.direction() == Direction.HIGHER ? scaled : 1 - scaled);
            }
            rewards[experiment.id()] = reward;
        }
        return rewards;
    }
}
