package dev.maze.core.sim;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EngineStats;
import dev.maze.core.engine.StateJournal;
import dev.maze.core.engine.TaskListCache;
import dev.maze.core.engine.TaskSnapshot;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.exec.SimExecutor;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.profile.SchedulerProfile;
import dev.maze.core.profile.SchedulerProfiles;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a workload on the production engine with a virtual clock (DESIGN.md principle 2): the same loop, policies,
 * placement and predictor as a real run; only the executor ({@code sim}) and the clock are simulated. Task
 * durations are drawn from the engine seed, workflow id and task id, so every profile sees the same durations
 * for the same seed (paired comparisons).
 */
public final class Simulation {

    /** Simulated workloads run {@code sim} tasks only; the executor is stateless, so every run shares it. */
    private static final Map<String, TaskExecutor> SIMULATED = Map.of("sim", new SimExecutor());
    /**
     * The runs of a simulation see the same task lists (every arrival of a workflow type shares its list) on
     * short-lived engines: they share what is known about each list. Bounded like an engine's own.
     */
    private static final TaskListCache TASK_LISTS = new TaskListCache(4096);

    private Simulation() {}

    /** Profile names {@link #run} accepts. */
    public static Set<String> profiles() {
        return SchedulerProfiles.names();
    }

    /**
     * Simulates {@code workload} under the profile a spec names ({@code mars}, {@code daps:w1=0,w2=1}; see
     * {@link SchedulerProfiles#get}) with {@code seed}.
     *
     * @throws IllegalArgumentException for an unknown profile or parameter, or a workload whose workflows the cluster
     *     cannot run
     */
    public static SimulationResult run(Workload workload, String profile, long seed) {
        return run(workload, SchedulerProfiles.get(profile), seed);
    }

    /**
     * Simulates {@code workload} under {@code scheduler} with {@code seed}; the result is labelled with the profile's
     * name.
     *
     * @throws IllegalArgumentException for a workload whose workflows the cluster cannot run
     */
    public static SimulationResult run(Workload workload, SchedulerProfile scheduler, long seed) {
        String profile = scheduler.name();
        List<Arrival> arrivals = workload.arrivals(seed);
        Engine.Builder builder = scheduler.configure(Engine.builder(), workload.nodes())
                .clock(new VirtualClock())
                .executors(SIMULATED)
                .models(workload.models())
                .seed(seed)
                .retainedWorkflows(16)
                // A simulated run's state lives as long as the run: nothing to journal, and no events to build.
                .journal(StateJournal.NONE)
                .taskLists(TASK_LISTS);
        long start = System.nanoTime();
        try (Engine engine = builder.build()) {
            List<WorkflowHandle> handles = new ArrayList<>(arrivals.size());
            for (Arrival arrival : arrivals) {
                handles.add(engine.submitAt(arrival.atSeconds(), arrival.spec()));
            }
            engine.runUntilIdle();
            double wallSeconds = (System.nanoTime() - start) / 1e9;
            EngineStats stats = engine.stats().join();
            List<SimulationResult.WorkflowRecord> workflows = new ArrayList<>(arrivals.size());
            List<SimulationResult.TaskRecord> tasks = new ArrayList<>();
            double end = 0;
            for (int i = 0; i < arrivals.size(); i++) {
                Arrival arrival = arrivals.get(i);
                WorkflowSnapshot snapshot = handles.get(i).result().getNow(null);
                if (snapshot == null) {
                    throw new IllegalStateException("workflow " + handles.get(i).id() + " did not end; the simulation stalled");
                }
                double finishedAt = snapshot.finishedAt() == null ? Double.NaN : snapshot.finishedAt();
                end = Math.max(end, finishedAt);
                workflows.add(new SimulationResult.WorkflowRecord(snapshot.id(), arrival.type(), arrival.phase(),
                        snapshot.submittedAt(), finishedAt, snapshot.state()));
                for (TaskSnapshot task : snapshot.tasks()) {
                    if (task.startedAt() == null) {
                        continue;
                    }
                    TaskSpec spec = specOf(arrival, task.id());
                    tasks.add(new SimulationResult.TaskRecord(snapshot.id(), task.id(), spec.resources().resourceClass(),
                            spec.resources().model(), task.readyAt(), task.startedAt(),
                            task.finishedAt() == null ? Double.NaN : task.finishedAt(), task.modelLoadSeconds(), task.node(),
                            task.predictedSeconds() == null ? Double.NaN : task.predictedSeconds()));
                }
            }
            return new SimulationResult(workload.name(), profile, seed, workload.phases(), workflows, tasks, stats.gpus(),
                    stats.gpuMemoryGb(), end, stats.gpuBusySeconds(), stats.modelLoads(), stats.modelLoadSeconds(),
                    stats.gpuMemoryGbSeconds(), stats.schedulingPasses(), wallSeconds);
        } catch (ValidationException e) {
            throw new IllegalArgumentException("workload '" + workload.name() + "' cannot run on its cluster:\n"
                    + e.getMessage(), e);
        }
    }

    private static TaskSpec specOf(Arrival arrival, String taskId) {
        for (TaskSpec spec : arrival.spec().tasks()) {
            if (spec.id().equals(taskId)) {
                return spec;
            }
        }
        throw new IllegalStateException("task " + taskId + " not in workflow " + arrival.spec().id());
    }
}
