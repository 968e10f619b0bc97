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
import dev.maze.core.workflow.WorkflowSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A big task blocked by small ones reserves a node: small tasks behind it keep starting elsewhere (backfill) but no
 * longer on its reserved share, so the node drains and the big task starts.
 */
class HeadOfLineReservationTest {

    /** n1 has 4 cores, n2 only 2: the 4-core task can only ever run on n1. */
    private static final List<NodeSpec> NODES = List.of(NodeSpec.of("n1", 4, 16, 0, 0), NodeSpec.of("n2", 2, 16, 0, 0));

    /**
     * Six chains of five 1-core tasks (the first of chain i lasts i seconds, the others 3 s) fill both nodes at 0;
     * then a 4-core task arrives. FCFS: the big task is the head of the queue from time 0.
     */
    private static EventLog run(int backfillDepth) throws Exception {
        List<WorkflowSpec> specs = new ArrayList<>();
        for (int chain = 1; chain <= 6; chain++) {
            int first = chain;
            WorkflowBuilder builder = WorkflowBuilder.workflow("small").id("s" + chain);
            for (int step = 0; step < 5; step++) {
                int index = step;
                builder.task("t" + step, t -> {
                    t.input("seconds", index == 0 ? first : 3);
                    if (index > 0) {
                        t.dependsOn("t" + (index - 1));
                    }
                });
            }
            specs.add(builder.build());
        }
        specs.add(WorkflowBuilder.workflow("big").id("big")
                .task("b", t -> t.resources(new Resources(4, 0, 0, 0, null)).input("seconds", 1))
                .build());
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(NODES).policy("fcfs").backfillDepth(backfillDepth)
                .listener(log).build();
        engine.submitAll(specs);
        engine.runUntilIdle();
        return log;
    }

    @Test
    void theBigTaskStartsAsSoonAsItsNodeDrainsWhileSmallTasksBackfillElsewhere() throws Exception {
        EventLog log = run(256);

        // At 0, n1 runs the first tasks of s1, s3, s4, s6 (ending at 1, 3, 4, 6) and n2 those of s2, s5.
        List<TaskEvent> starts = log.taskEvents().stream().filter(e -> e.state() == TaskState.RUNNING).toList();
        assertThat(starts).filteredOn(e -> e.timeSeconds() == 0 && e.node().equals("n1"))
                .extracting(TaskEvent::workflowId).containsExactlyInAnyOrder("s1", "s3", "s4", "s6");

        // Not starved: it starts the moment the last of those ends, on n1.
        TaskEvent big = log.of("big", "b", TaskState.RUNNING).get(0);
        assertThat(big.timeSeconds()).isEqualTo(6.0);
        assertThat(big.node()).isEqualTo("n1");
        // Nothing else started on n1 while it drained, although s1's next task was ready at 1...
        assertThat(starts).filteredOn(e -> e.node().equals("n1") && e.timeSeconds() > 0 && e.timeSeconds() < 6).isEmpty();
        // ...which instead backfilled on n2 when a core freed there, at 2, long before the big task could start.
        assertThat(log.of("s1", "t1", TaskState.RUNNING).get(0))
                .extracting(TaskEvent::timeSeconds, TaskEvent::node)
                .containsExactly(2.0, "n2");
        assertThat(starts).filteredOn(e -> e.node().equals("n2") && e.timeSeconds() > 0 && e.timeSeconds() < 6)
                .hasSizeGreaterThanOrEqualTo(3);
        // And everything finishes.
        assertThat(log.workflowEvents()).filteredOn(e -> e.state().isTerminal()).hasSize(7)
                .allSatisfy(e -> assertThat(e.state().name()).isEqualTo("FINISHED"));
    }

    @Test
    void withoutBackfillNothingPassesABlockedHead() throws Exception {
        EventLog log = run(0);
        assertThat(log.startOf("big", "b")).isEqualTo(6.0);
        // s1's second task (ready at 1) may not pass the head, not even on n2: it waits until the head started.
        assertThat(log.startOf("s1", "t1")).isEqualTo(6.0);
    }

    @Test
    void aTaskNeedingNoCoresRunsBesideABlockedHeadOnItsReservedNode() throws Exception {
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n", 2, 8, 0, 0)))
                .policy("fcfs").listener(log).build();
        engine.submit(WorkflowBuilder.workflow("w").id("w")
                .task("long", t -> t.input("seconds", 10))
                .task("head", t -> t.resources(new Resources(2, 0, 0, 0, null)).input("seconds", 1))
                .task("io", t -> t.resources(new Resources(0, 0, 0, 0, null)).input("seconds", 1))
                .build());
        engine.runUntilIdle();
        assertThat(log.startOf("w", "head")).isEqualTo(10.0);
        assertThat(log.startOf("w", "io")).as("it takes nothing the head waits for").isEqualTo(0.0);
    }
}
