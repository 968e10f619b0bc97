package dev.maze.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Every strategy's plans pass the verifier; tiny instances whose best makespan is known by hand. */
class PlanningTest {

    static final Model SMALL = new Model("small", 20, 1);
    static final Model BIG = new Model("big", 60, 2);

    /** A random backlog: requests of chains and fan-outs over a few models, some needing two GPUs. */
    static Problem random(long seed, int gpus) {
        Random random = new Random(seed);
        List<Model> models = List.of(SMALL, BIG, new Model("mid", 30, 1));
        List<PlanTask> tasks = new ArrayList<>();
        int requests = 1 + random.nextInt(6);
        for (int r = 0; r < requests; r++) {
            int size = 1 + random.nextInt(8);
            for (int t = 0; t < size; t++) {
                List<String> after = new ArrayList<>();
                for (int p = 0; p < t; p++) {
                    if (random.nextDouble() < 0.3) {
                        after.add("r" + r + "t" + p);
                    }
                }
                Model model = models.get(random.nextInt(models.size()));
                tasks.add(new PlanTask("r" + r + "t" + t, "r" + r, model.name(), random.nextInt(20), after));
            }
        }
        List<String> initial = new ArrayList<>();
        for (int g = 0; g < gpus; g++) {
            initial.add(random.nextBoolean() ? null : "small");
        }
        return new Problem(tasks, Map.of("small", SMALL, "big", BIG, "mid", models.get(2)),
                new Cluster(gpus, 80, 10, 2, initial));
    }

    @Test
    void everyStrategyPlansValidlyOnRandomInstancesAndNeverBeatsTheLowerBound() {
        for (long seed = 1; seed <= 300; seed++) {
            Problem problem = random(seed, 2 + (int) (seed % 5));
            double bound = LowerBounds.of(problem).best();
            for (Strategy strategy : Strategies.all()) {
                Plan plan = strategy.plan(problem, new Strategy.Budget(0.05, seed));
                assertThat(Verifier.violations(plan)).as(strategy.name() + " on seed " + seed).isEmpty();
                assertThat(plan.makespan()).as(strategy.name() + " on seed " + seed)
                        .isGreaterThanOrEqualTo(bound - Verifier.EPSILON);
            }
        }
    }

    @Test
    void theVerifierFindsEachKindOfViolation() {
        Problem problem = new Problem(List.of(new PlanTask("a", "r", "small", 5, List.of()),
                new PlanTask("b", "r", "big", 5, List.of("a"))), Map.of("small", SMALL, "big", BIG),
                new Cluster(3, 80, 10, 2, List.of()));
        // small loads in 20/10 + 2 = 4 s; a runs 4..9; big from small takes (20 + 60)/10 + 2 = 10 s.
        assertThat(Verifier.violations(new Plan("ok", problem, new double[] {4, 19}, new int[] {0, 0}))).isEmpty();
        assertThat(Verifier.violations(new Plan("early", problem, new double[] {3, 19}, new int[] {0, 0})))
                .singleElement().asString().contains("switching from null to small takes it to 4.0");
        assertThat(Verifier.violations(new Plan("deps", problem, new double[] {4, 8}, new int[] {0, 1})))
                .anyMatch(v -> v.contains("before its predecessor a ends at 9.0"));
        assertThat(Verifier.violations(new Plan("switch", problem, new double[] {4, 15}, new int[] {0, 0})))
                .singleElement().asString().contains("switching from small to big takes it to 19.0");
        assertThat(Verifier.violations(new Plan("group", problem, new double[] {4, 19}, new int[] {0, 2})))
                .singleElement().asString().contains("needs GPUs 2..3; the cluster has 0..2");
    }

    @Test
    void aMultiGpuModelRunsOnConsecutiveGpusWhichAllSwitch() {
        Problem problem = new Problem(List.of(new PlanTask("x", "r", "big", 10, List.of())), Map.of("big", BIG),
                new Cluster(2, 80, 10, 2, List.of()));
        for (Strategy strategy : Strategies.all()) {
            Plan plan = strategy.plan(problem, Strategy.Budget.DEFAULT);
            assertThat(plan.gpus(0)).containsExactly(0, 1);
            assertThat(plan.makespan()).isEqualTo(8 + 10); // 60/10 + 2 to load on both, then 10
            assertThat(plan.switches()).hasSize(2);
        }
        assertThat(LowerBounds.of(problem).best()).isEqualTo(18);
    }

    @Test
    void waitingForAGpuThatHoldsTheModelBeatsSwitchingAnother() {
        // GPU 0 holds small, GPU 1 holds big (2 GPUs of the big model: no, 1 GPU each: use mid-size models).
        Model a = new Model("a", 50, 1);
        Model b = new Model("b", 50, 1);
        Problem problem = new Problem(List.of(new PlanTask("a1", "r", "a", 3, List.of()),
                new PlanTask("a2", "r", "a", 3, List.of()), new PlanTask("b1", "r", "b", 20, List.of())),
                Map.of("a", a, "b", b), new Cluster(2, 80, 10, 2, List.of("a", "b")));
        // Best: a1 then a2 on GPU 0 (6 s), b1 on GPU 1 (20 s): makespan 20. Moving a2 to GPU 1 would switch (12 s).
        assertThat(LowerBounds.of(problem).best()).isEqualTo(20);
        for (Strategy strategy : Strategies.all()) {
            Plan plan = strategy.plan(problem, Strategy.Budget.DEFAULT);
            assertThat(plan.makespan()).as(strategy.name()).isEqualTo(20);
            assertThat(plan.switches()).as(strategy.name()).isEmpty();
        }
    }

    @Test
    void aProblemThatCannotBePlannedIsRefusedNamingWhy() {
        assertThatThrownBy(() -> new Problem(List.of(new PlanTask("a", "r", "big", 1, List.of())), Map.of("big", BIG),
                Cluster.of(1))).hasMessageContaining("model big needs 2 GPUs; the cluster has 1");
        assertThatThrownBy(() -> new Problem(List.of(new PlanTask("a", "r", "huge", 1, List.of())),
                Map.of("huge", new Model("huge", 200, 2)), Cluster.of(2))).hasMessageContaining("does not fit");
        assertThatThrownBy(() -> new Problem(List.of(new PlanTask("a", "r", "small", 1, List.of("b")),
                new PlanTask("b", "r", "small", 1, List.of("a"))), Map.of("small", SMALL), Cluster.of(1)))
                .hasMessageContaining("cycle");
        assertThatThrownBy(() -> new Problem(List.of(new PlanTask("a", "r", "nope", 1, List.of())),
                Map.of("small", SMALL), Cluster.of(1))).hasMessageContaining("calls model nope");
        assertThatThrownBy(() -> new Problem(List.of(new PlanTask("a", "r", "small", 1, List.of("zz"))),
                Map.of("small", SMALL), Cluster.of(1))).hasMessageContaining("comes after zz");
    }
}
