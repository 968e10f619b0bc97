package dev.maze.core.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EngineListener;
import dev.maze.core.engine.TaskState;
import dev.maze.core.clock.WallClock;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.ModelSpec;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.profile.SchedulerProfiles;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The simulator predicts what the real engine does: the same small workload, run through {@link Simulation#run} on the
 * virtual clock and through an {@link Engine} on the wall clock built from the same profile's plug-ins, starts its
 * tasks in the same order.
 *
 * <p>Wall-clock runs jitter by milliseconds, so the workload is laid out so that jitter cannot legitimately change the
 * order: in the simulated schedule every two events that trigger scheduling (an arrival, a task's end) are at least
 * {@link #MIN_GAP_SECONDS} apart, which the test checks first. Tasks started by one event start in one scheduling
 * pass; their order inside the pass is compared as a set, since the simulator's records keep only their (equal) times.
 */
class SimulatorAgreementTest {

    /** One node, one GPU, two cores: GPU calls queue behind each other and CPU tasks compete with them for cores. */
    private static final List<NodeSpec> NODES = List.of(NodeSpec.of("n0", 2, 16, 1, 80));
    /** Loads cost nothing, so that residency cannot make the two runs differ by a load's length. */
    private static final Map<String, ModelSpec> MODELS = Map.of("a", new ModelSpec("a", 80, 0), "b", new ModelSpec("b", 80, 0));
    private static final List<String> PROFILES = List.of("daps-warm", "fcfs", "hacs", "agent");
    private static final double MIN_GAP_SECONDS = 0.1;
    /** Wall-clock starts closer together than this came from one scheduling pass (distinct passes are 0.1 s apart). */
    private static final double SAME_PASS_SECONDS = 0.05;

    /**
     * Five workflows of three types arriving over 1.3 s; every profile is done by 3.8 s. Durations were chosen (by
     * search) to keep triggering events apart under every profile tested and to make their orders differ: daps-warm
     * serves GPU calls by workflow submission, fcfs serves c2's call (ready at 1.32) before r2's (ready at 1.43), hacs
     * serves r2's call before f1's first (its key used the gpu estimate after c1 had taught the EMA, 24 s rather than
     * 30 s), and agent routes r2 to the rag agent still busy with r1, so r2 starts only when r1 ends at 1.92.
     */
    private static List<Arrival> arrivals() {
        return List.of(rag("r1", 0.0), chat("c1", 0.36), fan("f1", 0.46), rag("r2", 0.72), chat("c2", 1.32));
    }

    private static Arrival rag(String id, double at) {
        return arrival(id, at, "rag", wf -> wf
                .task("retrieve", t -> t.input("seconds", 0.58))
                .task("llm", t -> t.dependsOn("retrieve").gpu("a").input("seconds", 0.59))
                .task("answer", t -> t.dependsOn("llm").input("seconds", 0.38)));
    }

    private static Arrival chat(String id, double at) {
        return arrival(id, at, "chat", wf -> wf.task("llm", t -> t.gpu("b").input("seconds", 0.59)));
    }

    private static Arrival fan(String id, double at) {
        return arrival(id, at, "fan", wf -> wf
                .task("split", t -> t.input("seconds", 0.27))
                .task("llm1", t -> t.dependsOn("split").gpu("a").input("seconds", 0.2))
                .task("llm2", t -> t.dependsOn("split").gpu("b").input("seconds", 0.47))
                .task("join", t -> t.dependsOn("llm1", "llm2").input("seconds", 0.45)));
    }

    @Test
    void simulatorAndRealEngineStartTasksInTheSameOrder() throws Exception {
        List<Arrival> arrivals = arrivals();
        Workload workload = new SimulationTest.FixedWorkload(NODES, MODELS, arrivals);
        // Simulating first also warms up the engine code that the wall-clock runs time (class loading, JIT).
        Map<String, SimulationResult> simulations = new LinkedHashMap<>();
        for (String profile : PROFILES) {
            SimulationResult simulated = Simulation.run(workload, profile, 1);
            assertTriggersAreApart(simulated, arrivals);
            simulations.put(profile, simulated);
        }
        Map<String, List<Start>> real = runOnWallClock(arrivals);
        for (String profile : PROFILES) {
            List<Start> simulatedStarts = starts(simulations.get(profile));
            assertThat(passes(real.get(profile)))
                    .as("%s: task starts per scheduling pass, wall clock (actual) vs simulator (expected); wall clock %s, simulated %s",
                            profile, real.get(profile), simulatedStarts)
                    .isEqualTo(passes(simulatedStarts));
        }
    }

    @Test
    void theWorkloadTellsTheProfilesApart() {
        // Agreement means little if every profile started the tasks in one order: each profile's order must be its own.
        Workload workload = new SimulationTest.FixedWorkload(NODES, MODELS, arrivals());
        Map<String, List<List<String>>> orders = new LinkedHashMap<>();
        for (String profile : PROFILES) {
            orders.put(profile, passes(starts(Simulation.run(workload, profile, 1))));
        }
        assertThat(orders.values()).as("start orders by profile: %s", orders).doesNotHaveDuplicates();
    }

    /** One task start: {@code workflow/task} at engine-clock seconds. */
    record Start(String task, double atSeconds) {}

    private static List<Start> starts(SimulationResult simulated) {
        return simulated.tasks().stream()
                .map(task -> new Start(task.workflowId() + "/" + task.taskId(), task.startedAt()))
                .sorted(Comparator.comparingDouble(Start::atSeconds))
                .toList();
    }

    /**
     * Submits {@code arrivals} at their times to one wall-clock engine per profile, all running at once (they mostly
     * wait), and returns each engine's task starts in the order its listener saw them.
     */
    private static Map<String, List<Start>> runOnWallClock(List<Arrival> arrivals) throws Exception {
        Map<String, Engine> engines = new LinkedHashMap<>();
        Map<String, List<Start>> starts = new LinkedHashMap<>();
        ScheduledExecutorService submitter = Executors.newSingleThreadScheduledExecutor();
        try {
            for (String profile : PROFILES) {
                List<Start> seen = Collections.synchronizedList(new ArrayList<>());
                starts.put(profile, seen);
                engines.put(profile, engine(profile, event -> {
                    if (event.state() == TaskState.RUNNING) {
                        seen.add(new Start(event.workflowId() + "/" + event.taskId(), event.timeSeconds()));
                    }
                }));
            }
            Map<String, List<ScheduledFuture<WorkflowHandle>>> submissions = new LinkedHashMap<>();
            for (Map.Entry<String, Engine> entry : engines.entrySet()) {
                List<ScheduledFuture<WorkflowHandle>> handles = new ArrayList<>();
                for (Arrival arrival : arrivals) {
                    Engine engine = entry.getValue();
                    WorkflowSpec spec = arrival.spec();
                    handles.add(submitter.schedule(() -> engine.submit(spec), Math.round(arrival.atSeconds() * 1e9),
                            TimeUnit.NANOSECONDS));
                }
                submissions.put(entry.getKey(), handles);
            }
            for (Map.Entry<String, List<ScheduledFuture<WorkflowHandle>>> entry : submissions.entrySet()) {
                for (ScheduledFuture<WorkflowHandle> submission : entry.getValue()) {
                    WorkflowHandle handle = submission.get(30, TimeUnit.SECONDS);
                    assertThat(handle.result().get(30, TimeUnit.SECONDS).state()).as("%s %s", entry.getKey(), handle.id())
                            .isEqualTo(WorkflowState.FINISHED);
                }
            }
        } finally {
            submitter.shutdownNow();
            engines.values().forEach(Engine::close);
        }
        Map<String, List<Start>> copies = new LinkedHashMap<>();
        starts.forEach((profile, seen) -> copies.put(profile, List.copyOf(seen)));
        return copies;
    }

    /** A started wall-clock engine with {@code profile}'s plug-ins, as {@link Simulation#run} builds them. */
    private static Engine engine(String profile, Consumer<EngineListener.TaskEvent> onTaskEvent) {
        Engine.Builder builder = SchedulerProfiles.get(profile).configure(Engine.builder(), NODES)
                .clock(new WallClock())
                .models(MODELS)
                .listener(new EngineListener() {
                    @Override
                    public void onTaskEvent(TaskEvent event) {
                        onTaskEvent.accept(event);
                    }
                });
        return builder.build().start();
    }

    /**
     * Starts grouped into scheduling passes (starts within {@link #SAME_PASS_SECONDS} of the pass's first), each pass
     * as its sorted task names.
     */
    private static List<List<String>> passes(List<Start> starts) {
        List<List<String>> passes = new ArrayList<>();
        double passStart = Double.NEGATIVE_INFINITY;
        for (Start start : starts) {
            if (start.atSeconds() - passStart >= SAME_PASS_SECONDS) {
                passes.add(new ArrayList<>());
                passStart = start.atSeconds();
            }
            passes.get(passes.size() - 1).add(start.task());
        }
        passes.forEach(pass -> pass.sort(Comparator.naturalOrder()));
        return passes;
    }

    /** Precondition: the simulated schedule leaves no two triggering events close enough for jitter to swap them. */
    private static void assertTriggersAreApart(SimulationResult simulated, List<Arrival> arrivals) {
        List<Start> triggers = new ArrayList<>();
        arrivals.forEach(arrival -> triggers.add(new Start("arrival of " + arrival.spec().id(), arrival.atSeconds())));
        simulated.tasks().forEach(task -> triggers.add(new Start("end of " + task.workflowId() + "/" + task.taskId(),
                task.finishedAt())));
        triggers.sort(Comparator.comparingDouble(Start::atSeconds));
        for (int i = 1; i < triggers.size(); i++) {
            assertThat(triggers.get(i).atSeconds() - triggers.get(i - 1).atSeconds())
                    .as("%s: %s and %s are too close for a wall-clock comparison; change the workload's durations",
                            simulated.profile(), triggers.get(i - 1), triggers.get(i))
                    .isGreaterThanOrEqualTo(MIN_GAP_SECONDS - 1e-6);
        }
    }

    private static Arrival arrival(String id, double at, String type, Consumer<WorkflowBuilder> tasks) {
        WorkflowBuilder builder = WorkflowBuilder.workflow(type).id(id);
        tasks.accept(builder);
        return new Arrival(at, 0, type, builder.build());
    }
}
