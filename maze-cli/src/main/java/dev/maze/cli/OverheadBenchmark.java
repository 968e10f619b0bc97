package dev.maze.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.clock.Clock;
import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EngineStats;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.clock.WallClock;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.Resources;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code maze bench overhead}: the engine's own cost per task. Many workflows of zero-duration {@code sim} tasks
 * run on many virtual nodes, so all measured time is scheduling: ready-queue ordering, placement, state changes,
 * timers and events. Reported per task: engine time from the first submission until the last workflow completed,
 * divided by the number of tasks (each task is submitted, keyed, placed, started, completed and its successors
 * released); and the rate of tasks dispatched per second.
 */
@Command(name = "overhead", mixinStandardHelpOptions = true,
        description = "Scheduling overhead per task: N workflows of T zero-duration sim tasks on K virtual nodes.")
final class OverheadBenchmark implements Callable<Integer> {

    @Option(names = "--workflows", defaultValue = "10000", description = "Workflows. Default: ${DEFAULT-VALUE}.")
    int workflows;

    @Option(names = "--tasks", defaultValue = "10", description = "Tasks per workflow. Default: ${DEFAULT-VALUE}.")
    int tasks;

    @Option(names = "--nodes", defaultValue = "16", description = "Virtual nodes (32 cores, 256 GB, 4 x 80 GB GPUs each). Default: ${DEFAULT-VALUE}.")
    int nodes;

    @Option(names = "--policy", defaultValue = "daps", description = "Ordering policy. Default: ${DEFAULT-VALUE}.")
    String policy;

    @Option(names = "--clock", defaultValue = "virtual",
            description = "virtual: the loop runs on this thread and jumps time; wall: the loop runs on its own thread on real time. Default: ${DEFAULT-VALUE}.")
    String clock;

    @Option(names = "--repeat", defaultValue = "5", description = "Measured repetitions after one warm-up. Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the generated DAGs. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws ValidationException {
        if (workflows < 1 || tasks < 1 || nodes < 1 || repeat < 1 || !(clock.equals("virtual") || clock.equals("wall"))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--workflows, --tasks, --nodes and --repeat must be >= 1; --clock is virtual or wall");
        }
        RunOptions.checkPolicy(spec, policy);
        PrintWriter out = spec.commandLine().getOut();
        List<WorkflowSpec> batch = generate();
        List<NodeSpec> cluster = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            cluster.add(NodeSpec.of("node-" + i, 32, 256, 4, 80));
        }
        measure(batch, cluster); // warm-up: lets the JIT compile the hot path
        double[] microsPerTask = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            microsPerTask[i] = measure(batch, cluster);
        }
        Arrays.sort(microsPerTask);
        double median = microsPerTask[repeat / 2];
        long totalTasks = (long) workflows * tasks;
        if (json) {
            ObjectNode result = JsonMapper.builder().build().createObjectNode();
            result.put("workflows", workflows).put("tasksPerWorkflow", tasks).put("nodes", nodes).put("policy", policy)
                    .put("clock", clock).put("repeat", repeat).put("microsPerTaskMedian", round(median))
                    .put("microsPerTaskMin", round(microsPerTask[0])).put("microsPerTaskMax", round(microsPerTask[repeat - 1]))
                    .put("tasksPerSecond", Math.round(1e6 / median)).put("cores", Runtime.getRuntime().availableProcessors())
                    .put("java", Runtime.version().toString());
            out.println(result.toPrettyString());
        } else {
            out.printf("maze bench overhead: %d workflows x %d tasks = %d tasks, %d nodes, policy %s, %s clock, %d cores, Java %s%n",
                    workflows, tasks, totalTasks, nodes, policy, clock, Runtime.getRuntime().availableProcessors(), Runtime.version());
            out.printf("  per task: median %.2f us (min %.2f, max %.2f over %d runs)%n", median, microsPerTask[0],
                    microsPerTask[repeat - 1], repeat);
            out.printf("  dispatch rate: %,d tasks/s%n", Math.round(1e6 / median));
        }
        out.flush();
        return 0;
    }

    /** One run; returns engine microseconds per task. */
    private double measure(List<WorkflowSpec> batch, List<NodeSpec> cluster) throws ValidationException {
        Clock engineClock = clock.equals("virtual") ? new VirtualClock() : new WallClock();
        try (Engine engine = Engine.builder().clock(engineClock).nodes(cluster).policy(policy).retainedWorkflows(16).build()) {
            long start = System.nanoTime();
            List<WorkflowHandle> handles = engine.submitAll(batch);
            if (engineClock instanceof VirtualClock) {
                engine.runUntilIdle();
            } else {
                engine.start();
            }
            for (WorkflowHandle handle : handles) {
                if (handle.result().join().state() != WorkflowState.FINISHED) {
                    throw new IllegalStateException("benchmark workflow " + handle.id() + " did not finish");
                }
            }
            long elapsed = System.nanoTime() - start;
            EngineStats stats = engine.stats().join();
            if (stats.tasksStarted() != (long) workflows * tasks) {
                throw new IllegalStateException("expected " + (long) workflows * tasks + " tasks, started " + stats.tasksStarted());
            }
            return elapsed / 1e3 / stats.tasksStarted();
        }
    }

    /**
     * Random DAGs: task i > 0 depends on one or two earlier tasks; one task in three is a model call on a GPU
     * (alternating two models), the rest use one core.
     */
    private List<WorkflowSpec> generate() {
        SplittableRandom random = new SplittableRandom(seed);
        List<WorkflowSpec> batch = new ArrayList<>(workflows);
        for (int w = 0; w < workflows; w++) {
            WorkflowBuilder builder = WorkflowBuilder.workflow("bench-" + (w % 14));
            for (int t = 0; t < tasks; t++) {
                List<String> deps = new ArrayList<>();
                if (t > 0) {
                    deps.add("t" + random.nextInt(t));
                    if (t > 1 && random.nextBoolean()) {
                        String second = "t" + random.nextInt(t);
                        if (!deps.contains(second)) {
                            deps.add(second);
                        }
                    }
                }
                boolean gpu = random.nextInt(3) == 0;
                Resources resources = gpu ? new Resources(1, 1, 1, 20, t % 2 == 0 ? "qwen3-32b" : "qwen2.5-vl-32b")
                        : new Resources(1, 1, 0, 0, null);
                builder.task("t" + t, task -> task.dependsOn(deps.toArray(String[]::new)).resources(resources)
                        .input("seconds", 0));
            }
            batch.add(builder.build());
        }
        return batch;
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
