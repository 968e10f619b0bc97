package dev.maze.core.exec;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.maze.core.engine.Engine;
import dev.maze.core.engine.TaskSnapshot;
import dev.maze.core.engine.TaskState;
import dev.maze.core.clock.WallClock;
import dev.maze.core.engine.WorkflowHandle;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowBuilder;
import dev.maze.core.workflow.WorkflowSpec;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes on the wall clock: output, failures, and that timeouts and cancels kill the whole process tree. */
class ProcessExecutorTest {

    @TempDir
    Path dir;

    private final Engine engine = Engine.builder()
            .clock(new WallClock())
            .nodes(List.of(NodeSpec.of("local", 4, 8, 0, 0)))
            .build()
            .start();

    @AfterEach
    void closeEngine() {
        engine.close();
    }

    /** A shell that starts a 60 s sleep in the background, publishes its PID atomically, and waits for it. */
    private List<String> sleeperCommand(Path pidFile) {
        Path tmp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
        return List.of("sh", "-c", "sleep 60 & echo $! > '" + tmp + "' && mv '" + tmp + "' '" + pidFile + "'; wait");
    }

    private static WorkflowSnapshot await(WorkflowHandle handle) throws Exception {
        return handle.result().get(20, SECONDS);
    }

    @Test
    void aTimeoutKillsTheProcessAndItsChildren() throws Exception {
        Path pidFile = dir.resolve("sleep.pid");
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("slow").id("slow")
                .task("sleeper", t -> t.kind("process").input("command", sleeperCommand(pidFile)).timeoutSeconds(1))
                .build());

        long pid = awaitPid(pidFile, Duration.ofSeconds(10));
        WorkflowSnapshot result = await(handle);

