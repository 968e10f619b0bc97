package dev.maze.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.clock.Clock;
import dev.maze.core.exec.TaskExecutors;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.WorkflowParser.Format;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every duration a workflow gives is at most {@link Clock#MAX_DURATION_SECONDS}: beyond it, validation names the field
 * (a timeout, deadline, backoff or sim duration of 1e10 s used to wrap the engine's nanosecond clock: hangs, instant
 * failures, instant retries).
 */
class DurationLimitsTest {

    private final WorkflowValidator validator =
            new WorkflowValidator(TaskExecutors.defaults(), List.of(NodeSpec.of("n1", 8, 64, 1, 80)));

    private List<String> errors(String yaml) throws ValidationException {
        return validator.validate(WorkflowParser.parse(yaml, Format.YAML, "wf.yaml").get(0)).stream()
                .map(ValidationError::toString).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"100000001", "1e10", "9.3e9", "1e300"})
    void aDurationBeyondTheLongestIsRefusedNamingItsField(String seconds) throws Exception {
        String tooLong = "must be at most 100000000 s (about 3 years, the longest duration Maze times), found "
                + Double.parseDouble(seconds);
        assertThat(errors("name: w\ndeadline: " + seconds + "\ntasks:\n  - {id: a, kind: sim, inputs: {seconds: 1}}\n"))
                .singleElement().asString().contains("deadline").contains(tooLong);
        assertThat(errors("name: w\ntasks:\n  - {id: a, kind: sim, timeoutSeconds: " + seconds + ", inputs: {seconds: 1}}\n"))
                .singleElement().asString().contains("task 'a'").contains("timeoutSeconds").contains(tooLong);
        assertThat(errors("name: w\ntasks:\n  - {id: a, kind: sim, predictedSeconds: " + seconds + ", inputs: {seconds: 1}}\n"))
                .singleElement().asString().contains("predictedSeconds").contains(tooLong);
        assertThat(errors("name: w\ntasks:\n  - {id: a, kind: sim, retries: {count: 1, backoffSeconds: " + seconds
                + "}, inputs: {seconds: 1}}\n")).as("the cap defaults to the backoff, and is not reported twice")
                .singleElement().asString().contains("retries.backoffSeconds").contains(tooLong);
        assertThat(errors("name: w\ntasks:\n  - {id: a, kind: sim, retries: {count: 1, maxBackoffSeconds: " + seconds
                + "}, inputs: {seconds: 1}}\n"))
                .singleElement().asString().contains("retries.maxBackoffSeconds").contains(tooLong);
        assertThat(errors("name: w\ntasks:\n  - {id: a, kind: sim, inputs: {seconds: " + seconds + "}}\n"))
                .singleElement().asString().contains("inputs.seconds").contains(tooLong);
        assertThat(errors("name: w\ntasks:\n  - {id: a, kind: sim, inputs: {duration: {distribution: uniform, min: 1, max: "
                + seconds + "}}}\n")).singleElement().asString().contains("inputs.duration.max").contains(tooLong);
        assertThat(errors("name: w\ntasks:\n  - {id: a, kind: sim, inputs: {duration: {distribution: empirical, samples: [1, "
                + seconds + "]}}}\n")).singleElement().asString().contains("samples[1]").contains(tooLong);
    }

    @org.junit.jupiter.api.Test
    void aNumberTooLargeToHoldSaysSoRatherThanInfinity() throws Exception {
        String yaml = "name: w\ndeadline: 1e400\ntasks:\n  - {id: a, kind: sim, timeoutSeconds: 1e400, inputs: {seconds: 1}}\n";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WorkflowParser.parse(yaml, Format.YAML, "wf.yaml"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("field 'deadline': must be at most 100000000 s")
                .hasMessageContaining("field 'timeoutSeconds': must be at most 100000000 s")
                .hasMessageContaining("found a number too large to hold").hasMessageNotContaining("Infinity");
    }

    @ParameterizedTest
    @ValueSource(strings = {"100000000", "86400", "0.001"})
    void theLongestDurationItselfIsAccepted(String seconds) throws Exception {
        assertThat(errors("name: w\ndeadline: " + seconds + "\ntasks:\n  - {id: a, kind: sim, timeoutSeconds: " + seconds
                + ", retries: {count: 1, backoffSeconds: " + seconds + ", maxBackoffSeconds: " + seconds
                + "}, inputs: {seconds: " + seconds + "}}\n")).isEmpty();
    }
}
