package dev.maze.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EngineListener.TaskEvent;
import dev.maze.core.engine.EventLog;
import dev.maze.core.engine.TaskState;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agent-level baseline: a workflow runs one task at a time, in topological order, all on one node chosen among
 * the nodes able to run every one of its tasks.
 */
class AgentPolicyTest {

    /** n1 is CPU-only; n2 has the only GPU. */
    private static final List<NodeSpec> NODES = List.of(NodeSpec.of("n1", 4, 16, 0, 0), NodeSpec.of("n2", 4, 16, 1, 80));

    /** a -> (b on a GPU, c) -> d, with b and c independent. */
    private static WorkflowSpec diamond(String id) {
        return WorkflowBuilder.workflow("agentic").id(id)
                .task("a", t -> t.input("seconds", 1))
                .task("b", t -> t.dependsOn("a").gpu("llm").input("seconds", 2))
                .task("c", t -> t.dependsOn("a").input("seconds", 3))
                .task("d", t -> t.dependsOn("b", "c").input("seconds", 1))
                .build();
    }

    private static EventLog run(String policy, WorkflowSpec... specs) throws Exception {
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(NODES).policy(policy).listener(log).build();
        engine.submitAll(List.of(specs));
        engine.runUntilIdle();
        return log;
    }

    @Test
    void keyAndTraits() {
        AgentPolicy agent = new AgentPolicy();
        assertThat(agent.name()).isEqualTo("agent");
        assertThat(agent.traits()).containsExactlyInAnyOrder(OrderingPolicy.Trait.SERIAL_WORKFLOW,
                OrderingPolicy.Trait.PIN_WORKFLOW_TO_NODE);
        assertThat(agent.key(new DapsPolicyTest.Task("w", 4, 9, 1, 1, 1, 1, 3))).isEqualTo(new QueueKey(4, 3));
    }

    @Test
    void runsOneTaskAtATimeInTopologicalOrderOnANodeThatCanRunThemAll() throws Exception {
        EventLog log = run("agent", diamond("w"));

        assertThat(log.startOrder()).containsExactly("w/a", "w/b", "w/c", "w/d");
        // Serial: each task starts only when the previous one has finished: 1 + 2 + 3 + 1 = 7 s.
        assertThat(log.startOf("w", "b")).isEqualTo(1.0);
        assertThat(log.startOf("w", "c")).isEqualTo(3.0);
        assertThat(log.startOf("w", "d")).isEqualTo(6.0);
        assertThat(log.timeOf("w", "d", TaskState.FINISHED)).isEqualTo(7.0);
        // Pinned to n2 from the first task on, though n1 was just as idle for the CPU task a.
        assertThat(log.taskEvents()).filteredOn(e -> e.state() == TaskState.RUNNING).extracting(TaskEvent::node)
                .containsOnly("n2");
    }

    @Test
    void taskLevelPoliciesRunTheSameWorkflowInParallelAcrossNodes() throws Exception {
        EventLog log = run("daps", diamond("w"));
        assertThat(log.startOf("w", "b")).isEqualTo(1.0);
        assertThat(log.startOf("w", "c")).isEqualTo(1.0);
        assertThat(log.timeOf("w", "d", TaskState.FINISHED)).isEqualTo(5.0);
        assertThat(log.of("w", "a", TaskState.RUNNING).get(0).node()).isEqualTo("n1");
    }

    @Test
    void differentWorkflowsRunSideBySideEachOnItsOwnNode() throws Exception {
        WorkflowSpec tools = WorkflowBuilder.workflow("tools").id("t")
                .task("x", t -> t.input("seconds", 2))
                .task("y", t -> t.input("seconds", 2))
                .task("z", t -> t.dependsOn("x").input("seconds", 2))
                .build();
        EventLog log = run("agent", diamond("w"), tools);

        assertThat(log.startOf("t", "x")).as("not held back by the other workflow").isEqualTo(0.0);
        assertThat(log.startOf("t", "y")).isEqualTo(2.0);
        assertThat(log.startOf("t", "z")).isEqualTo(4.0);
        for (String workflow : List.of("w", "t")) {
            assertThat(log.taskEvents()).filteredOn(e -> e.workflowId().equals(workflow) && e.state() == TaskState.RUNNING)
                    .extracting(TaskEvent::node).as(workflow).containsOnly(workflow.equals("w") ? "n2" : "n1");
        }
    }

    @Test
    void aWorkflowNoSingleNodeCanRunIsRejectedInsteadOfWaitingForever() throws Exception {
        // Each task fits some node, but none fits both: the big CPU task needs n1, the GPU task needs n2.
        List<NodeSpec> split = List.of(NodeSpec.of("n1", 8, 16, 0, 0), NodeSpec.of("n2", 2, 16, 1, 80));
        WorkflowSpec spec = WorkflowBuilder.workflow("split").id("split")
                .task("big", t -> t.resources(new Resources(8, 1, 0, 0, null)).input("seconds", 1))
                .task("gpu", t -> t.gpu("llm").input("seconds", 1))
                .build();

        Engine agent = Engine.builder().clock(new VirtualClock()).nodes(split).policy("agent").build();
        assertThat(agent.validate(List.of(spec))).singleElement()
                .satisfies(error -> assertThat(error.toString()).contains("workflow 'split'").contains("one node"));
        assertThatThrownBy(() -> agent.submit(spec)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("n1").hasMessageContaining("n2");
        agent.runUntilIdle();
        assertThat(agent.snapshot("split").getNow(null)).isNull();

        Engine daps = Engine.builder().clock(new VirtualClock()).nodes(split).policy("daps").build();
        WorkflowHandle handle = daps.submit(spec);
        daps.runUntilIdle();
        assertThat(handle.result().getNow(null).state()).isEqualTo(WorkflowState.FINISHED);
    }
}