        assertThat(result.state()).isEqualTo(WorkflowState.FAILED);
        TaskSnapshot sleeper = result.task("sleeper");
        assertThat(sleeper.state()).isEqualTo(TaskState.FAILED);
        assertThat(sleeper.error()).contains("timed out").contains("1 s");
        assertThat(sleeper.finishedAt() - sleeper.startedAt()).as("stopped at its timeout, not after 60 s").isLessThan(10);
        assertProcessGone(pid);
    }

    @Test
    void cancellingAWorkflowKillsItsRunningProcesses() throws Exception {
        Path pidFile = dir.resolve("sleep.pid");
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("slow").id("slow")
                .task("sleeper", t -> t.kind("process").input("command", sleeperCommand(pidFile)))
                .task("after", t -> t.kind("process").dependsOn("sleeper").input("command", List.of("true")))
                .build());

        long pid = awaitPid(pidFile, Duration.ofSeconds(10));
        assertThat(engine.cancel("slow").get(10, SECONDS)).isTrue();
        WorkflowSnapshot result = await(handle);

        assertThat(result.state()).isEqualTo(WorkflowState.CANCELLED);
        assertThat(result.task("sleeper").state()).isEqualTo(TaskState.CANCELLED);
        assertThat(result.task("after").state()).isEqualTo(TaskState.CANCELLED);
        assertProcessGone(pid);
    }

    @Test
    void closingTheEngineKillsRunningProcesses() throws Exception {
        Path pidFile = dir.resolve("sleep.pid");
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("slow").id("slow")
                .task("sleeper", t -> t.kind("process").input("command", sleeperCommand(pidFile)))
                .build());

        long pid = awaitPid(pidFile, Duration.ofSeconds(10));
        engine.close();

        WorkflowSnapshot result = await(handle);
        assertThat(result.state()).isEqualTo(WorkflowState.CANCELLED);
        assertThat(result.error()).isEqualTo("engine closed");
        assertProcessGone(pid);
    }

    @Test
    void aNonZeroExitFailsTheTaskWithTheEndOfStderr() throws Exception {
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("bad").id("bad")
                .task("tool", t -> t.kind("process").input("command",
                        List.of("sh", "-c", "echo partial output; echo 'bad input on line 3' >&2; exit 3")))
                .build());
        WorkflowSnapshot result = await(handle);

        assertThat(result.state()).isEqualTo(WorkflowState.FAILED);
        assertThat(result.task("tool").error()).isEqualTo("exit code 3; stderr: bad input on line 3");
        assertThat(result.error()).isEqualTo("task 'tool' failed: exit code 3; stderr: bad input on line 3");
    }

    @Test
    void aLongStderrIsCutToItsTail() throws Exception {
        // "START", then 5,000 x's, then "THE END": only the last 2,000 characters are kept.
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("noisy").id("noisy")
                .task("tool", t -> t.kind("process").input("command", List.of("sh", "-c",
                        "printf START >&2; i=0; while [ $i -lt 100 ]; do printf %050d 0 | tr 0 x >&2; i=$((i+1)); done;"
                                + " echo 'THE END' >&2; exit 1")))
                .build());
        String error = await(handle).task("tool").error();

        assertThat(error).startsWith("exit code 1; stderr: ...").endsWith("THE END").doesNotContain("START");
        assertThat(error.length()).isLessThan(2100);
    }

    /**
     * Output that is not UTF-8 is passed on, since the program succeeded, but not silently changed: the task's output
     * says so, where, and holds the exact bytes. Latin-1 text, a truncated multi-byte character, raw binary.
     */
    @Test
    void stdoutThatIsNotUtf8SaysSoAndKeepsTheExactBytes() throws Exception {
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("bytes").id("bytes")
                .task("latin1", t -> t.kind("process").input("command", List.of("printf", "caf\\351\\n")))
                .task("cut", t -> t.kind("process").input("command", List.of("printf", "ok \\342\\202")))
                .task("binary", t -> t.kind("process").input("command", List.of("printf", "\\377\\376\\000\\001")))
                .task("fine", t -> t.kind("process").input("command", List.of("printf", "caf\\303\\251 \\342\\202\\254")))
                .build());
        WorkflowSnapshot result = await(handle);
        assertThat(result.state()).isEqualTo(WorkflowState.FINISHED);
        Object[][] expected = {
            {"latin1", 3, new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'}, "caf\uFFFD\n"},
            {"cut", 3, new byte[] {'o', 'k', ' ', (byte) 0xE2, (byte) 0x82}, "ok \uFFFD"},
            {"binary", 0, new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 1}, "\uFFFD\uFFFD\u0000\u0001"}};
        for (Object[] row : expected) {
            var output = result.task((String) row[0]).output();
            assertThat(output.get("text").asText()).as((String) row[0]).isEqualTo(row[3]);
            assertThat(java.util.Base64.getDecoder().decode(output.get("stdoutBase64").asText())).isEqualTo(row[2]);
            assertThat(output.get("warnings").get(0).asText()).isEqualTo("stdout is not UTF-8 (the first invalid byte is "
                    + "at offset " + row[1] + " of " + ((byte[]) row[2]).length + "): 'text' has U+FFFD in place of invalid "
                    + "bytes; 'stdoutBase64' holds the exact bytes");
        }
        var fine = result.task("fine").output();
        assertThat(fine.get("text").asText()).isEqualTo("caf\u00E9 \u20AC");
        assertThat(fine.has("stdoutBase64")).isFalse();
        assertThat(fine.has("warnings")).isFalse();
    }

    @Test
    void stdoutThatIsJsonIsParsedForSuccessors() throws Exception {
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("json").id("json")
                .task("produce", t -> t.kind("process").input("command",
                        List.of("sh", "-c", "printf '{\"answer\": 42, \"items\": [1, 2]}\\n'")))
                .task("consume", t -> t.kind("process").dependsOn("produce").input("command",
                        List.of("sh", "-c", "echo \"got $0\"", "{{tasks.produce.output.json.answer}}")))
                .task("plain", t -> t.kind("process").input("command", List.of("echo", "not json")))
                .build());
        WorkflowSnapshot result = await(handle);

        assertThat(result.state()).isEqualTo(WorkflowState.FINISHED);
        TaskSnapshot produce = result.task("produce");
        assertThat(produce.output().get("exitCode").asInt()).isZero();
        assertThat(produce.output().get("json").get("answer").asInt()).isEqualTo(42);
        assertThat(produce.output().get("json").get("items")).hasSize(2);
        assertThat(produce.output().get("text").asText()).isEqualTo("{\"answer\": 42, \"items\": [1, 2]}\n");
        assertThat(result.task("consume").output().get("text").asText()).isEqualTo("got 42\n");
        assertThat(result.task("plain").output().has("json")).isFalse();
        assertThat(result.task("plain").output().get("text").asText()).isEqualTo("not json\n");
    }

    @Test
    void stdinEnvironmentAndWorkingDirectoryReachTheProgram() throws Exception {
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("io").id("io")
                .task("tool", t -> t.kind("process")
                        .input("command", List.of("sh", "-c", "read line; echo \"$line $GREETING\"; pwd"))
                        .input("stdin", "hello\n")
                        .input("env", Map.of("GREETING", "there"))
                        .input("workingDir", dir.toString()))
                .build());
        WorkflowSnapshot result = await(handle);
        assertThat(result.task("tool").output().get("text").asText())
                .isEqualTo("hello there\n" + dir.toRealPath() + "\n");
    }

    @Test
    void aProgramThatCannotStartFailsWithTheReason() throws Exception {
        WorkflowHandle handle = engine.submit(WorkflowBuilder.workflow("missing").id("missing")
                .task("tool", t -> t.kind("process").input("command", List.of(dir.resolve("no-such-program").toString())))
                .build());
        assertThat(await(handle).task("tool").error()).startsWith("cannot start").contains("no-such-program");
    }

    @Test
    void malformedCommandsAreRejectedBeforeAnythingRuns() {
        WorkflowSpec spec = WorkflowBuilder.workflow("bad").id("bad")
                .task("none", t -> t.kind("process"))
                .task("empty", t -> t.kind("process").input("command", List.of()))
                .task("numbers", t -> t.kind("process").input("command", List.of("echo", 3)))
                .task("env", t -> t.kind("process").input("command", List.of("true")).input("env", List.of("A=1")))
                .build();
        assertThatThrownBy(() -> engine.submit(spec))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .extracting(error -> error.task() + " " + error.field())
                        .containsExactly("none inputs.command", "empty inputs.command", "numbers inputs.command[1]",
                                "env inputs.env"));
    }

    /** Waits, with a deadline and without polling, for the shell to publish the background PID. */
    private static long awaitPid(Path pidFile, Duration timeout) throws IOException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (WatchService watcher = pidFile.getFileSystem().newWatchService()) {
            pidFile.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            while (!Files.exists(pidFile)) {
                long left = deadline - System.nanoTime();
                WatchKey key = left > 0 ? watcher.poll(left, TimeUnit.NANOSECONDS) : null;
                if (key == null) {
                    throw new TimeoutException("no PID in " + pidFile + " after " + timeout);
                }
                key.pollEvents();
                key.reset();
            }
        } catch (ClosedWatchServiceException e) {
            throw new IllegalStateException(e);
        }
        return Long.parseLong(Files.readString(pidFile).strip());
    }

    /** The process must exit (awaited with a deadline) and not be alive afterwards. */
    private static void assertProcessGone(long pid) throws Exception {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isPresent()) {
            handle.get().onExit().get(10, SECONDS);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("process %d is still alive", pid).isFalse();
    }
}
