package dev.maze.explore;

import static dev.maze.explore.Dags.ACCEPTED;
import static dev.maze.explore.Dags.FAILED;
import static dev.maze.explore.Dags.REJECTED;
import static dev.maze.explore.Dags.accepted;
import static dev.maze.explore.Dags.child;
import static dev.maze.explore.Dags.rejected;
import static dev.maze.explore.Dags.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The experiment DAG: its queries, what counts as best in each direction, and the feedback it refuses. */
class ExploreDagTest {

    @Test
    void leavesTracesAndDepthsFollowTheParents() {
        ExperimentDag dag = Dags.threeTraces();
        assertThat(dag.roots()).extracting(Experiment::id).containsExactly(0, 1, 2);
        assertThat(dag.leaves()).extracting(Experiment::id).containsExactly(1, 4, 5);
        assertThat(dag.traces()).extracting(trace -> trace.experiments().stream().map(Experiment::id).toList())
                .containsExactly(List.of(1), List.of(0, 3, 4), List.of(2, 5));
        assertThat(dag.depth(4)).isEqualTo(3);
        assertThat(dag.depth(0)).isEqualTo(1);
        assertThat(dag.root(4).id()).isZero();
        assertThat(dag.children(0)).extracting(Experiment::id).containsExactly(3);
        assertThat(dag.isLeaf(3)).isFalse();
        child(dag, 0, REJECTED);
        assertThat(dag.leaves()).as("a second child makes a branch with its own trace").extracting(Experiment::id)
                .containsExactly(1, 4, 5, 6);
        assertThat(dag.traces().get(3).experiments()).extracting(Experiment::id).containsExactly(0, 6);
    }

    @Test
    void theBestIsTheBestScoredAcceptedExperimentInTheDagsDirectionAndTheFirstOfEquals() {
        for (Direction direction : Direction.values()) {
            ExperimentDag dag = new ExperimentDag(direction);
            root(dag, accepted(0.5));                       // 0
            child(dag, 0, rejected(direction == Direction.HIGHER ? 9 : -9)); // 1: better, but rejected
            child(dag, 1, ACCEPTED);                        // 2: accepted without a score
            child(dag, 2, accepted(0.7));                   // 3
            root(dag, accepted(0.3));                       // 4
            root(dag, accepted(direction == Direction.HIGHER ? 0.7 : 0.3)); // 5: equals the best: the first wins
            int best = direction == Direction.HIGHER ? 3 : 4;
            assertThat(dag.best()).as(direction.label()).map(Experiment::id).contains(best);
            assertThat(dag.traces().get(0).best()).as(direction.label()).map(Experiment::id)
                    .contains(direction == Direction.HIGHER ? 3 : 0);
        }
        ExperimentDag nothing = new ExperimentDag(Direction.HIGHER);
        root(nothing, REJECTED);
        root(nothing, ACCEPTED);
        child(nothing, 0, FAILED);
        assertThat(nothing.best()).as("nothing accepted with a score").isEmpty();
    }

    @Test
    void aCopySharesNothing() {
        ExperimentDag dag = Dags.threeTraces();
        ExperimentDag copy = dag.copy();
        child(copy, 4, ACCEPTED);
        assertThat(dag.size()).isEqualTo(6);
        assertThat(copy.size()).isEqualTo(7);
        assertThat(copy.experiments().subList(0, 6)).isEqualTo(dag.experiments());
    }

    @Test
    void badFeedbackAndUnknownParentsAreRefusedAndChangeNothing() {
        assertThatThrownBy(() -> new Feedback(true, 1.0, Outcome.TIMEOUT, null, null, null, null, null))
                .hasMessageContaining("only an experiment whose run ended OK can be accepted");
        assertThatThrownBy(() -> Feedback.ok(false, Double.NaN)).hasMessageContaining("finite");
        assertThatThrownBy(() -> Feedback.ok(false, 1.0).withTimes(Instant.parse("2025-01-02T00:00:00Z"),
                Instant.parse("2025-01-01T00:00:00Z"))).hasMessageContaining("is before startedAt");
        assertThatThrownBy(() -> new Feedback(false, null, null, null, null, null, null, null))
                .hasMessageContaining("needs an outcome");
        ExperimentDag dag = Dags.threeTraces();
        assertThatThrownBy(() -> dag.add(OptionalInt.of(6), ACCEPTED)).hasMessage("no experiment 6 (the DAG has 6)");
        assertThat(dag.size()).isEqualTo(6);
        assertThat(dag.leaves()).extracting(Experiment::id).containsExactly(1, 4, 5);
        assertThatThrownBy(() -> dag.experiment(-1)).hasMessageContaining("no experiment -1");
    }

    @Test
    void directionsReadAndWriteTheirLabels() {
        assertThat(Direction.of("LOWER")).isEqualTo(Direction.LOWER);
        assertThat(Direction.HIGHER.better(2, 1)).isTrue();
        assertThat(Direction.LOWER.better(2, 1)).isFalse();
        assertThatThrownBy(() -> Direction.of("up")).hasMessage("direction must be 'higher' or 'lower', not 'up'");
    }
}
