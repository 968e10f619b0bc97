package dev.maze.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.WorkflowBuilder;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A process's output is read within bounds: too much stdout fails the attempt, endless stderr keeps only its tail. */
class ProcessOutputLimitTest {

    private static WorkflowSnapshot run(double maxOutputMb, String script) throws Exception {
        Map<String, TaskExecutor> executors = Map.of("process", new ProcessExecutor(Map.of(), (File) null, maxOutputMb));
        try (Engine engine = Engine.builder().nodes(List.of(NodeSpec.of("n1", 2, 4, 0, 0))).executors(executors)
                .build().start()) {
            return engine.submit(WorkflowBuilder.workflow("p").id("w")
                    .task("a", t -> t.kind("process").input("command", List.of("sh", "-c", script))
                            .retries(new dev.maze.core.workflow.RetryPolicy(2, 0, 1, 0)))
                    .build()).result().get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void stdoutBeyondTheLimitFailsTheAttemptOnceAndKillsTheProcess() throws Exception {
        WorkflowSnapshot done = run(1, "head -c 5000000 /dev/zero; sleep 30");
        assertThat(done.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(done.task("a").attempts()).as("not retried: it would write as much again").isEqualTo(1);
        assertThat(done.task("a").error()).contains("stdout exceeded 1 MB (executors.process.maxOutputMb)");
        assertThat(done.latencySeconds()).as("killed, not waited for").isLessThan(20);
    }

    @Test
    void outputWithinTheLimitIsKept() throws Exception {
        WorkflowSnapshot done = run(1, "head -c 900000 /dev/zero | tr '\\000' x");
        assertThat(done.state()).isEqualTo(WorkflowState.FINISHED);
        assertThat(done.task("a").output().path("text").asText()).hasSize(900_000);
    }

    @Test
    void endlessStderrKeepsOnlyItsTail() throws Exception {
        WorkflowSnapshot done = run(1, "head -c 20000000 /dev/zero | tr '\\000' e >&2; echo last-words >&2; exit 3");
        assertThat(done.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(done.task("a").error()).contains("exit code 3").contains("last-words")
                .hasSizeLessThan(3 * ProcessExecutor.STDERR_TAIL_CHARS);
    }
}
