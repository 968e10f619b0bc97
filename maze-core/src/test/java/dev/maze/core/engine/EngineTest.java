package dev.maze.core.engine;

import dev.maze.core.clock.VirtualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.engine.EngineListener.TaskEvent;
import dev.maze.core.engine.EngineListener.WorkflowEvent;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The engine's core behaviour on a virtual clock: order, data flow, events, queries, admission. */
class EngineTest {

    private static final NodeSpec BIG_NODE = NodeSpec.of("n1", 16, 64, 2, 80);

    private static Engine engine(EventLog log, NodeSpec... nodes) {
        return Engine.builder().clock(new VirtualClock()).nodes(List.of(nodes)).listener(log).build();
    }

    @Test
    void tasksStartOnlyAfterAllTheirPredecessorsFinished() throws Exception {
        // Diamond a -> (b, c) -> d with unequal branches: d must wait for the slower one.
        WorkflowSpec spec = WorkflowBuilder.workflow("diamond").id("w")
                .task("a", t -> t.input("seconds", 2))
                .task("b", t -> t.dependsOn("a").input("seconds", 5))
                .task("c", t -> t.dependsOn("a").input("seconds", 1))
                .task("d", t -> t.dependsOn("b", "c").input("seconds", 1))
                .build();
        EventLog log = new EventLog();
        Engine engine = engine(log, BIG_NODE);
        WorkflowHandle handle = engine.submit(spec);
        engine.runUntilIdle();

        assertThat(log.startOf("w", "a")).isEqualTo(0.0);
        assertThat(log.startOf("w", "b")).isEqualTo(2.0);
        assertThat(log.startOf("w", "c")).isEqualTo(2.0);
        assertThat(log.timeOf("w", "c", TaskState.FINISHED)).isEqualTo(3.0);
        assertThat(log.startOf("w", "d")).as("d waits for b (ends at 7), not just c (ends at 3)").isEqualTo(7.0);
        WorkflowSnapshot result = handle.result().getNow(null);
        assertThat(result.state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(result.latencySeconds()).isEqualTo(8.0);
    }

    @Test
    void inputsAreResolvedFromPredecessorOutputs() throws Exception {
        WorkflowSpec spec = WorkflowBuilder.workflow("rag").id("rag-1")
                .task("search", t -> t.input("seconds", 1)
                        .input("output", Map.of("text", "three hits", "hits", List.of("x", "y", "z"), "score", 0.5)))
                .task("answer", t -> t.dependsOn("search").input("seconds", 1)
                        .input("output", Map.of(
                                "prompt", "Answer from {{tasks.search.output.text}} (score {{tasks.search.output.score}})",
                                "hits", "{{tasks.search.output.hits}}",
                                "who", "{{workflow.name}}/{{workflow.id}}")))
                .build();
        Engine engine = engine(new EventLog(), BIG_NODE);
        WorkflowHandle handle = engine.submit(spec);
        engine.runUntilIdle();

        TaskSnapshot answer = handle.result().getNow(null).task("answer");
        assertThat(answer.state()).isEqualTo(TaskState.FINISHED);
        assertThat(answer.output().get("prompt").asText()).isEqualTo("Answer from three hits (score 0.5)");
        assertThat(answer.output().get("hits").asText()).as("a list is written as JSON").isEqualTo("[\"x\",\"y\",\"z\"]");
        assertThat(answer.output().get("who").asText()).isEqualTo("rag/rag-1");
    }

    @Test
    void listenersSeeEveryStateChangeInOrder() throws Exception {
        WorkflowSpec spec = WorkflowBuilder.workflow("chain").id("w")
                .task("a", t -> t.input("seconds", 2))
                .task("b", t -> t.dependsOn("a").input("seconds", 3))
                .build();
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n1", 4, 8, 0, 0)))
                .listener(log).build();
        engine.submit(spec);
        engine.runUntilIdle();

        // Outputs are checked elsewhere; here the order, states, attempts (with their ids), nodes and times.
        assertThat(log.all()).map(e -> e instanceof TaskEvent t ? new TaskEvent(t.workflowId(), t.taskId(), t.state(),
                        t.attempt(), t.node(), t.timeSeconds(), t.message(), t.attemptId(), t.gpus(), null) : e)
                .containsExactly(
                new WorkflowEvent("w", "chain", WorkflowState.RUNNING, 0, null),
                new TaskEvent("w", "a", TaskState.PENDING, 0, null, 0, null, 0, List.of(), null),
                new TaskEvent("w", "b", TaskState.PENDING, 0, null, 0, null, 0, List.of(), null),
                new TaskEvent("w", "a", TaskState.READY, 0, null, 0, null, 0, List.of(), null),
                new TaskEvent("w", "a", TaskState.RUNNING, 1, "n1", 0, null, 1, List.of(), null),
                new TaskEvent("w", "a", TaskState.FINISHED, 1, "n1", 2, null, 1, List.of(), null),
                new TaskEvent("w", "b", TaskState.READY, 0, null, 2, null, 0, List.of(), null),
                new TaskEvent("w", "b", TaskState.RUNNING, 1, "n1", 2, null, 2, List.of(), null),
                new TaskEvent("w", "b", TaskState.FINISHED, 1, "n1", 5, null, 2, List.of(), null),
                new WorkflowEvent("w", "chain", WorkflowState.FINISHED, 5, null));
    }

    @Test
    void aThrowingListenerDoesNotStopTheEngineNorOtherListeners() throws Exception {
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(BIG_NODE))
                .listener(new EngineListener() {
                    @Override
                    public void onTaskEvent(TaskEvent event) {
                        throw new IllegalStateException("listener bug");
                    }
                })
                .listener(log).build();
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("w").task("a", t -> t.input("seconds", 1)).build());
        engine.runUntilIdle();
        assertThat(handle.result().getNow(null).state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(log.taskEvents()).extracting(TaskEvent::state)
                .containsExactly(TaskState.PENDING, TaskState.READY, TaskState.RUNNING, TaskState.FINISHED);
    }

