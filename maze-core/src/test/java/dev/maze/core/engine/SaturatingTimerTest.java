package dev.maze.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.clock.Clock;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.WorkflowBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** No delay, however large or odd, wraps the engine's nanosecond clock into the past. */
class SaturatingTimerTest {

    @Test
    void dueTimesSaturateInsteadOfWrapping() {
        long now = 1_700_000_000L * 1_000_000_000L; // an epoch clock today
        assertThat(EventLoop.saturatingAdd(now, 1e10)).isEqualTo(Long.MAX_VALUE);
        assertThat(EventLoop.saturatingAdd(now, 1e300)).isEqualTo(Long.MAX_VALUE);
        assertThat(EventLoop.saturatingAdd(now, Double.POSITIVE_INFINITY)).isEqualTo(Long.MAX_VALUE);
        assertThat(EventLoop.saturatingAdd(now, Double.NaN)).isEqualTo(now);
        assertThat(EventLoop.saturatingAdd(now, 2.5)).isEqualTo(now + 2_500_000_000L);
        assertThat(EventLoop.saturatingAdd(0, -1e300)).isEqualTo(Long.MIN_VALUE);
        assertThat(EventLoop.saturatingAdd(now, Clock.MAX_DURATION_SECONDS)).isGreaterThan(now).isLessThan(Long.MAX_VALUE);
    }

    @Test
    void theLongestTimeoutDoesNotHoldUpOtherWorkflows() throws Exception {
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n1", 4, 8, 0, 0))).build();
        WorkflowHandle patient = engine.submit(WorkflowBuilder.workflow("p").id("patient")
                .task("a", t -> t.input("seconds", 5).timeoutSeconds(Clock.MAX_DURATION_SECONDS)).build());
        WorkflowHandle other = engine.submit(WorkflowBuilder.workflow("o").id("other")
                .task("a", t -> t.input("seconds", 1)).build());
        engine.runUntilIdle();

        assertThat(other.result().join().latencySeconds()).isEqualTo(1.0);
        assertThat(patient.result().join().latencySeconds()).isEqualTo(5.0);
    }
}
