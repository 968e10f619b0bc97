package dev.maze.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.clock.VirtualClock;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser;
import dev.maze.core.workflow.WorkflowParser.Format;
import dev.maze.core.workflow.WorkflowSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A workflow file's {@code submitAt}: a replayed trace, each workflow accepted at its time on the engine clock. */
class SubmitAtTest {

    @Test
    void eachWorkflowIsAcceptedAtItsTimeAndItsLatencyCountsFromThen() throws Exception {
        List<WorkflowSpec> specs = WorkflowParser.parse("""
                - {id: now, name: w, tasks: [{id: a, kind: sim, inputs: {seconds: 2}}]}
                - {id: later, name: w, submitAt: 10, tasks: [{id: a, kind: sim, inputs: {seconds: 2}}]}
                - {id: first, name: w, submitAt: 0, tasks: [{id: a, kind: sim, inputs: {seconds: 2}}]}
                """, Format.YAML, "trace.yaml");
        assertThat(specs).extracting(WorkflowSpec::submitAtSeconds).containsExactly(null, 10.0, 0.0);
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n", 4, 16, 0, 0))).build();
        List<WorkflowHandle> handles = engine.submitAll(specs);
        engine.runUntilIdle();

        WorkflowSnapshot later = handles.get(1).result().getNow(null);
        assertThat(later.submittedAt()).isEqualTo(10.0);
        assertThat(later.finishedAt()).isEqualTo(12.0);
        assertThat(later.latencySeconds()).isEqualTo(2.0);
        assertThat(handles.get(0).result().getNow(null).finishedAt()).isEqualTo(2.0);
        assertThat(handles.get(2).result().getNow(null).submittedAt()).isZero();
    }

    @Test
    void aSubmitAtThatIsNotATimeIsRefusedNamingTheWorkflowAndTheField() {
        assertThatThrownBy(() -> WorkflowParser.parse("""
                - {id: negative, name: w, submitAt: -1, tasks: [{id: a, kind: sim, inputs: {seconds: 1}}]}
                - {id: text, name: w, submitAt: soon, tasks: [{id: a, kind: sim, inputs: {seconds: 1}}]}
                - {id: huge, name: w, submitAt: 1e400, tasks: [{id: a, kind: sim, inputs: {seconds: 1}}]}
                """, Format.YAML, "trace.yaml"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("negative").hasMessageContaining("submitAt")
                .hasMessageContaining("must be 0 or more seconds after the run starts, found -1.0")
                .hasMessageContaining("expected a number of seconds after the run starts, found")
                .hasMessageContaining("too large");
    }

    @Test
    void aSubmitAtBeyondTheLongestDurationIsRefusedByTheValidator() {
        Engine engine = Engine.builder().clock(new VirtualClock()).nodes(List.of(NodeSpec.of("n", 4, 16, 0, 0))).build();
        WorkflowSpec far = dev.maze.core.workflow.WorkflowBuilder.workflow("w").id("far")
                .task("a", t -> t.input("seconds", 1)).build().withSubmitAt(1e9);
        assertThatThrownBy(() -> engine.submit(far)).isInstanceOf(ValidationException.class)
                .hasMessageContaining("submitAt");
    }
}
