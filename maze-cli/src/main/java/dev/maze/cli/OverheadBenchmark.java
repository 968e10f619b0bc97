package dev.maze.cli;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.clock.Clock;
import dev.maze.core.engine.Engine;
import dev.maze.core.engine.InMemoryJournal;
import dev.maze.core.engine.StateJournal;
import dev.maze.core.engine.EngineStats;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.clock.WallClock;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.profile.SchedulerProfile;
import dev.maze.core.profile.SchedulerProfiles;
import dev.maze.core.node.Resources;
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
 * released); and the rate of tasks dispatched per second. {@code --nodes 16,256,4096} measures each cluster size in
 * one run (a warm-up, then the measured runs, per size), so the figures compare on one machine in one state;
 * {@code --profile NAME} schedules with a simulator profile's policy, placement, model residency, head-of-line rule
 * and admission instead of {@code --policy} with the engine's defaults.
 */
@Command(name = "overhead", mixinStandardHelpOptions = true,
        description = "Scheduling overhead per task: N workflows of T zero-duration sim tasks on K virtual nodes.")
final class OverheadBenchmark implements Callable<Integer> {

    /** The largest sweep: workflows, tasks of one workflow (a chain), tasks in all (all generated up front), repetitions. */
    static final int MAX_WORKFLOWS = 1_000_000;
    static final int MAX_TASKS_PER_WORKFLOW = 200_000;
    static final long MAX_TASKS = 2_000_000;
    static final int MAX_REPEAT = 100;

    @Option(names = "--workflows", defaultValue = "10000", paramLabel = "N",
            description = "Workflows. Default: ${DEFAULT-VALUE}.")
    int workflows;

    @Option(names = "--tasks", defaultValue = "10", paramLabel = "T",
            description = "Tasks per workflow. Default: ${DEFAULT-VALUE}.")
    int tasks;

    @Option(names = "--shape", defaultValue = "random", paramLabel = "random|chain",
            description = "random: each task depends on one or two earlier ones; chain: each task on the one before, "
                    + "its input templating that task's output (and every 100th the first task's), to measure validation, "
                    + "DAG shapes and input rendering of one long workflow. Default: ${DEFAULT-VALUE}.")
    String shape;

    @Option(names = "--nodes", defaultValue = "16", split = ",", paramLabel = "N",
            description = "Virtual nodes (32 cores, 256 GB, 4 x 80 GB GPUs each); several counts, comma-separated, are measured in one run. Default: ${DEFAULT-VALUE}.")
    List<Integer> nodes;

    @Option(names = "--policy", paramLabel = "SPEC",
            description = "Ordering policy, with the engine's default placement. Default: daps.")
    String policy;

    @Option(names = "--profile", paramLabel = "SPEC",
            description = "A simulator profile (e.g. mars): its policy, placement, model residency, head-of-line rule and "
                    + "admission. Not with --policy.")
    String profile;

    @Option(names = "--journal", defaultValue = "memory", paramLabel = "memory|none",
            description = "memory: state events go to the default in-memory journal, as in maze run; none: no journal "
                    + "(StateJournal.NONE, as the simulator runs), to see what recording costs. Default: ${DEFAULT-VALUE}.")
    String journal;

    @Option(names = "--clock", defaultValue = "virtual", paramLabel = "virtual|wall",
            description = "virtual: the loop runs on this thread and jumps time; wall: the loop runs on its own thread on real time. Default: ${DEFAULT-VALUE}.")
    String clock;

