package dev.maze.core.engine;

import dev.maze.core.clock.VirtualClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineSmokeTest {

    @Test
    void runsAChainOnAVirtualClock() throws Exception {
        WorkflowSpec spec = WorkflowBuilder.workflow("chain")
                .task("a", t -> t.input("seconds", 2).input("output", java.util.Map.of("text", "hello")))
                .task("b", t -> t.dependsOn("a").gpu("m").input("seconds", 3).input("output", java.util.Map.of("text", "{{tasks.a.output.text}} world")))
                .task("c", t -> t.dependsOn("b").input("seconds", 1))
                .build();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n1", 4, 16, 1, 80))).build();
        WorkflowHandle handle = engine.submit(spec);
        engine.runUntilIdle();
        WorkflowSnapshot result = handle.result().getNow(null);
        assertThat(result.state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(result.latencySeconds()).isEqualTo(6.0);
        assertThat(result.task("b").output().get("text").asText()).isEqualTo("hello world");
    }
}
