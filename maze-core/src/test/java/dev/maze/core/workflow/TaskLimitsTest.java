package dev.maze.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.exec.TaskExecutors;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.node.Resources;
import dev.maze.core.workflow.WorkflowParser.Format;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A task's counts are bounded in files and in Java alike: GPUs at most {@link NodeSpec#MAX_GPUS} (a cast made 1e19
 * into 2147483647), retries at most {@link RetryPolicy#MAX_COUNT} (a typo must not keep a failing task going for ever).
 */
class TaskLimitsTest {

    private static final WorkflowValidator VALIDATOR =
            new WorkflowValidator(TaskExecutors.defaults(), List.of(NodeSpec.of("n1", 8, 64, 1, 80)));

    @ParameterizedTest
    @ValueSource(strings = {"1e19", "1025", "2147483648", "1.0E300", "4096"})
    void aGpuCountBeyondTheBoundIsReportedAsWrittenNotAsAWrappedInt(String gpus) {
        assertThatThrownBy(() -> WorkflowParser.parse("name: w\ntasks:\n  - {id: a, kind: sim, inputs: {seconds: 1}, "
                + "resources: {gpus: " + gpus + "}}\n", Format.YAML, "wf.yaml"))
                .hasMessageContaining("field 'resources.gpus': must be a whole number from 0 to 1024 (the most GPUs a "
                        + "node may have), found ")
                .hasMessageNotContaining("2147483647");
    }

    @ParameterizedTest
    @ValueSource(ints = {1001, 1_000_000, Integer.MAX_VALUE})
    void aRetryCountBeyondTheBoundIsRefusedInFilesAndInJava(int count) {
        assertThatThrownBy(() -> WorkflowParser.parse("name: w\ntasks:\n  - {id: a, kind: sim, inputs: {seconds: 1}, "
                + "retries: " + count + "}\n", Format.YAML, "wf.yaml"))
                .hasMessageContaining("field 'retries': expected a whole number of retries from 0 to 1000, found number "
                        + count);
        WorkflowSpec built = WorkflowBuilder.workflow("w").task("a", t -> t.kind("sim").input("seconds", 1)
                .retries(RetryPolicy.of(count))).build();
        assertThat(VALIDATOR.validate(built)).extracting(ValidationError::toString)
                .contains("workflow 'w', task 'a', field 'retries.count': must be at most 1000, found " + count);
    }

    @ParameterizedTest
    @ValueSource(ints = {1025, 100_000})
    void aJavaBuiltGpuCountBeyondTheBoundIsRefused(int gpus) {
        WorkflowSpec built = WorkflowBuilder.workflow("w").task("a", t -> t.kind("sim").input("seconds", 1)
                .resources(new Resources(1, 0, gpus, 0, null))).build();
        assertThat(VALIDATOR.validate(built)).extracting(ValidationError::toString)
                .contains("workflow 'w', task 'a', field 'resources.gpus': must be at most 1024 (the most GPUs a node may "
                        + "have), found " + gpus);
    }
}
