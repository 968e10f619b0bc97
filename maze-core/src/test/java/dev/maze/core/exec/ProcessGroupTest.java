package dev.maze.core.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.WorkflowBuilder;
import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Nothing a process task starts outlives it (checked in the process table): each attempt runs in its own process
 * group, which is stopped on a timeout, a cancel or the engine closing, and cleared when the main process exits.
 * Each test sleeps for a number of seconds no other test uses, to find its own processes.
 */
class ProcessGroupTest {

    private static Engine engine(double graceSeconds) {
        return Engine.builder().nodes(List.of(NodeSpec.of("n1", 2, 4, 0, 0)))
                .executors(Map.of("process", new ProcessExecutor(Map.of(), (File) null, 16, graceSeconds)))
                .build().start();
    }

    private static WorkflowHandle submit(Engine engine, String script, Double timeoutSeconds) throws Exception {
        return engine.submit(WorkflowBuilder.workflow("p").id("w").task("a", t -> {
            t.kind("process").input("command", List.of("sh", "-c", script));
            if (timeoutSeconds != null) {
                t.timeoutSeconds(timeoutSeconds);
            }
        }).build());
    }

    /** Processes whose command line contains {@code marker}. */
    private static long running(String marker) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(marker)).count();
    }

    private static void awaitNone(String marker) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (running(marker) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50); // polling the process table: there is no event to wait on
        }
        assertThat(running(marker)).as("processes still running with '" + marker + "'").isZero();
    }

    @Test
    void aTimeoutStopsADaemonTheTaskLeftBehind() throws Exception {
        try (Engine engine = engine(1)) {
            WorkflowSnapshot done = submit(engine, "(sleep 1103 &); sleep 1104", 1.0).result().get(30, TimeUnit.SECONDS);
            assertThat(done.state()).isEqualTo(WorkflowState.FAILED);
            awaitNone("sleep 1103");
            awaitNone("sleep 1104");
        }
    }

    @Test
    void whatAFinishedTaskLeftRunningIsKilled() throws Exception {
        try (Engine engine = engine(1)) {
            WorkflowSnapshot done = submit(engine, "sleep 1201 & echo started", null).result().get(30, TimeUnit.SECONDS);
            assertThat(done.state()).isEqualTo(WorkflowState.FINISHED);
            assertThat(done.task("a").output().path("text").asText()).isEqualTo("started\n");
            awaitNone("sleep 1201");
        }
    }

    @Test
    void closingTheEngineStopsEveryGroup() throws Exception {
        Engine engine = engine(1);
        WorkflowHandle handle = submit(engine, "sleep 1501 & sleep 1502; wait", null);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (running("sleep 1501") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // the process table again: wait for the task to be under way
        }
        engine.close();
        assertThat(handle.result().get(10, TimeUnit.SECONDS).state()).isEqualTo(WorkflowState.CANCELLED);
        awaitNone("sleep 1501");
        awaitNone("sleep 1502");
    }

    @Test
    void aGroupThatIgnoresSigtermIsKilledAfterTheGrace() throws Exception {
        try (Engine engine = engine(0.5)) {
            WorkflowSnapshot done = submit(engine, "trap '' TERM; sleep 1301 & sleep 1302; wait", 0.5)
                    .result().get(30, TimeUnit.SECONDS);
            assertThat(done.state()).isEqualTo(WorkflowState.FAILED);
            awaitNone("sleep 1301");
        }
    }

    @Test
    void aMissingProgramIsStillReportedAsOne() throws Exception {
        try (Engine engine = engine(1)) {
            WorkflowSnapshot done = engine.submit(WorkflowBuilder.workflow("p").id("w")
                    .task("a", t -> t.kind("process").input("command", List.of("no-such-program-maze")))
                    .build()).result().get(30, TimeUnit.SECONDS);
            assertThat(done.task("a").error()).contains("cannot start").contains("no-such-program-maze");
        }
    }
}
