package dev.maze.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A plan run on the engine: every task on its planned GPUs, in the plan's order, the engine never stalling. */
class PlanExecutionTest {

    @Test
    void everyTaskRunsOnItsPlannedGpusForEveryStrategy() {
        for (long seed = 1; seed <= 40; seed++) {
            Problem problem = PlanningTest.random(seed, 2 + (int) (seed % 4));
            for (Strategy strategy : Strategies.all()) {
                Plan plan = strategy.plan(problem, new Strategy.Budget(0.02, seed));
                PlanExecution.Result result = PlanExecution.run(plan, 1);
                for (int i = 0; i < problem.size(); i++) {
                    assertThat(result.gpus()[i]).as(strategy.name() + " seed " + seed + " task " + problem.task(i).id())
                            .containsExactly(plan.gpus(i));
                }
                assertThat(result.actualMakespan()).isGreaterThanOrEqualTo(LowerBounds.of(problem).withoutEvictionCharge() - 1e-6);
                // with exact estimates no task starts later than planned: the plan's switches are prefetched where
                // the plan puts them, and the engine's loads cost no more than the plan's switches
                assertThat(result.actualMakespan()).as(strategy.name() + " seed " + seed)
                        .isLessThanOrEqualTo(plan.makespan() + 1e-6);
            }
        }
    }

    @Test
    void aModelIsLoadedWhileThePredecessorRunsElsewhereAndInitialModelsAreResident() {
        // a (small, GPU 0, resident from the start) -> b (big, GPU 1, empty): the plan loads big on GPU 1 while a runs
        Problem problem = new Problem(List.of(new PlanTask("a", "r", "small", 10, List.of()),
                new PlanTask("b", "r", "big", 5, List.of("a"))),
                Map.of("small", new Model("small", 20, 1), "big", new Model("big", 60, 1)),
                new Cluster(2, 80, 10, 2, java.util.Arrays.asList("small", null)));
        Plan plan = new Plan("hand", problem, new double[] {0, 10}, new int[] {0, 1});
        assertThat(Verifier.violations(plan)).isEmpty();
        PlanExecution.Result result = PlanExecution.run(plan, 1);
        assertThat(result.actualMakespan()).as("no load of small; big's 8 s load hidden behind a").isEqualTo(15);
        assertThat(result.modelLoads()).isEqualTo(1);
    }

    @Test
    void whenTasksRunLongerThanEstimatedTheEngineKeepsGoing() {
        Model model = new Model("m", 40, 1);
        Problem problem = new Problem(List.of(new PlanTask("a", "r", "m", 5, List.of()),
                new PlanTask("b", "r", "m", 7, List.of("a")), new PlanTask("c", "q", "m", 3, List.of())),
                Map.of("m", model), new Cluster(2, 80, 10, 2, List.of()));
        Plan plan = Strategies.named("heft").plan(problem, Strategy.Budget.DEFAULT);
        PlanExecution.Result asPlanned = PlanExecution.run(plan, 1);
        assertThat(asPlanned.actualMakespan()).isEqualTo(plan.makespan());
        PlanExecution.Result slower = PlanExecution.run(plan, 2);
        // a's and b's times double; the load (6 s) does not: 6 + 2 * (5 + 7).
        assertThat(slower.actualMakespan()).isEqualTo(6 + 2 * (5 + 7));
        assertThat(slower.plannedMakespan()).isEqualTo(plan.makespan());
    }
}
