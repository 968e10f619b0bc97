package dev.maze.core.engine;

import dev.maze.core.clock.VirtualClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TaskStateTest {

    /** The life cycle of DESIGN.md, written out by hand: PENDING -> READY -> RUNNING -> terminal; retry goes back. */
    private static final Map<TaskState, Set<TaskState>> EXPECTED = Map.of(
            TaskState.PENDING, EnumSet.of(TaskState.READY, TaskState.CANCELLED),
            TaskState.READY, EnumSet.of(TaskState.RUNNING, TaskState.CANCELLED),
            TaskState.RUNNING, EnumSet.of(TaskState.FINISHED, TaskState.FAILED, TaskState.PENDING, TaskState.CANCELLED),
            TaskState.FINISHED, EnumSet.noneOf(TaskState.class),
            TaskState.FAILED, EnumSet.noneOf(TaskState.class),
            TaskState.CANCELLED, EnumSet.noneOf(TaskState.class));

    @ParameterizedTest
    @EnumSource(TaskState.class)
    void allowsExactlyTheTransitionsOfTheLifeCycle(TaskState from) {
        for (TaskState to : TaskState.values()) {
            assertThat(from.canMoveTo(to))
                    .as("%s -> %s", from, to)
                    .isEqualTo(EXPECTED.get(from).contains(to));
        }
    }

    @Test
    void terminalStatesAreExactlyThoseWithoutAWayOut() {
        for (TaskState state : TaskState.values()) {
            assertThat(state.isTerminal()).as(state.name()).isEqualTo(EXPECTED.get(state).isEmpty());
        }
        assertThat(EnumSet.allOf(TaskState.class).stream().filter(TaskState::isTerminal))
                .containsExactlyInAnyOrder(TaskState.FINISHED, TaskState.FAILED, TaskState.CANCELLED);
    }

    @Test
    void engineRunsExerciseEveryAllowedTransitionAndNoOther() throws Exception {
        NodeSpec oneCore = NodeSpec.of("n1", 1, 8, 0, 0);
        List<WorkflowSpec> scenarios = List.of(
                // retry then success: RUNNING -> PENDING -> READY -> RUNNING -> FINISHED
                WorkflowBuilder.workflow("flaky").id("flaky")
                        .task("a", t -> t.input("seconds", 1).input("failAttempts", 1).retries(RetryPolicy.of(1)))
                        .task("b", t -> t.dependsOn("a").input("seconds", 1))
                        .build(),
                // failure cascades: RUNNING -> FAILED, PENDING -> CANCELLED
                WorkflowBuilder.workflow("broken").id("broken")
                        .task("a", t -> t.input("seconds", 1).input("failAttempts", 1))
                        .task("b", t -> t.dependsOn("a").input("seconds", 1))
                        .build(),
                // deadline while x runs and y waits for the only core: RUNNING -> CANCELLED, READY -> CANCELLED
                WorkflowBuilder.workflow("late").id("late").deadlineSeconds(5)
                        .task("x", t -> t.input("seconds", 10))
                        .task("y", t -> t.input("seconds", 1))
                        .build());

        Set<String> observed = new LinkedHashSet<>();
        for (WorkflowSpec spec : scenarios) {
            EventLog log = new EventLog();
            Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(oneCore)).listener(log).build();
            engine.submit(spec);
            engine.runUntilIdle();
            Map<String, List<TaskState>> byTask = new LinkedHashMap<>();
            for (EngineListener.TaskEvent event : log.taskEvents()) {
                byTask.computeIfAbsent(event.taskId(), id -> new ArrayList<>()).add(event.state());
            }
            for (List<TaskState> states : byTask.values()) {
                assertThat(states.get(0)).as("every task is registered PENDING").isEqualTo(TaskState.PENDING);
                for (int i = 1; i < states.size(); i++) {
                    observed.add(states.get(i - 1) + "->" + states.get(i));
                }
            }
        }

        Set<String> allowed = new LinkedHashSet<>();
        EXPECTED.forEach((from, targets) -> targets.forEach(to -> allowed.add(from + "->" + to)));
        assertThat(observed).containsExactlyInAnyOrderElementsOf(allowed);
    }
}