    @Option(names = "--repeat", defaultValue = "5", paramLabel = "R",
            description = "Measured repetitions after one warm-up. Default: ${DEFAULT-VALUE}.")
    int repeat;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seed of the generated DAGs. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws ValidationException {
        if (!(clock.equals("virtual") || clock.equals("wall")) || !(journal.equals("memory") || journal.equals("none"))
                || !(shape.equals("random") || shape.equals("chain"))) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--clock is virtual or wall; --journal is memory or none; --shape is random or chain");
        }
        // Every workflow is generated before the first run: the sizes bound the memory it takes.
        OptionRange.whole(spec, "--workflows", workflows, 1, MAX_WORKFLOWS);
        OptionRange.whole(spec, "--tasks", tasks, 1, MAX_TASKS_PER_WORKFLOW);
        if ((long) workflows * tasks > MAX_TASKS) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--workflows x --tasks must be at most "
                    + MAX_TASKS + " tasks in all, was " + (long) workflows * tasks);
        }
        for (int count : nodes) {
            OptionRange.whole(spec, "--nodes", count, 1, dev.maze.core.sim.WorkloadLimits.MAX_NODES);
        }
        OptionRange.whole(spec, "--repeat", repeat, 1, MAX_REPEAT);
        SchedulerProfile scheduler = null;
        if (profile != null) {
            if (policy != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--profile and --policy exclude each other");
            }
            try {
                scheduler = SchedulerProfiles.get(profile);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        } else {
            if (policy == null) {
                policy = "daps";
            }
            SchedulerOptions.checkPolicy(spec, policy);
        }
        String scheduledBy = scheduler != null ? "profile " + profile : "policy " + policy;
        PrintWriter out = spec.commandLine().getOut();
        List<WorkflowSpec> batch = generate();
        long totalTasks = (long) workflows * tasks;
        ArrayNode sweep = JsonMapper.builder().build().createArrayNode();
        if (!json) {
            out.printf("maze bench overhead: %d workflows x %d tasks = %d tasks (%s), %s, %s clock, journal %s, %d cores, "
                    + "Java %s%n", workflows, tasks, totalTasks, shape, scheduledBy, clock, journal, Runtime.getRuntime().availableProcessors(),
                    Runtime.version());
        }
        for (int count : nodes) {
            List<NodeSpec> cluster = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                cluster.add(NodeSpec.of("node-" + i, 32, 256, 4, 80));
            }
            measure(batch, cluster, scheduler); // warm-up: lets the JIT compile the hot path
            double[] microsPerTask = new double[repeat];
            for (int i = 0; i < repeat; i++) {
                microsPerTask[i] = measure(batch, cluster, scheduler);
            }
            Arrays.sort(microsPerTask);
            double median = microsPerTask[repeat / 2];
            sweep.addObject().put("nodes", count).put("microsPerTaskMedian", round(median))
                    .put("microsPerTaskMin", round(microsPerTask[0])).put("microsPerTaskMax", round(microsPerTask[repeat - 1]))
                    .put("tasksPerSecond", Math.round(1e6 / median));
            if (!json) {
                out.printf("  %,6d nodes: per task median %.2f us (min %.2f, max %.2f over %d runs), %,d tasks/s%n", count,
                        median, microsPerTask[0], microsPerTask[repeat - 1], repeat, Math.round(1e6 / median));
                out.flush();
            }
        }
        if (json) {
            ObjectNode result = JsonMapper.builder().build().createObjectNode();
            result.put("workflows", workflows).put("tasksPerWorkflow", tasks).put("shape", shape);
            if (nodes.size() == 1) {
                result.put("nodes", nodes.get(0));
            }
            if (scheduler != null) {
                result.put("profile", profile);
            } else {
                result.put("policy", policy);
            }
            result.put("clock", clock).put("journal", journal).put("repeat", repeat);
            if (nodes.size() == 1) {
                ObjectNode only = (ObjectNode) sweep.get(0);
                result.put("microsPerTaskMedian", only.get("microsPerTaskMedian").asDouble())
                        .put("microsPerTaskMin", only.get("microsPerTaskMin").asDouble())
                        .put("microsPerTaskMax", only.get("microsPerTaskMax").asDouble())
                        .put("tasksPerSecond", only.get("tasksPerSecond").asLong());
            }
            result.set("sweep", sweep);
            result.put("cores", Runtime.getRuntime().availableProcessors()).put("java", Runtime.version().toString());
            out.println(result.toPrettyString());
        }
        out.flush();
        return 0;
    }

    /** One run; returns engine microseconds per task. */
    private double measure(List<WorkflowSpec> batch, List<NodeSpec> cluster, SchedulerProfile scheduler)
            throws ValidationException {
        Clock engineClock = clock.equals("virtual") ? new VirtualClock() : new WallClock();
        Engine.Builder builder = Engine.builder().clock(engineClock).nodes(cluster).retainedWorkflows(16)
                .journal(journal.equals("none") ? StateJournal.NONE : new InMemoryJournal());
        if (scheduler == null) {
            builder.policy(policy);
        } else {
            scheduler.configure(builder, cluster); // the scheduler `maze run --profile` and `maze simulate` use
        }
        try (Engine engine = builder.build()) {
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
     * (alternating two models), the rest use one core. Chains: see {@link #chain}.
     */
    private List<WorkflowSpec> generate() {
        if (shape.equals("chain")) {
            List<WorkflowSpec> batch = new ArrayList<>(workflows);
            for (int w = 0; w < workflows; w++) {
                batch.add(chain());
            }
            return batch;
        }
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

    /**
     * One chain of one-core tasks, each templating its predecessor's output, and every 100th also the first task's:
     * a reference that is not a dependency, which validation must answer by reachability.
     */
    private WorkflowSpec chain() {
        WorkflowBuilder builder = WorkflowBuilder.workflow("bench-chain");
        Resources resources = new Resources(1, 1, 0, 0, null);
        for (int t = 0; t < tasks; t++) {
            int index = t;
            builder.task("t" + t, task -> {
                task.resources(resources).input("seconds", 0);
                if (index > 0) {
                    task.dependsOn("t" + (index - 1)).input("prompt", "{{tasks.t" + (index - 1) + ".output.text}}"
                            + (index % 100 == 0 ? " {{tasks.t0.output.text}}" : ""));
                }
            });
        }
        return builder.build();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
