package dev.maze.core.engine;

import dev.maze.core.clock.VirtualClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.exec.ExecutionContext;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.exec.TaskInvocation;
import dev.maze.core.exec.TaskResult;
import dev.maze.core.exec.SimExecutor;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.InputCheck;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Nodes that come and go, on a virtual clock: add, drain, remove and lose, addressed by their stable ids. */
class MembershipTest {

    private static final Resources ONE_GPU = new Resources(1, 1, 1, 0, null);

    private static WorkflowSpec gpuTasks(String id, int count, double seconds) {
        WorkflowBuilder builder = WorkflowBuilder.workflow("gpu").id(id);
        for (int i = 0; i < count; i++) {
            builder.task("t" + i, t -> t.input("seconds", seconds).resources(ONE_GPU));
        }
        return builder.build();
    }

    private static Engine engine(List<NodeSpec> nodes, EventLog log, RecordingJournal journal, TaskExecutor... extra) {
        Map<String, TaskExecutor> executors = new java.util.HashMap<>(Map.of("sim", new SimExecutor()));
        for (TaskExecutor executor : extra) {
            executors.put(executor.kind(), executor);
        }
        return Engine.builder().clock(new VirtualClock()).nodes(nodes).executors(executors).listener(log)
                .journal(journal).build();
    }

