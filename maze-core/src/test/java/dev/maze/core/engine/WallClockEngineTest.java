package dev.maze.core.engine;

import dev.maze.core.clock.WallClock;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.RetryPolicy;
import dev.maze.core.workflow.WorkflowBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine on its own loop thread and the wall clock ({@link Engine#start()}). */
class WallClockEngineTest {

    private static Engine startEngine() {
        return Engine.builder().clock(new WallClock()).nodes(List.of(NodeSpec.of("local", 2, 4, 0, 0))).build().start();
    }

    @Test
    void timersThatAreAlreadyDueFireWithoutWaitingForAnotherEvent() throws Exception {
        // 0 s sims and a 0 s backoff set timers that are due the moment they are set.
        try (Engine engine = startEngine()) {
            WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("instant").id("w")
                    .task("a", t -> t.input("seconds", 0))
                    .task("b", t -> t.dependsOn("a").input("seconds", 0).input("failAttempts", 1)
                            .retries(new RetryPolicy(1, 0, 1, 0)))
                    .task("c", t -> t.dependsOn("b").input("seconds", 0.05))
                    .build());
            WorkflowSnapshot result = handle.result().get(10, SECONDS);
            assertThat(result.state()).isEqualTo(WorkflowState.FINISHED);
            assertThat(result.task("b").attempts()).isEqualTo(2);
            assertThat(result.latencySeconds()).isGreaterThanOrEqualTo(0.05);
        }
    }

    @Test
    void queriesAreAnsweredByTheRunningLoop() throws Exception {
        try (Engine engine = startEngine()) {
            WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("slow").id("w")
                    .task("a", t -> t.input("seconds", 60))
                    .build());
            // The workflow is registered before any later query is answered: both go through the loop in order.
            WorkflowSnapshot running = engine.snapshot("w").get(10, SECONDS);
            assertThat(running.state()).isEqualTo(WorkflowState.RUNNING);
            assertThat(engine.activeWorkflows().get(10, SECONDS)).extracting(WorkflowSnapshot::id).containsExactly("w");
            assertThat(engine.cancel("w").get(10, SECONDS)).isTrue();
            assertThat(handle.result().get(10, SECONDS).state()).isEqualTo(WorkflowState.CANCELLED);
            assertThat(engine.stats().get(10, SECONDS).activeWorkflows()).isZero();
        }
    }

    @Test
    void closeStopsTheLoopPromptlyAndCancelsWhatIsRunning() throws Exception {
        Engine engine = startEngine();
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("slow").id("w")
                .task("a", t -> t.input("seconds", 60))
                .build());
        assertThat(engine.snapshot("w").get(10, SECONDS).state()).isEqualTo(WorkflowState.RUNNING);

        long start = System.nanoTime();
        engine.close();
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(handle.result().getNow(null).state()).isEqualTo(WorkflowState.CANCELLED);
        // close() waits up to 10 s for the loop thread; a loop that noticed the close ends long before that.
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> engine.submit(WorkflowBuilder.workflow("late").task("x", t -> t.input("seconds", 1)).build()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theLoopCannotBeStartedTwice() {
        try (Engine engine = startEngine()) {
            assertThatThrownBy(engine::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already running");
            assertThatThrownBy(engine::runUntilIdle).isInstanceOf(IllegalStateException.class);
        }
    }
}
