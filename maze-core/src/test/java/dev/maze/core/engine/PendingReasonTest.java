package dev.maze.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.clock.VirtualClock;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.WorkflowBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Snapshots say why a READY task waits, aggregated over the nodes. */
class PendingReasonTest {

    @Test
    void aReadyTaskSaysWhyItWaitsAndWhichNodeItHolds() throws Exception {
        MembershipTest.ManualExecutor manual = new MembershipTest.ManualExecutor();
        Engine engine = Engine.builder().clock(new VirtualClock())
                .nodes(List.of(NodeSpec.of("gpu-1", 8, 32, 1, 80), NodeSpec.of("cpu-1", 8, 32, 0, 0)))
                .executor(manual).build();
        Resources gpu = new Resources(1, 1, 1, 0, "qwen3-32b");
        engine.submit(WorkflowBuilder.workflow("g").id("w")
                .task("first", t -> t.kind("manual").resources(gpu))
                .task("second", t -> t.kind("manual").resources(gpu))
                .build());
        engine.runUntilIdle();

        WorkflowSnapshot snapshot = engine.snapshot("w").join();
        String running = manual.invocations.get(0).spec().id();
        String waiting = running.equals("first") ? "second" : "first";
        assertThat(snapshot.task(running).pendingReason()).isNull();
        assertThat(snapshot.task(waiting).pendingReason())
                .startsWith("needs ")
                .contains("qwen3-32b")
                .contains("1 GPU, model qwen3-32b: 2 nodes have fewer free GPUs")
                .contains("holds the reservation on gpu-1");
        assertThat(engine.activeWorkflows().join().get(0).task(waiting).pendingReason()).isNotNull();
    }
}