    @Test
    void anAddedNodeTakesWorkAtOnce() throws Exception {
        EventLog log = new EventLog();
        RecordingJournal journal = new RecordingJournal();
        Engine engine = engine(List.of(NodeSpec.of("gpu-1", 4, 16, 1, 80)), log, journal);
        WorkflowHandle handle = engine.submit(gpuTasks("w", 2, 10));
        engine.addNode(NodeSpec.of("gpu-2", 4, 16, 1, 80)).join();
        engine.runUntilIdle();

        assertThat(handle.result().join().state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(log.of("w", "t0", TaskState.RUNNING).get(0).node()).isEqualTo("gpu-1");
        assertThat(log.of("w", "t1", TaskState.RUNNING).get(0).node()).isEqualTo("gpu-2");
        assertThat(log.startOf("w", "t1")).isZero();
        assertThat(engine.nodes()).extracting(NodeSpec::id).containsExactly("gpu-1", "gpu-2");
        assertThat(journal.read()).filteredOn(StateEvent.NodeAdded.class::isInstance).hasSize(1);
        assertThatThrownBy(() -> engine.addNode(NodeSpec.of("gpu-2", 1, 1, 0, 0)).join())
                .hasMessageContaining("node 'gpu-2' is already in the cluster");
    }

    @Test
    void aDrainedNodeFinishesWhatRunsThereAndTakesNothingNew() throws Exception {
        ManualExecutor manual = new ManualExecutor();
        Engine engine = engine(List.of(NodeSpec.of("n1", 4, 16, 0, 0), NodeSpec.of("n2", 4, 16, 0, 0)), new EventLog(),
                new RecordingJournal(), manual);
        WorkflowBuilder builder = WorkflowBuilder.workflow("m").id("w");
        for (int i = 0; i < 4; i++) {
            builder.task("t" + i, t -> t.kind("manual").resources(new Resources(4, 1, 0, 0, null)));
        }
        WorkflowHandle handle = engine.submit(builder.build());
        engine.runUntilIdle();
        assertThat(manual.invocations).extracting(i -> i.node().id()).containsExactlyInAnyOrder("n1", "n2");

        engine.drainNode("n1").join();
        for (int done = 0; done < 4; done++) {
            manual.contexts.get(done).complete(new TaskResult.Success(JsonNodeFactory.instance.objectNode()));
            engine.runUntilIdle();
        }

        assertThat(handle.result().join().state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(manual.invocations.subList(2, 4)).extracting(i -> i.node().id()).containsOnly("n2");
        assertThat(engine.nodes()).extracting(NodeSpec::id).as("draining nodes stay members").contains("n1");
    }

    @Test
    void aNodeIsRemovedOnlyWhenNothingRunsThereAndKeepsItsNameInSnapshots() throws Exception {
        ManualExecutor manual = new ManualExecutor();
        EventLog log = new EventLog();
        Engine engine = engine(List.of(NodeSpec.of("n1", 4, 16, 0, 0), NodeSpec.of("n2", 4, 16, 0, 0)), log,
                new RecordingJournal(), manual);
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("m").id("w")
                .task("a", t -> t.kind("manual").resources(new Resources(4, 1, 0, 0, null))).build());
        engine.runUntilIdle();
        String node = log.of("w", "a", TaskState.RUNNING).get(0).node();

        assertThatThrownBy(() -> engine.removeNode(node).join()).isInstanceOf(CompletionException.class)
                .hasMessageContaining("node '" + node + "' still runs 1 task(s); drain it");
        assertThatThrownBy(() -> engine.drainNode("n9").join())
                .hasMessageContaining("unknown node 'n9'; nodes in the cluster: n1, n2");
        engine.drainNode(node).join();
        manual.contexts.get(0).complete(new TaskResult.Success(JsonNodeFactory.instance.objectNode()));
        engine.runUntilIdle();
        engine.removeNode(node).join();

        assertThat(handle.result().join().task("a").node()).isEqualTo(node);
        assertThat(engine.nodes()).extracting(NodeSpec::id).hasSize(1).doesNotContain(node);
    }

    @Test
    void attemptsOnALostNodeRunElsewhereWithoutUsingRetriesAndLateReportsAreIgnored() throws Exception {
        ManualExecutor manual = new ManualExecutor();
        EventLog log = new EventLog();
        RecordingJournal journal = new RecordingJournal();
        Engine engine = engine(List.of(NodeSpec.of("n1", 4, 16, 0, 0), NodeSpec.of("n2", 4, 16, 0, 0)), log, journal,
                manual);
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("m").id("w")
                .task("a", t -> t.kind("manual").resources(new Resources(4, 1, 0, 0, null)))
                .task("b", t -> t.kind("manual").dependsOn("a").resources(new Resources(4, 1, 0, 0, null))).build());
        engine.runUntilIdle();
        String first = log.of("w", "a", TaskState.RUNNING).get(0).node();
        String other = first.equals("n1") ? "n2" : "n1";

        assertThat(engine.loseNode(first, "heartbeat missed").join()).isEqualTo(1);
        engine.runUntilIdle();
        // The lost attempt reports after all: fenced by its attempt id.
        manual.contexts.get(0).complete(new TaskResult.Success(JsonNodeFactory.instance.objectNode().put("late", true)));
        engine.runUntilIdle();
        assertThat(log.of("w", "a", TaskState.FINISHED)).isEmpty();

        assertThat(manual.invocations.get(1).node().id()).isEqualTo(other);
        assertThat(manual.invocations.get(1).attempt()).as("the lost attempt is not counted").isEqualTo(1);
        manual.contexts.get(1).complete(new TaskResult.Success(JsonNodeFactory.instance.objectNode().put("v", 1)));
        engine.runUntilIdle();
        manual.contexts.get(2).complete(new TaskResult.Success(JsonNodeFactory.instance.objectNode()));
        engine.runUntilIdle();

        WorkflowSnapshot done = handle.result().join();
        assertThat(done.state()).as("retries 0, yet it finished").isEqualTo(WorkflowState.FINISHED);
        assertThat(done.task("a").output().path("v").asInt()).isEqualTo(1);
        assertThat(journal.read()).filteredOn(StateEvent.AttemptLost.class::isInstance).singleElement()
                .satisfies(e -> assertThat(((StateEvent.AttemptLost) e).reason()).contains("heartbeat missed"));
        assertThat(journal.read()).filteredOn(StateEvent.TaskFinished.class::isInstance).hasSize(2);
        assertThat(engine.nodes()).extracting(NodeSpec::id).containsExactly(other);
    }

