package dev.maze.core.placement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EngineListener.TaskEvent;
import dev.maze.core.engine.EventLog;
import dev.maze.core.engine.TaskState;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.WorkflowBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Placement decisions as users see them in an engine run on a virtual clock: which node, and when. */
class PlacementInEngineTest {

    private static EventLog run(List<NodeSpec> nodes, WorkflowBuilder... workflows) throws Exception {
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(nodes).listener(log).build();
        for (WorkflowBuilder workflow : workflows) {
            engine.submit(workflow.build());
            engine.runUntilIdle(); // one after the other: later workflows see what earlier ones left behind
        }
        return log;
    }

    private static String nodeOf(EventLog log, String workflow, String task) {
        return log.of(workflow, task, TaskState.RUNNING).get(0).node();
    }

    @Test
    void gpuMemorySlicesRunSideBySideOnOneGpuWhileMemoryLasts() throws Exception {
        Resources slice = new Resources(1, 0, 1, 30, "m");
        EventLog log = run(List.of(NodeSpec.of("n1", 8, 16, 1, 80)), WorkflowBuilder.workflow("s").id("s")
                .task("a", t -> t.resources(slice).input("seconds", 5))
                .task("b", t -> t.resources(slice).input("seconds", 5))
                .task("c", t -> t.resources(slice).input("seconds", 5))
                .task("whole", t -> t.gpu("m").input("seconds", 1)));
        assertThat(log.startOf("s", "a")).isEqualTo(0.0);
        assertThat(log.startOf("s", "b")).as("60 of 80 GB").isEqualTo(0.0);
        assertThat(log.startOf("s", "c")).as("only 20 GB left until a and b end").isEqualTo(5.0);
        assertThat(log.startOf("s", "whole")).as("a whole GPU waits for every slice to end").isEqualTo(10.0);
    }

    @Test
    void aModelCallGoesWhereItsModelIsAlreadyLoadedEvenIfThatNodeIsBusier() throws Exception {
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock())
                .nodes(List.of(NodeSpec.of("n1", 8, 16, 1, 80), NodeSpec.of("n2", 8, 16, 1, 80))).listener(log).build();
        // Loads qwen on n1 (the lower index of two idle nodes).
        engine.submit(WorkflowBuilder.workflow("first").id("first").task("load", t -> t.gpu("qwen").input("seconds", 1))
                .build());
        engine.runUntilIdle();
        // Then "busy" makes n1 the busier node, and "root" runs on n2 (so "main" has affinity for n2). When root
        // ends, main's qwen call still goes to n1, and its llama call to n2.
        engine.submitAll(List.of(
                WorkflowBuilder.workflow("other").id("other")
                        .task("busy", t -> t.resources(new Resources(6, 8, 0, 0, null)).input("seconds", 10))
                        .build(),
                WorkflowBuilder.workflow("main").id("main")
                        .task("root", t -> t.input("seconds", 0.5))
                        .task("qwen", t -> t.dependsOn("root").gpu("qwen").input("seconds", 1))
                        .task("llama", t -> t.dependsOn("root").gpu("llama").input("seconds", 1))
                        .build()));
        engine.runUntilIdle();

        assertThat(nodeOf(log, "first", "load")).isEqualTo("n1");
        assertThat(nodeOf(log, "other", "busy")).isEqualTo("n1");
        assertThat(nodeOf(log, "main", "root")).isEqualTo("n2");
        assertThat(log.startOf("main", "qwen")).isEqualTo(1.5);
        assertThat(nodeOf(log, "main", "qwen")).as("resident beats least loaded and affinity").isEqualTo("n1");
        assertThat(nodeOf(log, "main", "llama")).isEqualTo("n2");
    }

    @Test
    void aWorkflowsNextTaskStaysOnTheNodeOfItsPreviousOne() throws Exception {
        // Only n2 has the memory for "big"; its successor fits anywhere and both nodes are idle when it starts.
        List<NodeSpec> nodes = List.of(NodeSpec.of("n1", 4, 8, 0, 0), NodeSpec.of("n2", 4, 64, 0, 0));
        EventLog log = run(nodes, WorkflowBuilder.workflow("w").id("w")
                .task("big", t -> t.resources(new Resources(1, 32, 0, 0, null)).input("seconds", 1))
                .task("next", t -> t.dependsOn("big").input("seconds", 1))
                .task("after", t -> t.dependsOn("next").input("seconds", 1)));
        assertThat(log.taskEvents()).filteredOn(e -> e.state() == TaskState.RUNNING).extracting(TaskEvent::node)
                .containsExactly("n2", "n2", "n2");
        EventLog fresh = run(nodes, WorkflowBuilder.workflow("v").id("v").task("solo", t -> t.input("seconds", 1)));
        assertThat(nodeOf(fresh, "v", "solo")).as("without affinity the tie goes to the lowest index").isEqualTo("n1");
    }
}
