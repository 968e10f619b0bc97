package dev.maze.offline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The verifier against plans broken on purpose, on random instances (seeded): every way a plan can be wrong — a task
 * before its predecessor ends, two tasks overlapping on a GPU, no room for a switch, a group outside the cluster — is
 * reported, and the valid plan it came from is not.
 */
class VerifierPropertyTest {

    @Test
    void everyKindOfBreakageIsFoundAndTheValidPlanPasses() {
        int broken = 0;
        for (long seed = 1; seed <= 200; seed++) {
            Problem problem = PlanningTest.random(seed, 2 + (int) (seed % 4));
            Plan valid = Strategies.named("heft").plan(problem, Strategy.Budget.DEFAULT);
            assertThat(Verifier.violations(valid)).isEmpty();
            Random random = new Random(seed);
            double[] start = new double[problem.size()];
            int[] first = new int[problem.size()];
            for (int i = 0; i < problem.size(); i++) {
                start[i] = valid.start(i);
                first[i] = valid.firstGpu(i);
            }
            for (int attempt = 0; attempt < 5; attempt++) {
                int task = random.nextInt(problem.size());
                double[] s = start.clone();
                int[] f = first.clone();
                String kind = switch (random.nextInt(3)) {
                    case 0 -> breakDependency(problem, valid, task, s);
                    case 1 -> breakGpu(problem, valid, task, s, f);
                    default -> breakGroup(problem, task, f);
                };
                if (kind == null) {
                    continue; // nothing to break that way for this task
                }
                List<String> found = Verifier.violations(new Plan("broken", problem, s, f));
                assertThat(found).as("seed " + seed + ", " + kind + " of task " + problem.task(task).id()).isNotEmpty();
                broken++;
            }
        }
        assertThat(broken).as("plans broken and caught").isGreaterThan(300);
    }

    /** Starts the task just before its latest predecessor ends. */
    private static String breakDependency(Problem problem, Plan plan, int task, double[] start) {
        double latest = Double.NEGATIVE_INFINITY;
        for (int p : problem.predecessors(task)) {
            latest = Math.max(latest, plan.end(p));
        }
        if (latest == Double.NEGATIVE_INFINITY || latest <= 0.01) {
            return null;
        }
        start[task] = latest - 0.01;
        return "a start before a predecessor's end";
    }

    /** Moves the task onto the time of another task of its first GPU (overlap, or no room for the switch). */
    private static String breakGpu(Problem problem, Plan plan, int task, double[] start, int[] first) {
        List<Integer> timeline = plan.timeline(plan.firstGpu(task));
        for (int other : timeline) {
            if (other != task && problem.seconds(other) > 0.02 && problem.seconds(task) > 0.02) {
                start[task] = plan.start(other) + 0.01;
                first[task] = plan.firstGpu(task);
                return "an overlap on GPU " + plan.firstGpu(task);
            }
        }
        return null;
    }

    /** Puts the task's group past the last GPU. */
    private static String breakGroup(Problem problem, int task, int[] first) {
        first[task] = problem.gpus() - problem.gpusNeeded(task) + 1;
        return "a group outside the cluster";
    }
}
