package dev.maze.explore;

import static dev.maze.explore.Dags.ACCEPTED;
import static dev.maze.explore.Dags.FAILED;
import static dev.maze.explore.Dags.REJECTED;
import static dev.maze.explore.Dags.accepted;
import static dev.maze.explore.Dags.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Each scheduler's exact choices on small hand-built DAGs: the softmax probabilities to 4 decimals, the draws that
 * pick each leaf, and the PUCT scores step by step with the numbers worked out by hand in the comments.
 */
class ExploreSchedulerSequenceTest {

    private static final Offset<Double> FOUR_DECIMALS = within(0.00005);

    @Test
    void roundRobinOpensItsTracesThenExtendsTheLeafCommittedLongestAgo() throws InterruptedException {
        ExperimentDag dag = new ExperimentDag(Direction.HIGHER);
        TraceScheduler scheduler = TraceSchedulers.create("round-robin", dag, 3, Dags.Scripted.intDraws());
        List<Selection> selections = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Lease lease = scheduler.next();
            selections.add(lease.selection());
            scheduler.commit(lease, i % 2 == 0 ? ACCEPTED : REJECTED);
        }
        assertThat(selections).containsExactly(Selection.NEW_ROOT, Selection.NEW_ROOT, Selection.NEW_ROOT,
                Selection.extend(0), Selection.extend(1), Selection.extend(2), Selection.extend(3),
                Selection.extend(4));
        // Two loops, committing out of order: the leaf committed first is extended first.
        Lease a = scheduler.next(); // extend 5 (leaves 5, 6, 7)
        Lease b = scheduler.next(); // extend 6
        assertThat(List.of(a.selection(), b.selection())).containsExactly(Selection.extend(5), Selection.extend(6));
        scheduler.commit(b, ACCEPTED); // 8, child of 6
        scheduler.commit(a, ACCEPTED); // 9, child of 5
        assertThat(scheduler.next().selection()).as("leaves 7, 8, 9").isEqualTo(Selection.extend(7));
        assertThat(scheduler.next().selection()).isEqualTo(Selection.extend(8));
    }

    @Test
    void probabilisticIsUniformOverTheFreeLeaves() {
        SoftmaxPolicy policy = (SoftmaxPolicy) TraceSchedulers.policy("probabilistic:temperature=0.1");
        ExperimentDag dag = Dags.threeTraces();
        assertThat(policy.probabilities(dag, dag.leaves())).containsExactly(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0},
                FOUR_DECIMALS);
    }

    @Test
    void traceLengthWeighsLeavesByTheirPathLength() throws InterruptedException {
        ExperimentDag dag = Dags.threeTraces(); // leaves 1, 4, 5: path lengths 1, 3, 2
        // T = 1: exp(1 - 3), exp(0), exp(2 - 3) = 0.135335, 1, 0.367879; sum 1.503215
        assertThat(softmax("trace-length", dag)).containsExactly(new double[] {0.0900, 0.6652, 0.2447}, FOUR_DECIMALS);
        // T = 2: exp(-1), 1, exp(-0.5) = 0.367879, 1, 0.606531; sum 1.974410
        assertThat(softmax("trace-length:temperature=2", dag)).containsExactly(new double[] {0.1863, 0.5065, 0.3072},
                FOUR_DECIMALS);
        // inverse: 1, 1/3, 1/2 -> exp(0), exp(-2/3), exp(-1/2) = 1, 0.513417, 0.606531; sum 2.119948
        assertThat(softmax("trace-length:inverse=true", dag)).containsExactly(new double[] {0.4717, 0.2422, 0.2861},
                FOUR_DECIMALS);
        // One draw picks by cumulative probability in leaf order: below 0.090031 leaf 1, below 0.755272 leaf 4, else 5.
        double[][] draws = {{0.0899, 1}, {0.0901, 4}, {0.7552, 4}, {0.7554, 5}};
        for (double[] draw : draws) {
            TraceScheduler scheduler = TraceSchedulers.create("trace-length", dag.copy(), 3,
                    Dags.Scripted.doubleDraws(draw[0]));
            assertThat(scheduler.next().selection()).as("draw " + draw[0]).isEqualTo(Selection.extend((int) draw[1]));
        }
        // With 1 leased, 4 and 5 share it all: exp(3 - 3), exp(2 - 3) -> 0.731059, 0.268941.
        TraceScheduler scheduler = TraceSchedulers.create("trace-length", dag, 3, Dags.Scripted.doubleDraws(0.05, 0.7310,
                0.99));
        assertThat(scheduler.next().selection()).isEqualTo(Selection.extend(1));
        assertThat(scheduler.next().selection()).isEqualTo(Selection.extend(4));
        assertThat(scheduler.next().selection()).isEqualTo(Selection.extend(5));
        assertThat(scheduler.tryNext()).as("every leaf leased, no new trace allowed").isEmpty();
    }

    @Test
    void sotaWeighsLeavesByTheAcceptedExperimentsOnTheirPaths() {
        ExperimentDag dag = Dags.threeTraces(); // leaves 1, 4, 5: accepted on the path 1, 2 (0 and 4), 1 (5)
        // exp(1 - 2), exp(0), exp(1 - 2): 0.367879, 1, 0.367879; sum 1.735759
        assertThat(softmax("sota", dag)).containsExactly(new double[] {0.2119, 0.5761, 0.2119}, FOUR_DECIMALS);
        // decay 0.5: leaf 4 itself 1, its grandparent 0 two steps back 0.25: S = 1.25; leaves 1 and 5: S = 1.
        // exp(-0.25), 1, exp(-0.25) = 0.778801, 1, 0.778801; sum 2.557602
        assertThat(softmax("sota:decay=0.5", dag)).containsExactly(new double[] {0.3045, 0.3910, 0.3045},
                FOUR_DECIMALS);
        // inverse: 1/(1+S) = 0.5, 1/3, 0.5 -> 1, exp(-1/6) = 0.846482, 1; sum 2.846482
        assertThat(softmax("sota:inverse=true", dag)).containsExactly(new double[] {0.3513, 0.2974, 0.3513},
                FOUR_DECIMALS);
        assertThatThrownBy(() -> TraceSchedulers.policy("sota:decay=1.5"))
                .hasMessage("scheduler sota: decay must be above 0 and at most 1, not 1.5");
        assertThatThrownBy(() -> TraceSchedulers.policy("sota:inverse=yes"))
                .hasMessage("scheduler sota: inverse must be true or false, not 'yes'");
        assertThatThrownBy(() -> TraceSchedulers.policy("sota:temperature=0"))
                .hasMessage("scheduler sota: temperature must be above 0");
        assertThatThrownBy(() -> TraceSchedulers.policy("sota:c=1"))
                .hasMessage("scheduler sota: unknown parameter(s) [c]; known: temperature, inverse, decay");
        assertThatThrownBy(() -> TraceSchedulers.policy("soda"))
                .hasMessage("no scheduler 'soda'; known: round-robin, probabilistic, trace-length, sota, random, mcts");
    }

    @Test
    void randomCountsANewTraceAsOneChoiceBesideEachFreeLeaf() throws InterruptedException {
        ExperimentDag dag = new ExperimentDag(Direction.HIGHER);
        Dags.Scripted draws = Dags.Scripted.intDraws(0, 1, 0, 1);
        TraceScheduler scheduler = TraceSchedulers.create("random", dag, 2, draws);
        List<Selection> selections = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Lease lease = scheduler.next();
            selections.add(lease.selection());
            scheduler.commit(lease, ACCEPTED);
        }
        // [NEW_ROOT] -> 0; [NEW_ROOT, leaf 0] -> 1: extend 0; [NEW_ROOT, leaf 1] -> 0: a second root (2);
        // no new trace allowed, [leaf 1, leaf 2] -> 1: extend 2.
        assertThat(selections).containsExactly(Selection.NEW_ROOT, Selection.extend(0), Selection.NEW_ROOT,
                Selection.extend(2));
        assertThat(draws.used()).isTrue();
    }

    /**
     * PUCT with c = 1, step by step: score(v) = Q(v) + c·P·sqrt(T)/(1 + N(v)), P = 1/candidates. Rewards: failure 0,
     * rejected 0.25, accepted 0.5 + 0.5·(score min-max scaled over the accepted scores; 1 when all are equal).
     */
    @Test
    void mctsFollowsPuctStepByStepAndBranchesAndSpreadsParallelLoops() throws InterruptedException {
        ExperimentDag dag = new ExperimentDag(Direction.HIGHER);
        TraceScheduler scheduler = TraceSchedulers.create("mcts", dag, 2, Dags.Scripted.intDraws());
        MctsPolicy policy = (MctsPolicy) TraceSchedulers.policy("mcts");
        // Two new traces first: 0 accepted (score 0.5), 1 failed.
        assertThat(commit(scheduler, accepted(0.5)).isRoot()).isTrue();
        assertThat(commit(scheduler, FAILED).isRoot()).isTrue();
        // Step 3: r0 = 1 (the only accepted score), r1 = 0; N = 1 each, T = 2, P = 1/2.
        // U = 0.5·sqrt(2)/2 = 0.353553: 0 -> 1.353553, 1 -> 0.353553.
        assertThat(policy.scores(candidates(dag, Set.of()))).containsExactly(new double[] {1.3536, 0.3536},
                FOUR_DECIMALS);
        Experiment second = commit(scheduler, accepted(0.7));
        assertThat(second.parent()).hasValue(0);
        // Step 4: accepted scores 0.5, 0.7: r0 = 0.5, r2 = 1, r1 = 0. N0 = 2 (0, 2), Q0 = 0.75; Q1 = 0; Q2 = 1.
        // T = 3, P = 1/3: U0 = sqrt(3)/9 = 0.192450, U1 = U2 = sqrt(3)/6 = 0.288675.
        assertThat(policy.scores(candidates(dag, Set.of()))).containsExactly(new double[] {0.9425, 0.2887, 1.2887},
                FOUR_DECIMALS);
        assertThat(commit(scheduler, rejected(0.6)).parent()).hasValue(2);
        // Step 5: r3 = 0.25 (rejected). N3 = 1, N2 = 2 (W 1.25), N0 = 3 (W 1.75), N1 = 1. T = 4, P = 1/4: c·P·sqrt(T) =
        // 0.5. 0: 0.583333 + 0.125; 1: 0 + 0.25; 2: 0.625 + 0.166667; 3: 0.25 + 0.25.
        assertThat(policy.scores(candidates(dag, Set.of()))).containsExactly(
                new double[] {0.7083, 0.2500, 0.7917, 0.5000}, FOUR_DECIMALS);
        Lease branch = scheduler.next();
        assertThat(branch.selection()).as("2 already has a child: mcts branches").isEqualTo(Selection.extend(2));
        // Step 6, while 2 is leased: candidates 0, 1, 3. Virtual loss: the pending child is a visit of reward 0 on 2
        // and its ancestors, so N2 = 3, N0 = 4 (W0 still 1.75). T = 5, P = 1/3: c·P·sqrt(5) = 0.745356.
        // 0: 1.75/4 + 0.745356/5 = 0.586571; 1: 0 + 0.745356/2 = 0.372678; 3: 0.25 + 0.372678 = 0.622678.
        // (Without the virtual loss 0 would score 0.583333 + 0.745356/4 = 0.769672 and win.)
        assertThat(policy.scores(new Candidates(dag, false, List.of(dag.experiment(0), dag.experiment(1),
                dag.experiment(3)), Set.of(2), 0))).containsExactly(new double[] {0.5866, 0.3727, 0.6227}, FOUR_DECIMALS);
        assertThat(scheduler.next().selection()).isEqualTo(Selection.extend(3));
    }

    @Test
    void mctsRewardsNeverRankAFailureAboveARejectionNorARejectionAboveAnAcceptance() {
        for (Direction direction : Direction.values()) {
            ExperimentDag dag = new ExperimentDag(direction);
            Dags.root(dag, accepted(-100));
            Dags.root(dag, accepted(100));
            Dags.root(dag, rejected(1e9));
            Dags.root(dag, new Feedback(false, 1e9, Outcome.TIMEOUT, null, null, null, null, null));
            Dags.root(dag, ACCEPTED);
            double[] rewards = MctsPolicy.rewards(dag);
            double worstAccepted = Math.min(Math.min(rewards[0], rewards[1]), rewards[4]);
            assertThat(worstAccepted).as(direction.label()).isEqualTo(0.5);
            assertThat(rewards[2]).isEqualTo(MctsPolicy.REJECTED).isLessThan(worstAccepted);
            assertThat(rewards[3]).isEqualTo(MctsPolicy.FAILURE).isLessThan(rewards[2]);
            assertThat(rewards[direction == Direction.HIGHER ? 1 : 0]).as("the best accepted score").isEqualTo(1.0);
        }
    }

    private static double[] softmax(String spec, ExperimentDag dag) {
        return ((SoftmaxPolicy) TraceSchedulers.policy(spec)).probabilities(dag, dag.leaves());
    }

    /** The candidates the lease protocol offers mcts once no new trace is allowed: every experiment not leased. */
    private static Candidates candidates(ExperimentDag dag, Set<Integer> leased) {
        return new Candidates(dag, false, dag.experiments().stream().filter(e -> !leased.contains(e.id())).toList(),
                leased, 0);
    }

    private static Experiment commit(TraceScheduler scheduler, Feedback feedback) throws InterruptedException {
        return scheduler.commit(scheduler.next(), feedback);
    }
}
