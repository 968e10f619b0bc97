package dev.maze.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EngineListener.TaskEvent;
import dev.maze.core.engine.EventLog;
import dev.maze.core.engine.TaskState;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Task-level first come, first served: on one core, tasks start in the order they became READY. */
class FcfsPolicyTest {

    @Test
    void keyIsTheReadyTime() {
        FcfsPolicy fcfs = new FcfsPolicy();
        assertThat(fcfs.name()).isEqualTo("fcfs");
        assertThat(fcfs.traits()).isEmpty();
        assertThat(fcfs.key(new DapsPolicyTest.Task("w", 1, 7.5, 3, 3, 100, 100, 2))).isEqualTo(new QueueKey(7.5, 0));
    }

    @Test
    void aSuccessorWaitsBehindTasksThatWereReadyBeforeIt() throws Exception {
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n1", 1, 8, 0, 0)))
                .policy("fcfs").listener(log).build();
        engine.submitAll(List.of(
                WorkflowBuilder.workflow("chain").id("w1")
                        .task("a", t -> t.input("seconds", 1))
                        .task("b", t -> t.dependsOn("a").input("seconds", 1))
                        .build(),
                // DAPS would start c first (its whole critical path: Score 1 against a's 0.5); FCFS keeps arrival order.
                WorkflowBuilder.workflow("single").id("w2")
                        .task("c", t -> t.input("seconds", 1))
                        .build()));
        engine.runUntilIdle();
        assertThat(log.startOrder()).containsExactly("w1/a", "w2/c", "w1/b");
    }

    @Test
    void startOrderFollowsReadyOrderUnderContention() throws Exception {
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n1", 1, 8, 0, 0)))
                .policy("fcfs").listener(log).build();
        List<WorkflowSpec> specs = new ArrayList<>();
        for (int w = 0; w < 5; w++) {
            int length = w + 1;
            WorkflowBuilder builder = WorkflowBuilder.workflow("chain").id("w" + w);
            for (int i = 0; i < length; i++) {
                int step = i;
                double seconds = 0.5 + ((w * 7 + i * 3) % 5);
                builder.task("t" + i, t -> {
                    // Varied predictions would reorder DAPS; FCFS must ignore them.
                    t.input("seconds", seconds).predictedSeconds(1 + step * 10);
                    if (step > 0) {
                        t.dependsOn("t" + (step - 1));
                    }
                });
            }
            specs.add(builder.build());
        }
        engine.submitAll(specs);
        engine.runUntilIdle();

        // Replay the events: whenever a task starts, it must be the earliest-READY task still waiting.
        List<String> waiting = new ArrayList<>();
        for (TaskEvent event : log.taskEvents()) {
            String id = event.workflowId() + "/" + event.taskId();
            if (event.state() == TaskState.READY) {
                waiting.add(id);
            } else if (event.state() == TaskState.RUNNING) {
                assertThat(id).as("start at %s; waiting %s", event.timeSeconds(), waiting).isEqualTo(waiting.get(0));
                waiting.remove(0);
            }
        }
        assertThat(log.startOrder()).hasSize(15);
    }
}
