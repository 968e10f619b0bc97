package dev.maze.core.exec;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.engine.Engine;
import dev.maze.core.clock.WallClock;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kind {@code java} with the engine's default executors: the functions come from
 * {@code META-INF/services/dev.maze.core.exec.JavaTask} in the test resources, found by ServiceLoader.
 */
class JavaExecutorTest {

    private final Engine engine = Engine.builder()
            .clock(new WallClock())
            .nodes(List.of(NodeSpec.of("local", 2, 4, 0, 0)))
            .build()
            .start();

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    @Test
    void runsAServiceLoadedFunctionOnAVirtualThreadWithResolvedInputs() throws Exception {
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("greeting").id("g")
                .task("first", t -> t.kind("java").input("function", "greet").input("name", "ada"))
                .task("second", t -> t.kind("java").dependsOn("first").input("function", "greet")
                        .input("name", "{{tasks.first.output.text}}"))
                .build());
        WorkflowSnapshot result = handle.result().get(10, SECONDS);

        assertThat(result.state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(result.task("first").output().get("text").asText()).isEqualTo("hello ada");
        assertThat(result.task("first").output().get("thread").asText()).isEqualTo("virtual");
        assertThat(result.task("second").output().get("text").asText()).isEqualTo("hello hello ada");
    }

    @Test
    void anExceptionFailsTheTaskWithItsMessage() throws Exception {
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("bad").id("bad")
                .task("x", t -> t.kind("java").input("function", "explode").input("name", "pdf"))
                .build());
        WorkflowSnapshot result = handle.result().get(10, SECONDS);
        assertThat(result.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(result.task("x").error()).isEqualTo("IllegalArgumentException: cannot handle pdf");
    }

    @Test
    void unknownFunctionsAreRejectedListingTheRegisteredOnes() {
        assertThatThrownBy(() -> engine.submit(WorkflowBuilder.workflow("typo").id("typo")
                        .task("x", t -> t.kind("java").input("function", "greeet"))
                        .task("y", t -> t.kind("java"))
                        .build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("no function named 'greeet' is registered")
                .hasMessageContaining("[explode, greet]")
                .hasMessageContaining("needs inputs.function");
    }

    @Test
    void aFunctionNamedByATemplateIsCheckedWhenItRuns() throws Exception {
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("dynamic").id("d")
                .task("pick", t -> t.input("seconds", 0).input("output", java.util.Map.of("fn", "nope")))
                .task("call", t -> t.kind("java").dependsOn("pick").input("function", "{{tasks.pick.output.fn}}"))
                .build());
        WorkflowSnapshot result = handle.result().get(10, SECONDS);
        assertThat(result.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(result.task("call").error()).isEqualTo("no function named 'nope' is registered");
    }
}
