package dev.maze.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.engine.Engine;
import dev.maze.core.clock.VirtualClock;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.InputCheck;
import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kind {@code sim} inside a virtual-clock engine: input checks, sampled durations, seeds and templated seconds. */
class SimExecutorTest {

    private static Engine engine(long seed) {
        return Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n1", 64, 64, 0, 0))).seed(seed).build();
    }

    @Test
    void inputProblemsNameTheFieldAndTheReason() {
        WorkflowSpec spec = WorkflowBuilder.workflow("bad").id("bad")
                .task("none", t -> t.input("text", "no time"))
                .task("negative", t -> t.input("seconds", -1))
                .task("word", t -> t.input("seconds", "soon"))
                .task("fails", t -> t.input("seconds", 1).input("failAttempts", 1.5))
                .task("dist", t -> t.input("duration", Map.of("distribution", "lognormal", "mean", 10, "p95", 5)))
                .build();
        List<ValidationError> errors = engine(1).validate(List.of(spec));
        assertThat(errors).extracting(e -> e.task() + " | " + e.field() + " | " + e.message()).containsExactly(
                "none | inputs.seconds | a sim task needs inputs.seconds or inputs.duration",
                "negative | inputs.seconds | expected a number of seconds >= 0, found -1",
                "word | inputs.seconds | expected a number of seconds >= 0, found \"soon\"",
                "fails | inputs.failAttempts | expected a whole number >= 0, found 1.5",
                "dist | inputs.duration.p95 | must lie between mean and 3.87 x mean for a lognormal");
        assertThat(new SimExecutor().check(new com.fasterxml.jackson.databind.node.ObjectNode(
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance).put("seconds", "{{tasks.a.output.s}}")))
                .as("a template is checked when it is resolved").isEqualTo(List.<InputCheck.Problem>of());
    }

    @Test
    void secondsFromATemplateAreUsedAndANonNumberFailsTheTask() throws Exception {
        Engine engine = engine(1);
        WorkflowHandle ok = engine.submit(WorkflowBuilder.workflow("t").id("ok")
                .task("plan", t -> t.input("seconds", 1).input("output", Map.of("wait", 4)))
                .task("wait", t -> t.dependsOn("plan").input("seconds", "{{tasks.plan.output.wait}}"))
                .build());
        WorkflowHandle bad = engine.submit(WorkflowBuilder.workflow("t").id("bad")
                .task("plan", t -> t.input("seconds", 1).input("output", Map.of("wait", "later")))
                .task("wait", t -> t.dependsOn("plan").input("seconds", "{{tasks.plan.output.wait}}"))
                .build());
        engine.runUntilIdle();
        assertThat(ok.result().getNow(null).latencySeconds()).isEqualTo(5.0);
        WorkflowSnapshot failed = bad.result().getNow(null);
        assertThat(failed.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(failed.task("wait").error()).isEqualTo("inputs.seconds resolved to 'later', not a number of seconds"
                + " (not retried: the failure would repeat)");
    }

    @Test
    void sampledDurationsDependOnlyOnTheEngineSeed() throws Exception {
        WorkflowSpec spec = WorkflowBuilder.workflow("random").id("w")
                .task("a", t -> t.input("duration", Map.of("distribution", "exponential", "mean", 10)))
                .task("b", t -> t.input("duration", Map.of("distribution", "uniform", "min", 1, "max", 100)))
                .build();
        List<Double> first = durations(7, spec);
        assertThat(durations(7, spec)).isEqualTo(first);
        assertThat(durations(8, spec)).isNotEqualTo(first);
        assertThat(first.get(1)).isBetween(1.0, 100.0);
    }

    private static List<Double> durations(long seed, WorkflowSpec spec) throws Exception {
        Engine engine = engine(seed);
        WorkflowHandle handle = engine.submit(spec);
        engine.runUntilIdle();
        WorkflowSnapshot result = handle.result().getNow(null);
        return result.tasks().stream().map(t -> t.finishedAt() - t.startedAt()).toList();
    }
}
