package dev.maze.offline;

import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.sim.Arrival;
import dev.maze.core.sim.Phase;
import dev.maze.core.sim.Simulation;
import dev.maze.core.sim.SimulationResult;
import dev.maze.core.sim.Workload;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The same backlog scheduled online: the problem becomes a simulated workload — one node with the cluster's GPUs,
 * every request a workflow submitted at time 0 whose tasks are {@code sim} tasks of their estimated times on k whole
 * GPUs calling their model — and runs through {@link Simulation} under a scheduler profile ({@code daps},
 * {@code mars}, ...), on the virtual clock. What planning ahead buys is the difference in makespan.
 *
 * <p>The online engine's switch model is its own (maze-core README, "models"): loading a model costs its load time,
 * set here to the planner's switch time onto an empty GPU ({@code size / bandwidth + overhead}); evicting is free,
 * and a GPU keeps several models resident when their memory fits. So the online side is charged at most what the
 * planner charges, and its makespan still respects the planner's path, work and window bounds (both charge every
 * first load), {@link LowerBounds#withoutEvictionCharge}; not the loads bound, which charges a model leaving.
 * GPUs start empty online: initial models are a planner input only. Profiles differ in residency: {@code daps}
 * (Maze's own) unloads a model after each call, {@code daps-warm} and {@code mars} keep models resident.
 */
public final class OnlineComparison {

    private OnlineComparison() {}

    /** The makespan {@code profile} reaches on {@code problem}'s backlog, simulated with {@code seed}. */
    public static double makespan(Problem problem, String profile, long seed) {
        SimulationResult result = Simulation.run(workload(problem), profile, seed);
        return result.endSeconds();
    }

    /** {@code problem} as a simulated workload: one node, every request a workflow at time 0. */
    static Workload workload(Problem problem) {
        return workload(problem, 1);
    }

    /** As {@link #workload(Problem)}, every task's time {@code scale} times its estimate. */
    static Workload workload(Problem problem, double scale) {
        return workload(problem, scale, List.of());
    }

    /**
     * As {@link #workload(Problem, double)}, where each of {@code prefetch}'s switches gets a warm-up call in the
     * workflow of the task it switches for ({@link #prefetchId}): no time of its own, no dependencies, one GPU, the
     * task's model. Run on the switch's GPU before the task, it loads the model there (the engine loads a model for a
     * call), so the task finds it resident.
     */
    static Workload workload(Problem problem, double scale, List<Plan.Switch> prefetch) {
        Map<Integer, List<Integer>> warmUps = new HashMap<>(); // task index -> GPUs switching for it
        for (Plan.Switch change : prefetch) {
            warmUps.computeIfAbsent(problem.indexOf(change.beforeTask()), i -> new ArrayList<>()).add(change.gpu());
        }
        Cluster cluster = problem.cluster();
        NodeSpec node = NodeSpec.of("gpus", 4.0 * cluster.gpus(), 64.0 * cluster.gpus(), cluster.gpus(),
                cluster.gpuMemoryGb());
        Map<String, ModelSpec> models = new HashMap<>();
        for (int m = 0; m < problem.modelCount(); m++) {
            Model model = problem.models().get(problem.modelName(m));
            models.put(model.name(), new ModelSpec(model.name(), model.memoryGb() / model.gpusRequired(),
                    problem.switchSeconds(-1, m), 1, 0));
        }
        Map<String, List<Integer>> requests = new LinkedHashMap<>();
        for (int i = 0; i < problem.size(); i++) {
            requests.computeIfAbsent(problem.task(i).request(), r -> new ArrayList<>()).add(i);
        }
        List<Arrival> arrivals = new ArrayList<>();
        int number = 0;
        for (var request : requests.entrySet()) {
            WorkflowBuilder workflow = WorkflowBuilder.workflow(request.getKey()).id("request-" + ++number);
            for (int i : request.getValue()) {
                PlanTask task = problem.task(i);
                String[] after = task.after().stream().map(OnlineComparison::taskId).toArray(String[]::new);
                Resources resources = new Resources(0, 0, problem.gpusNeeded(i), 0, task.model());
                workflow.task(taskId(task.id()), t -> t.dependsOn(after).input("seconds", task.seconds() * scale)
                        .resources(resources));
                for (int gpu : warmUps.getOrDefault(i, List.of())) {
                    workflow.task(prefetchId(task.id(), gpu), t -> t.input("seconds", 0)
                            .resources(new Resources(0, 0, 1, 0, task.model())));
                }
            }
            WorkflowSpec spec = workflow.build();
            arrivals.add(new Arrival(0, 0, request.getKey(), spec));
        }
        return Workload.of("backlog", List.of(node), models, List.of(new Phase("backlog", 0, 0, 0)), 0,
                seed -> arrivals);
    }

    /** The id of the warm-up call that loads the model of planner task {@code id} onto GPU {@code gpu} ahead of it. */
    static String prefetchId(String id, int gpu) {
        return "prefetch." + gpu + "." + taskId(id);
    }

    /** A planner task id as a workflow task id (the workflow format's ids take no '/'). */
    static String taskId(String id) {
        return id.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
