package dev.maze.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.clock.VirtualClock;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowParser;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Tasks added to running workflows, open workflows and their close, journaled and restored. */
class DynamicWorkflowTest {

    private static final NodeSpec NODE = NodeSpec.of("n1", 8, 32, 1, 80);

    private final List<StateEvent> recorded = new ArrayList<>();

    private Engine engine() {
        return Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE)).listener(new EngineListener() {
            @Override
            public void onStateEvents(List<StateEvent> batch) {
                recorded.addAll(batch);
            }
        }).build();
    }

    private static List<TaskSpec> tasks(String yaml) throws ValidationException {
        return WorkflowParser.parse("{name: t, tasks: " + yaml + "}", WorkflowParser.Format.YAML, "added").get(0).tasks();
    }

    private static Throwable failure(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anOpenWorkflowRunsWhatAnAgentAddsAndEndsOnlyWhenClosed() throws Exception {
        Engine engine = engine();
        WorkflowSpec agent = WorkflowParser.parse("""
                {name: agent, id: a1, open: true, tasks: [{id: plan, kind: sim, inputs: {seconds: 1, output: {next: search}}}]}
                """, WorkflowParser.Format.YAML, "agent.yaml").get(0);
        assertThat(agent.open()).isTrue();
        WorkflowHandle handle = engine.submit(agent);
        engine.runUntilIdle();
        assertThat(engine.snapshot("a1").join().state()).as("no task left, still open").isEqualTo(WorkflowState.RUNNING);

        CompletableFuture<Void> added = engine.addTasks("a1", tasks("""
                [{id: step, kind: sim, dependsOn: [plan], inputs: {seconds: 2, output: {did: "{{tasks.plan.output.next}}"}}}]
                """));
        engine.runUntilIdle();
        assertThat(added).isCompleted();
        WorkflowSnapshot afterStep = engine.snapshot("a1").join();
        assertThat(afterStep.state()).isEqualTo(WorkflowState.RUNNING);
        assertThat(afterStep.task("step").state()).isEqualTo(TaskState.FINISHED);
        assertThat(afterStep.task("step").output().path("did").asText()).isEqualTo("search");
        assertThat(afterStep.task("step").startedAt()).isEqualTo(1.0);

        CompletableFuture<Void> closed = engine.closeWorkflow("a1");
        engine.runUntilIdle();
        assertThat(closed).isCompleted();
        WorkflowSnapshot done = handle.result().getNow(null);
        assertThat(done.state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(done.tasks()).extracting(TaskSnapshot::id).containsExactly("plan", "step");
        assertThat(recorded).filteredOn(e -> e instanceof StateEvent.TasksAdded).hasSize(1);
        assertThat(recorded).filteredOn(e -> e instanceof StateEvent.WorkflowClosed).hasSize(1);
        CompletableFuture<Void> late = engine.addTasks("a1", tasks("[{id: late, kind: sim, inputs: {seconds: 1}}]"));
        engine.runUntilIdle();
        assertThat(failure(late)).isInstanceOf(Engine.WorkflowNotOpenException.class).hasMessageContaining("is not running");
    }

    @Test
    void tasksAddedToARunningWorkflowJoinItsDagAndItEndsWhenAllHave() throws Exception {
        Engine engine = engine();
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("w").id("w1")
                .task("a", t -> t.input("seconds", 10)).build());
        CompletableFuture<Void> added = engine.addTasks("w1", tasks("""
                [{id: b, kind: sim, dependsOn: [a], inputs: {seconds: 1}},
                 {id: c, kind: sim, inputs: {seconds: 1}},
                 {id: d, kind: sim, dependsOn: [b, c], inputs: {seconds: 1}}]
                """));
        engine.runUntilIdle();

        assertThat(added).isCompleted();
        WorkflowSnapshot done = handle.result().getNow(null);
        assertThat(done.state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(done.task("c").startedAt()).as("c depends on nothing: it runs beside a").isEqualTo(0.0);
        assertThat(done.task("b").startedAt()).isEqualTo(10.0);
        assertThat(done.task("d").startedAt()).isEqualTo(11.0);
        assertThat(done.finishedAt()).isEqualTo(12.0);
    }

    @Test
    void anInvalidAdditionIsRefusedWithEveryProblemAndNothingIsAdded() throws Exception {
        Engine engine = engine();
        engine.submit(WorkflowBuilder.workflow("w").id("w1").task("a", t -> t.input("seconds", 10)).build());
        CompletableFuture<Void> bad = engine.addTasks("w1", tasks("""
                [{id: a, kind: sim, inputs: {seconds: 1}},
                 {id: x, kind: sim, dependsOn: [nowhere], inputs: {seconds: 1}},
                 {id: y, kind: sim, dependsOn: [z], inputs: {seconds: 1}},
                 {id: z, kind: sim, dependsOn: [y], inputs: {seconds: 1}}]
                """));
        CompletableFuture<Void> empty = engine.addTasks("w1", List.of());
        engine.runUntilIdle();

        assertThat(failure(bad)).isInstanceOf(ValidationException.class).hasMessageContaining("'a'")
                .hasMessageContaining("nowhere").hasMessageContaining("cycle");
        assertThat(failure(empty)).isInstanceOf(ValidationException.class).hasMessageContaining("at least one task");
        assertThat(engine.snapshot("w1").join().tasks()).as("it ended with its own task alone").hasSize(1);
        assertThat(recorded).noneMatch(e -> e instanceof StateEvent.TasksAdded);
        CompletableFuture<Void> nobody = engine.addTasks("nobody", tasks("[{id: q, kind: sim, inputs: {seconds: 1}}]"));
        engine.runUntilIdle();
        assertThat(failure(nobody)).isInstanceOf(Engine.WorkflowNotOpenException.class);
    }

    @Test
    void aClosedWorkflowTakesNoMoreTasks() throws Exception {
        Engine engine = engine();
        engine.submit(WorkflowParser.parse("{name: o, id: o1, open: true, tasks: [{id: a, kind: sim, inputs: {seconds: 5}}]}",
                WorkflowParser.Format.YAML, "o.yaml").get(0));
        CompletableFuture<Void> closed = engine.closeWorkflow("o1");
        CompletableFuture<Void> late = engine.addTasks("o1", tasks("[{id: b, kind: sim, inputs: {seconds: 1}}]"));
        CompletableFuture<Void> again = engine.closeWorkflow("o1");
        engine.runUntilIdle();
        assertThat(closed).isCompleted();
        Throwable refused = failure(late);
        assertThat(refused).isInstanceOf(Engine.WorkflowNotOpenException.class).hasMessageContaining("was closed");
        assertThat(((Engine.WorkflowNotOpenException) refused).closed()).isTrue();
        assertThat(failure(again)).isInstanceOf(Engine.WorkflowNotOpenException.class);
    }

    @Test
    void aRestoredEngineKeepsAddedTasksAndAnOpenWorkflowOpen() throws Exception {
        Engine engine = engine();
        engine.submit(WorkflowParser.parse("{name: o, id: o1, open: true, tasks: [{id: a, kind: sim, inputs: {seconds: 1}}]}",
                WorkflowParser.Format.YAML, "o.yaml").get(0));
        engine.runUntilIdle();
        engine.addTasks("o1", tasks("[{id: b, kind: sim, dependsOn: [a], inputs: {seconds: 100}}]"));
        engine.runUntilIdle();
        // Cut the journal where b started (a crash while it ran), and restore.
        int cut = 0;
        while (!(recorded.get(cut) instanceof StateEvent.TaskStarted s && s.taskId().equals("b"))) {
            cut++;
        }
        Engine restored = Engine.builder().clock(new VirtualClock()).nodes(List.of(NODE))
                .restore(recorded.subList(0, cut + 1)).build();
        restored.runUntilIdle();
        WorkflowSnapshot open = restored.snapshot("o1").join();
        assertThat(open.state()).as("b ran again; o1 is still open").isEqualTo(WorkflowState.RUNNING);
        assertThat(open.task("b").state()).isEqualTo(TaskState.FINISHED);
        restored.closeWorkflow("o1");
        restored.runUntilIdle();
        assertThat(restored.restored().get(0).result().getNow(null).state()).isEqualTo(WorkflowState.FINISHED);
    }
}
