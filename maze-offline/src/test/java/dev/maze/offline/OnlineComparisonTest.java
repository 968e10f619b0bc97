package dev.maze.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A backlog run online through the simulator's profiles: every task runs, and no profile beats the lower bound. */
class OnlineComparisonTest {

    @Test
    void theOnlineProfilesRunTheWholeBacklogAndRespectTheLowerBound() {
        for (long seed = 1; seed <= 20; seed++) {
            Problem problem = PlanningTest.random(seed, 2 + (int) (seed % 3));
            double bound = LowerBounds.of(problem).withoutEvictionCharge();
            for (String profile : List.of("daps", "daps-warm", "mars")) {
                double makespan = OnlineComparison.makespan(problem, profile, seed);
                assertThat(makespan).as(profile + " on seed " + seed).isGreaterThanOrEqualTo(bound - 1e-6);
            }
        }
    }

    @Test
    void aChainOnOneModelTakesItsLoadThenItsWorkWhenTheProfileKeepsModelsResident() {
        Model model = new Model("m", 40, 1);
        Problem problem = new Problem(List.of(new PlanTask("a", "r", "m", 5, List.of()),
                new PlanTask("b", "r", "m", 7, List.of("a"))), Map.of("m", model), new Cluster(1, 80, 10, 2, List.of()));
        assertThat(OnlineComparison.makespan(problem, "daps-warm", 1)).isEqualTo(40 / 10.0 + 2 + 5 + 7);
        // daps, Maze's own profile, unloads a model after each call: b loads it again.
        assertThat(OnlineComparison.makespan(problem, "daps", 1)).isEqualTo(2 * (40 / 10.0 + 2) + 5 + 7);
    }
}
