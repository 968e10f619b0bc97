package dev.maze.core.engine;

import dev.maze.core.clock.VirtualClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nothing grows without bound in a long-running engine: after 100,000 distinct submissions (each its own task list, as
 * a service sees them), retained memory is where it was after 20,000 once finished workflows left the retention
 * window. The caches that remember task lists (DAG shapes, validated lists) are the engine's own and bounded; the
 * in-memory journal forgets ended workflows.
 */
class RetainedMemoryTest {

    @Test
    void retainedMemoryStaysFlatOverAHundredThousandDistinctSubmissions() throws Exception {
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n1", 64, 256, 0, 0)))
                .retainedWorkflows(100).build();
        long afterTwenty = 0;
        for (int round = 1; round <= 10; round++) {
            List<WorkflowSpec> batch = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                String id = "w" + round + "-" + i;
                batch.add(WorkflowBuilder.workflow("distinct-" + id).id(id)
                        .task("a", t -> t.input("seconds", 1).input("note", "payload of " + id))
                        .task("b", t -> t.dependsOn("a").input("seconds", 1))
                        .build());
            }
            engine.submitAll(batch);
            engine.runUntilIdle();
            if (round == 2) {
                afterTwenty = retainedBytes();
            }
        }
        long afterHundred = retainedBytes();

        assertThat(engine.activeWorkflows().join()).isEmpty();
        // 80,000 more workflows retained would be tens of MB; allow noise of a few MB.
        assertThat(afterHundred).as("retained heap after 20k: %d B, after 100k: %d B", afterTwenty, afterHundred)
                .isLessThan(afterTwenty + 8L * 1024 * 1024);
    }

    private static long retainedBytes() throws InterruptedException {
        var memory = ManagementFactory.getMemoryMXBean();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            least = Math.min(least, memory.getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
