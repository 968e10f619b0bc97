package dev.maze.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** heft on hand-checked instances; affinity never longer than heft or dynamic; the LLM batch generator. */
class StrategiesTest {

    static final Strategy HEFT = Strategies.named("heft");
    static final Strategy AFFINITY = Strategies.named("affinity");
    static final Strategy DYNAMIC = Strategies.named("dynamic");

    @Test
    void strategiesAreRegisteredInOrder() {
        assertThat(Strategies.all()).extracting(Strategy::name).containsExactly("dynamic", "batch", "heft", "affinity");
    }

    @Test
    void heftFollowsUpwardRankAndEarliestFinishOnATinyGraph() {
        // a(3) -> b(2), c(4) -> d(1) on 2 free processors. Ranks: a 8, c 5, b 3, d 1: order a, c, b, d.
        // a: GPU 0 at 0..3. c: ready 3, both GPUs start at 3: the lowest, GPU 0, 3..7. b: GPU 0 only at 7, GPU 1 at 3:
        // GPU 1, 3..5. d: ready 7, both at 7: GPU 0, 7..8.
        Model m = new Model("m", 0, 1);
        Problem problem = new Problem(List.of(new PlanTask("a", "r", "m", 3, List.of()),
                new PlanTask("b", "r", "m", 2, List.of("a")), new PlanTask("c", "r", "m", 4, List.of("a")),
                new PlanTask("d", "r", "m", 1, List.of("b", "c"))), Map.of("m", m), Cluster.of(2).withoutSwitchCost());
        Plan plan = HEFT.plan(problem, Strategy.Budget.DEFAULT);
        assertThat(problem.tasks()).extracting(PlanTask::id).containsExactly("a", "b", "c", "d");
        assertThat(new double[] {plan.start(0), plan.start(1), plan.start(2), plan.start(3)})
                .containsExactly(0, 3, 3, 7);
        assertThat(new int[] {plan.firstGpu(0), plan.firstGpu(1), plan.firstGpu(2), plan.firstGpu(3)})
                .containsExactly(0, 1, 0, 0);
        assertThat(plan.makespan()).isEqualTo(8);
    }

    @Test
    void heftInsertsIntoAGapOnlyWhereTheSwitchesInAndOutFit() {
        // One GPU, empty; A and B of 10 GB at 10 GB/s, no overhead: loading onto the empty GPU 1 s, A <-> B 2 s.
        // x (A, 5) -> y (A, 5); z (B, 1) alone. Ranks x 10, y 5, z 1: x at 1..6, y at 6..11, z after a 2 s switch at
        // 13..14 (no gap before x fits it: z would need its load 1 s, run 1 s, then the switch to A 2 s before x).
        Problem problem = new Problem(List.of(new PlanTask("x", "r", "A", 5, List.of()),
                new PlanTask("y", "r", "A", 5, List.of("x")), new PlanTask("z", "s", "B", 1, List.of())),
                Map.of("A", new Model("A", 10, 1), "B", new Model("B", 10, 1)), new Cluster(1, 80, 10, 0, List.of()));
        Plan plan = HEFT.plan(problem, Strategy.Budget.DEFAULT);
        assertThat(new double[] {plan.start(problem.indexOf("x")), plan.start(problem.indexOf("y")),
                plan.start(problem.indexOf("z"))}).containsExactly(1, 6, 13);
        assertThat(plan.switches()).hasSize(2);
        assertThat(Verifier.violations(plan)).isEmpty();
    }

    @Test
    void affinityIsNeverLongerThanHeftOrDynamicOnRandomInstances() {
        for (long seed = 1; seed <= 150; seed++) {
            Problem problem = PlanningTest.random(seed, 2 + (int) (seed % 5));
            Strategy.Budget budget = new Strategy.Budget(0.01, seed);
            double ours = AFFINITY.plan(problem, budget).makespan();
            assertThat(ours).as("seed " + seed).isLessThanOrEqualTo(HEFT.plan(problem, budget).makespan() + 1e-9);
            assertThat(ours).as("seed " + seed).isLessThanOrEqualTo(DYNAMIC.plan(problem, budget).makespan() + 1e-9);
        }
    }

    @Test
    void affinityIsNeverLongerThanHeftOrDynamicOnTheStgSample() throws IOException {
        List<String> rows = Files.readAllLines(StgLoaderTest.SAMPLE.resolve("optimal.csv"));
        assertThat(rows).hasSize(121);
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            Problem problem = StgLoader.problem(StgLoaderTest.SAMPLE.resolve(f[0]), Integer.parseInt(f[1]));
            Strategy.Budget budget = new Strategy.Budget(0.01, 7);
            Plan ours = AFFINITY.plan(problem, budget);
            assertThat(Verifier.violations(ours)).as(row).isEmpty();
            assertThat(ours.makespan()).as(row).isLessThanOrEqualTo(HEFT.plan(problem, budget).makespan() + 1e-9)
                    .isLessThanOrEqualTo(DYNAMIC.plan(problem, budget).makespan() + 1e-9)
                    .isGreaterThanOrEqualTo(LowerBounds.of(problem).best() - Verifier.EPSILON);
        }
    }

    @Test
    void theGeneratorIsDeterministicBySeedAndItsProblemsArePlannedValidly() {
        for (long seed = 1; seed <= 4; seed++) {
            for (int gpus : List.of(4, 8)) {
                Problem one = LlmBatches.problem(seed, gpus);
                Problem two = LlmBatches.problem(seed, gpus);
                assertThat(two.tasks()).isEqualTo(one.tasks());
                assertThat(two.models()).isEqualTo(one.models());
                assertThat(two.cluster()).isEqualTo(one.cluster());
                assertThat(one.gpus()).isEqualTo(gpus);
                assertThat(one.modelCount()).isBetween(3, 8);
                assertThat(one.models().values()).allSatisfy(model -> {
                    assertThat(model.gpusRequired()).isIn(1, 2, 4);
                    assertThat(model.memoryGb() / model.gpusRequired()).isLessThanOrEqualTo(80);
                });
                assertThat(one.tasks().stream().map(PlanTask::request).distinct().count()).isEqualTo(6L * gpus);
                for (Strategy strategy : Strategies.all()) {
                    Plan plan = strategy.plan(one, new Strategy.Budget(0.02, seed));
                    assertThat(Verifier.violations(plan)).as(strategy.name() + " on " + seed + "/" + gpus).isEmpty();
                    assertThat(plan.makespan()).isGreaterThanOrEqualTo(LowerBounds.of(one).best() - Verifier.EPSILON);
                }
            }
        }
        assertThat(LlmBatches.problem(1, 8).tasks()).isNotEqualTo(LlmBatches.problem(2, 8).tasks());
    }
}