    @Test
    void aTaskThatKeepsLosingItsNodeEventuallyCountsTheLossAsAFailure() throws Exception {
        ManualExecutor manual = new ManualExecutor();
        List<NodeSpec> nodes = new ArrayList<>();
        for (int i = 0; i <= TaskLifecycle.MAX_LOST_ATTEMPTS; i++) {
            nodes.add(NodeSpec.of("n" + i, 4, 16, 0, 0));
        }
        EventLog log = new EventLog();
        Engine engine = engine(nodes, log, new RecordingJournal(), manual);
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("m").id("w")
                .task("a", t -> t.kind("manual")).build());
        engine.runUntilIdle();
        for (int loss = 0; loss <= TaskLifecycle.MAX_LOST_ATTEMPTS; loss++) {
            engine.loseNode(manual.invocations.get(loss).node().id(), "crashed").join();
            engine.runUntilIdle();
        }

        WorkflowSnapshot done = handle.result().join();
        assertThat(done.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(done.error()).contains("attempt lost").contains("after " + TaskLifecycle.MAX_LOST_ATTEMPTS);
    }

    @Test
    void losingTheNodeAHeadOfLineTaskHasReservedMovesTheHeadElsewhere() throws Exception {
        ManualExecutor manual = new ManualExecutor();
        EventLog log = new EventLog();
        Engine engine = engine(List.of(NodeSpec.of("big", 8, 16, 0, 0), NodeSpec.of("small", 4, 16, 0, 0),
                NodeSpec.of("spare", 8, 16, 0, 0)), log, new RecordingJournal(), manual);
        engine.drainNode("spare").join();
        // Two 6-core tasks: the first takes "big", the second fits nowhere else and reserves "big".
        WorkflowHandle first = engine.submit(WorkflowBuilder.workflow("m").id("w1")
                .task("a", t -> t.kind("manual").resources(new Resources(6, 1, 0, 0, null))).build());
        WorkflowHandle second = engine.submit(WorkflowBuilder.workflow("m").id("w2")
                .task("a", t -> t.kind("manual").resources(new Resources(6, 1, 0, 0, null))).build());
        engine.runUntilIdle();
        assertThat(manual.invocations).hasSize(1);

        engine.addNode(NodeSpec.of("new", 8, 16, 0, 0)).join();
        engine.loseNode("big", "power cut").join();
        engine.runUntilIdle();

        // One of the two runs on the new node, the other waits for room there (never for the lost node).
        assertThat(manual.invocations).hasSize(2);
        assertThat(manual.invocations.get(1).node().id()).isEqualTo("new");
        manual.contexts.get(1).complete(new TaskResult.Success(JsonNodeFactory.instance.objectNode()));
        engine.runUntilIdle();
        assertThat(manual.invocations).hasSize(3);
        assertThat(manual.invocations.subList(1, 3)).extracting(TaskInvocation::workflowId)
                .containsExactlyInAnyOrder("w1", "w2");
        assertThat(manual.invocations.get(2).node().id()).isEqualTo("new");
        manual.contexts.get(2).complete(new TaskResult.Success(JsonNodeFactory.instance.objectNode()));
        engine.runUntilIdle();
        assertThat(first.result().join().state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(second.result().join().state()).isEqualTo(WorkflowState.FINISHED);
    }

    /** An executor whose attempts end only when the test says so. */
    static final class ManualExecutor implements TaskExecutor {
        final List<TaskInvocation> invocations = new ArrayList<>();
        final List<ExecutionContext> contexts = new ArrayList<>();

        @Override
        public String kind() {
            return "manual";
        }

        @Override
        public List<InputCheck.Problem> check(JsonNode inputs) {
            return List.of();
        }

        /** Nothing runs off the loop: the test completes attempts itself between runUntilIdle calls. */
        @Override
        public boolean clockDriven() {
            return true;
        }

        @Override
        public Execution start(TaskInvocation invocation, ExecutionContext context) {
            invocations.add(invocation);
            contexts.add(context);
            return () -> {};
        }
    }
}