    @Test
    void snapshotsShowAWorkflowWhileItRunsAndAfterItEnds() throws Exception {
        WorkflowSpec spec = WorkflowBuilder.workflow("chain").id("w")
                .task("a", t -> t.input("seconds", 2))
                .task("b", t -> t.dependsOn("a").input("seconds", 3))
                .build();
        AtomicReference<Engine> engineRef = new AtomicReference<>();
        AtomicReference<CompletableFuture<WorkflowSnapshot>> midRun = new AtomicReference<>();
        AtomicReference<CompletableFuture<List<WorkflowSnapshot>>> active = new AtomicReference<>();
        AtomicReference<CompletableFuture<EngineStats>> statsMidRun = new AtomicReference<>();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(BIG_NODE)).retainedWorkflows(1)
                .listener(new EngineListener() {
                    @Override
                    public void onTaskEvent(TaskEvent event) {
                        // Ask while b runs; the answer is computed on the loop right after this event.
                        if (event.taskId().equals("b") && event.state() == TaskState.RUNNING) {
                            midRun.set(engineRef.get().snapshot("w"));
                            active.set(engineRef.get().activeWorkflows());
                            statsMidRun.set(engineRef.get().stats());
                        }
                    }
                })
                .build();
        engineRef.set(engine);
        engine.submit(spec);
        engine.runUntilIdle();

        WorkflowSnapshot during = midRun.get().getNow(null);
        assertThat(during.state()).isEqualTo(WorkflowState.RUNNING);
        assertThat(during.finishedAt()).isNull();
        assertThat(during.latencySeconds()).isNull();
        assertThat(during.task("a").state()).isEqualTo(TaskState.FINISHED);
        assertThat(during.task("a").finishedAt()).isEqualTo(2.0);
        assertThat(during.task("b").state()).isEqualTo(TaskState.RUNNING);
        assertThat(during.task("b").node()).isEqualTo("n1");
        assertThat(during.task("b").startedAt()).isEqualTo(2.0);
        assertThat(during.task("b").attempts()).isEqualTo(1);
        assertThat(active.get().getNow(null)).extracting(WorkflowSnapshot::id).containsExactly("w");
        EngineStats stats = statsMidRun.get().getNow(null);
        assertThat(stats.activeWorkflows()).isEqualTo(1);
        assertThat(stats.tasksStarted()).isEqualTo(2);
        assertThat(stats.nowSeconds()).isEqualTo(2.0);

