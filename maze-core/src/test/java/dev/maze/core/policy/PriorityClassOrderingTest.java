package dev.maze.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.EngineListener;
import dev.maze.core.engine.EventLog;
import dev.maze.core.engine.TaskState;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.PriorityClass;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Priority classes are strict: every ready high task before any normal one, every normal before any low, in any policy. */
class PriorityClassOrderingTest {

    private static WorkflowSpec single(String id, PriorityClass priority, double predicted) {
        return WorkflowBuilder.workflow(id).id(id).priorityClass(priority)
                .task("t", t -> t.input("seconds", 1).predictedSeconds(predicted))
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"daps", "daps-aging", "daps-laxity", "fcfs", "agent"})
    void highBeforeNormalBeforeLowWhateverTheArrivalOrder(String policy) throws Exception {
        EventLog log = new EventLog();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n1", 1, 8, 0, 0)))
                .policy(policy).listener(log).build();
        engine.submitAll(List.of(
                single("low-1", PriorityClass.LOW, 1),
                single("normal-1", PriorityClass.NORMAL, 1),
                single("low-2", PriorityClass.LOW, 1),
                single("high-1", PriorityClass.HIGH, 1),
                single("normal-2", PriorityClass.NORMAL, 1),
                single("high-2", PriorityClass.HIGH, 1)));
        engine.runUntilIdle();
        assertThat(log.startOrder()).containsExactly(
                "high-1/t", "high-2/t", "normal-1/t", "normal-2/t", "low-1/t", "low-2/t");
    }

    @ParameterizedTest
    @ValueSource(strings = {"daps", "fcfs"})
    void aHighWorkflowSubmittedLaterOvertakesLowerOnesAlreadyWaiting(String policy) throws Exception {
        EventLog log = new EventLog();
        AtomicReference<Engine> engineRef = new AtomicReference<>();
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n1", 1, 8, 0, 0)))
                .policy(policy).listener(log)
                .listener(new EngineListener() {
                    @Override
                    public void onTaskEvent(TaskEvent event) {
                        if (event.taskId().equals("tick") && event.state() == TaskState.FINISHED) {
                            try {
                                engineRef.get().submit(single("urgent", PriorityClass.HIGH, 1));
                            } catch (ValidationException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                    }
                })
                .build();
        engineRef.set(engine);
        engine.submitAll(List.of(
                // holds the only core until 5; its 0-core tick ends at 2 and triggers the "urgent" submission
                WorkflowBuilder.workflow("blocker").id("blocker").priorityClass(PriorityClass.HIGH)
                        .task("hold", t -> t.input("seconds", 5))
                        .task("tick", t -> t.input("seconds", 2).resources(new Resources(0, 0, 0, 0, null)))
                        .build(),
                single("low", PriorityClass.LOW, 1),
                single("normal", PriorityClass.NORMAL, 1)));
        engine.runUntilIdle();
        // Both policies would otherwise serve the workflows submitted (and ready) at 0 before one from 2.
        assertThat(log.startOf("urgent", "t")).isEqualTo(5.0);
        assertThat(log.startOrder()).containsExactly("blocker/hold", "blocker/tick", "urgent/t", "normal/t", "low/t");
    }
}
