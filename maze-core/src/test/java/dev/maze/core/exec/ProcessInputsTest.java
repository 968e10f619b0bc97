package dev.maze.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.core.engine.Engine;
import dev.maze.core.engine.TaskState;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.InputCheck;
import dev.maze.core.workflow.WorkflowBuilder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Inputs of process and sim tasks: validation of their types, and stdin that cannot deadlock. */
class ProcessInputsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static List<InputCheck.Problem> check(TaskExecutor executor, String inputs) throws Exception {
        JsonNode node = JSON.readTree(inputs);
        return executor.check(node);
    }

    @Test
    void stdinMustBeAStringAndEnvValuesScalars() throws Exception {
        assertThat(check(new ProcessExecutor(), "{\"command\": [\"cat\"], \"stdin\": {\"a\": 1}}"))
                .extracting(InputCheck.Problem::field).containsExactly("inputs.stdin");
        assertThat(check(new ProcessExecutor(), "{\"command\": [\"env\"], \"env\": {\"CONF\": {\"k\": 2}, \"OK\": 3}}"))
                .extracting(InputCheck.Problem::field).containsExactly("inputs.env.CONF");
        assertThat(check(new ProcessExecutor(), "{\"command\": [\"cat\"], \"stdin\": \"{{tasks.a.output.text}}\"}")).isEmpty();
    }

    @Test
    void failAttemptsBeyondAnIntIsRejectedNotWrapped() throws Exception {
        assertThat(check(new SimExecutor(), "{\"seconds\": 1, \"failAttempts\": 4294967296}"))
                .extracting(InputCheck.Problem::field).containsExactly("inputs.failAttempts");
    }

    @Test
    void aProgramThatWritesMuchBeforeReadingItsLargeStdinFinishes() throws Exception {
        String input = "x".repeat(300_000);
        try (Engine engine = Engine.builder().nodes(List.of(NodeSpec.of("n", 2, 4, 0, 0))).build().start()) {
            WorkflowSnapshot result = engine.submit(WorkflowBuilder.workflow("pipe")
                    .task("t", t -> t.kind("process").timeoutSeconds(30)
                            .input("command", List.of("sh", "-c", "head -c 300000 /dev/zero; wc -c"))
                            .input("stdin", input))
                    .build()).result().get(60, TimeUnit.SECONDS);
            assertThat(result.task("t").state()).as(String.valueOf(result.task("t").error())).isEqualTo(TaskState.FINISHED);
            assertThat(result.task("t").output().get("text").asText()).endsWith("300000\n");
        }
    }
}