        WorkflowSnapshot after = engine.snapshot("w").getNow(null);
        assertThat(after.state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(after.finishedAt()).isEqualTo(5.0);
        assertThat(after.task("b").output().get("text").asText()).isEqualTo("output of b");
        assertThat(engine.activeWorkflows().getNow(null)).isEmpty();
        assertThat(engine.snapshot("no-such-workflow").getNow(null)).isNull();
        assertThat(after.task("no-such-task")).isNull();

        // retainedWorkflows(1): the next finished workflow pushes "w" out of the queryable history.
        engine.submit(WorkflowBuilder.workflow("other").id("w2").task("x", t -> t.input("seconds", 1)).build());
        engine.runUntilIdle();
        assertThat(engine.snapshot("w2").getNow(null).state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(engine.snapshot("w").getNow(null)).isNull();
    }

    @Test
    void statsCountGpuSecondsDuringWhichAGpuWasBusyNotTaskSeconds() throws Exception {
        // One node, two 80 GB GPUs. Two 30 GB slices share GPU 0 over [0, 4] and [0, 6]: busy 6 s, not 10.
        // A whole-GPU task holds GPU 1 for 3 s. Total 9 GPU-seconds.
        WorkflowSpec spec = WorkflowBuilder.workflow("gpu").id("w")
                .task("slice-short", t -> t.resources(new Resources(1, 0, 1, 30, "m")).input("seconds", 4))
                .task("slice-long", t -> t.resources(new Resources(1, 0, 1, 30, "m")).input("seconds", 6))
                .task("whole", t -> t.gpu("m2").input("seconds", 3))
                .task("cpu-only", t -> t.input("seconds", 10))
                .build();
        Engine engine = engine(new EventLog(), NodeSpec.of("n1", 8, 16, 2, 80));
        engine.submit(spec);
        engine.runUntilIdle();

        EngineStats stats = engine.stats().getNow(null);
        assertThat(stats.gpus()).isEqualTo(2);
        assertThat(stats.gpuBusySeconds()).isEqualTo(9.0);
        assertThat(stats.tasksStarted()).isEqualTo(4);
        assertThat(stats.nowSeconds()).isEqualTo(10.0);
        assertThat(stats.activeWorkflows()).isZero();
        assertThat(stats.readyTasks()).isZero();
    }

    @Test
    void aDeadlineFailsTheWorkflowAndStopsItsTasks() throws Exception {
        WorkflowSpec spec = WorkflowBuilder.workflow("slow").id("w").deadlineSeconds(7)
                .task("a", t -> t.input("seconds", 5))
                .task("b", t -> t.dependsOn("a").input("seconds", 5))
                .task("c", t -> t.dependsOn("b").input("seconds", 5))
                .build();
        EventLog log = new EventLog();
        Engine engine = engine(log, BIG_NODE);
        WorkflowHandle handle = engine.submit(spec);
        engine.runUntilIdle();

        WorkflowSnapshot result = handle.result().getNow(null);
        assertThat(result.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(result.error()).isEqualTo("deadline of 7 s exceeded");
        assertThat(result.finishedAt()).isEqualTo(7.0);
        assertThat(result.task("a").state()).isEqualTo(TaskState.FINISHED);
        assertThat(result.task("b").state()).isEqualTo(TaskState.CANCELLED);
        assertThat(result.task("b").error()).contains("deadline of 7 s exceeded");
        assertThat(result.task("c").state()).isEqualTo(TaskState.CANCELLED);
        assertThat(log.of("w", "b", TaskState.FINISHED)).as("b was stopped, its end never reported").isEmpty();
        assertThat(engine.stats().getNow(null).nowSeconds()).as("nothing of b ran on after the deadline").isEqualTo(7.0);
    }

    @Test
    void aWorkflowThatEndsBeforeItsDeadlineIsNotFailedLater() throws Exception {
        WorkflowSpec spec = WorkflowBuilder.workflow("fast").id("w").deadlineSeconds(100)
                .task("a", t -> t.input("seconds", 5))
                .build();
        EventLog log = new EventLog();
        Engine engine = engine(log, BIG_NODE);
        WorkflowHandle handle = engine.submit(spec);
        engine.runUntilIdle();
        assertThat(handle.result().getNow(null).state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(log.workflowEvents()).extracting(WorkflowEvent::state)
                .containsExactly(WorkflowState.RUNNING, WorkflowState.FINISHED);
        assertThat(engine.stats().getNow(null).nowSeconds()).as("the cancelled deadline timer does not keep the clock going")
                .isEqualTo(5.0);
    }

    @Test
    void aSecondWorkflowWithARunningIdIsRejectedAndTheIdIsFreeAgainAfterwards() throws Exception {
        EventLog log = new EventLog();
        Engine engine = engine(log, BIG_NODE);
        engine.submit(WorkflowBuilder.workflow("a").id("job").task("t", x -> x.input("seconds", 1)).build());

        assertThatThrownBy(() -> engine.submit(WorkflowBuilder.workflow("b").id("job").task("t", x -> x.input("seconds", 1)).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("workflow 'job'")
                .hasMessageContaining("already running");
        // A batch holding a duplicate is refused whole: "fresh" must not run either, and its id stays free.
        WorkflowSpec fresh = WorkflowBuilder.workflow("c").id("fresh").task("t", x -> x.input("seconds", 1)).build();
        WorkflowSpec clash = WorkflowBuilder.workflow("d").id("job").task("t", x -> x.input("seconds", 1)).build();
        assertThatThrownBy(() -> engine.submitAll(List.of(fresh, clash))).isInstanceOf(ValidationException.class);

        engine.runUntilIdle();
        assertThat(log.workflowEvents()).extracting(WorkflowEvent::workflowId).containsOnly("job");
        assertThat(log.workflowEvents()).extracting(WorkflowEvent::name).containsOnly("a");
        assertThat(engine.snapshot("fresh").getNow(null)).isNull();

        // Finished: both ids may be used again.
        WorkflowHandle again = engine.submit(WorkflowBuilder.workflow("b").id("job").task("t", x -> x.input("seconds", 1)).build());
        WorkflowHandle freshAgain = engine.submit(fresh);
        engine.runUntilIdle();
        assertThat(again.result().getNow(null).state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(again.result().getNow(null).name()).isEqualTo("b");
        assertThat(freshAgain.result().getNow(null).state()).isEqualTo(WorkflowState.FINISHED);
    }

    @Test
    void workflowsWithoutAnIdGetDistinctOnes() throws Exception {
        Engine engine = engine(new EventLog(), BIG_NODE);
        WorkflowSpec spec = WorkflowBuilder.workflow("anon").task("t", x -> x.input("seconds", 1)).build();
        WorkflowHandle first = engine.submit(spec);
        WorkflowHandle second = engine.submit(spec);
        assertThat(first.id()).startsWith("anon-").isNotEqualTo(second.id());
        engine.runUntilIdle();
        assertThat(first.result().getNow(null).id()).isEqualTo(first.id());
        assertThat(second.result().getNow(null).state()).isEqualTo(WorkflowState.FINISHED);
    }

    @Test
    void invalidWorkflowsAreRejectedWholeWithEveryProblemAndNothingRuns() {
        EventLog log = new EventLog();
        Engine engine = engine(log, NodeSpec.of("n1", 4, 16, 0, 0));
        WorkflowSpec valid = WorkflowBuilder.workflow("ok").id("ok").task("t", x -> x.input("seconds", 1)).build();
        WorkflowSpec invalid = WorkflowBuilder.workflow("bad").id("bad")
                .task("a", x -> x.input("seconds", 1).dependsOn("sumary"))
                .task("summary", x -> x.input("seconds", 1))
                .task("huge", x -> x.input("seconds", 1).resources(new Resources(64, 0, 0, 0, null)))
                .task("gpu", x -> x.gpu("llama").input("seconds", 1))
                .task("nokind", x -> x.kind("shell").input("seconds", 1))
                .task("noseconds", x -> x.input("secs", 1))
                .build();

        assertThatThrownBy(() -> engine.submitAll(List.of(valid, invalid)))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.errors()).extracting(ValidationError::task)
                            .contains("a", "huge", "gpu", "nokind", "noseconds");
                    assertThat(e.errors()).allSatisfy(error -> assertThat(error.workflow()).isEqualTo("bad"));
                    assertThat(e.getMessage()).contains("unknown task 'sumary'").contains("did you mean 'summary'")
                            .contains("no node can ever run this task").contains("unknown kind 'shell'")
                            .contains("inputs.seconds");
                });
        engine.runUntilIdle();
        assertThat(log.all()).as("nothing was registered, let alone run").isEmpty();
        assertThat(engine.snapshot("ok").getNow(null)).isNull();
        assertThat(engine.stats().getNow(null).tasksStarted()).isZero();
        assertThat(engine.validate(List.of(valid))).isEmpty();
        assertThat(engine.validate(List.of(invalid))).isNotEmpty();
    }

    @Test
    void aWorkflowWithoutTasksIsRejected() {
        EventLog log = new EventLog();
        Engine engine = engine(log, BIG_NODE);
        assertThatThrownBy(() -> engine.submit(WorkflowBuilder.workflow("empty").id("e").build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("workflow 'e', field 'tasks'");
        engine.runUntilIdle();
        assertThat(log.all()).isEmpty();
    }

    @Test
    void aClosedEngineRefusesWork() throws Exception {
        Engine engine = engine(new EventLog(), BIG_NODE);
        engine.close();
        assertThatThrownBy(() -> engine.submit(WorkflowBuilder.workflow("w").task("t", x -> x.input("seconds", 1)).build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
