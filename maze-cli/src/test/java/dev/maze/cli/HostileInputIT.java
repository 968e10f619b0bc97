package dev.maze.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's hostile-input suite: the real {@code bin/maze} on a small heap ({@code MAZE_JAVA_OPTS=-Xmx256m}) against
 * each class of input that once hung, leaked, crashed or misled it — with inputs of this suite's own. Every case
 * asserts the exit code and the message, is bounded by its own deadline (a hang fails it), and after every case the
 * process table must hold none of the suite's markers (every process task's command carries a unique {@code sleep N}).
 */
class HostileInputIT {

    private static final Path HOME = Path.of(System.getProperty("maze.home", "..")).toAbsolutePath().normalize();
    /** Each process task of this suite sleeps a number of seconds from this range, so the process table tells its own. */
    private static final List<String> MARKERS = List.of("sleep 2311", "sleep 2312", "sleep 2313", "sleep 2314",
            "sleep 2315", "sleep 2316", "sleep 2317", "sleep 2318");

    @TempDir
    Path temp;

    record Result(int exitCode, String out, String err) {}

    private Result maze(Map<String, String> environment, int deadlineSeconds, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("bin/maze").toString());
        command.addAll(List.of(args));
        Path out = Files.createTempFile(temp, "out", ".txt");
        Path err = Files.createTempFile(temp, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(HOME.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("MAZE_MODEL_DIR", temp.resolve("models").toString());
        builder.environment().put("MAZE_JAVA_OPTS", "-Xmx256m");
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(deadlineSeconds, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("bin/maze " + String.join(" ", args) + " hung: not done in " + deadlineSeconds + " s");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(stderr).as("no stack trace reaches a user").doesNotContain("\tat ", "Exception in thread");
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), stderr);
    }

    private Result maze(String... args) throws IOException, InterruptedException {
        return maze(Map.of(), 120, args);
    }

    private Path file(String name, String content) throws IOException {
        return Files.writeString(temp.resolve(name), content);
    }

    @AfterEach
    void nothingIsLeftRunning() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (running() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100); // a killed process leaves the table a moment after maze exits
        }
        assertThat(running()).as("processes of this suite still running").isZero();
    }

    private static long running() {
        return ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(line -> MARKERS.stream().anyMatch(line::contains)).count();
    }

    // Item 1: durations beyond the longest Maze times are refused with their field, never wrapped.

    @Test
    void durationsBeyondTheLongestAreRefusedNamingEachField() throws Exception {
        Path workflow = file("durations.yaml", """
                name: durations
                deadline: 4.2e11
                tasks:
                  - {id: a, kind: sim, timeoutSeconds: 9.3e9, inputs: {seconds: 1}}
                  - {id: b, kind: sim, retries: {count: 2, backoffSeconds: 1e13}, inputs: {seconds: 1}}
                  - {id: c, kind: sim, inputs: {seconds: 7e20}}
                """);
        Result result = maze("run", workflow.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("invalid input (4 problems); nothing was run",
                "field 'deadline': must be at most 100000000 s", "task 'a', field 'timeoutSeconds'",
                "task 'b', field 'retries.backoffSeconds'", "task 'c', field 'inputs.seconds'");
    }

    // Item 2: process tasks leave nothing behind, whatever they start.

    @Test
    void aTimedOutTaskTakesWhatItDetachedWithIt() throws Exception {
        Path workflow = file("detached.yaml", """
                name: detached
                tasks:
                  - id: a
                    kind: process
                    timeoutSeconds: 1
                    inputs: {command: ["sh", "-c", "(sleep 2311 &); (nohup sleep 2312 >/dev/null 2>&1 &); sleep 2313"]}
                """);
        Result result = maze(Map.of(), 60, "run", "-q", workflow.toString(), "--config", killGrace(1).toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("timed out");
    }

    @Test
    void aFinishedTaskDoesNotLeaveItsBackgroundJobsRunning() throws Exception {
        Path workflow = file("background.yaml", """
                name: background
                tasks:
                  - id: a
                    kind: process
                    inputs: {command: ["sh", "-c", "sleep 2314 & sleep 2315 & echo started"]}
                """);
        Result result = maze("run", "-q", workflow.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
    }

    @Test
    void aTaskIgnoringSigtermIsKilledAfterTheGracePeriod() throws Exception {
        Path workflow = file("stubborn.yaml", """
                name: stubborn
                tasks:
                  - id: a
                    kind: process
                    timeoutSeconds: 1
                    inputs: {command: ["sh", "-c", "trap '' TERM; sleep 2316; sleep 2316"]}
                """);
        long start = System.nanoTime();
        Result result = maze(Map.of(), 60, "run", "-q", workflow.toString(), "--config", killGrace(2).toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("timeout + grace, not the sleep")
                .isLessThan(60);
    }

    private Path killGrace(double seconds) throws IOException {
        return file("grace.yaml", "executors:\n  process: {killGraceSeconds: " + seconds + "}\n");
    }

    // Item 3: output is capped while it streams, on a heap far smaller than the output.

    @Test
    void outputFarBeyondTheHeapFailsTheTaskWithTheCapInsteadOfRunningOutOfMemory() throws Exception {
        Path workflow = file("flood.yaml", """
                name: flood
                tasks:
                  - {id: out, kind: process, inputs: {command: ["sh", "-c", "head -c 1500000000 /dev/zero"]}}
                  - {id: err, kind: process, inputs: {command: ["sh", "-c", "head -c 600000000 /dev/zero >&2; echo fine"]}}
                """);
        Result result = maze(Map.of("MAZE_JAVA_OPTS", "-Xmx96m"), 120, "run", "--json", "-q", workflow.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("task 'out' failed: stdout exceeded 16 MB (executors.process.maxOutputMb)");
        assertThat(result.out().length()).isLessThan(20_000);
    }

    // Item 4: validation and runs stay near-linear at 100,000 tasks.

    @Test
    void aHundredThousandTaskChainWithFarTemplatesIsValidatedOnASmallHeap() throws Exception {
        StringBuilder json = new StringBuilder("{\"name\":\"long\",\"tasks\":[{\"id\":\"t0\",\"kind\":\"sim\",\"inputs\":{\"seconds\":0}}");
        for (int i = 1; i < 100_000; i++) {
            json.append(",{\"id\":\"t").append(i).append("\",\"kind\":\"sim\",\"dependsOn\":[\"t").append(i - 1)
                    .append("\"],\"inputs\":{\"seconds\":0,\"q\":\"{{tasks.t").append(i / 2).append(".output.text}}\"}}");
        }
        Path workflow = file("long.json", json.append("]}").toString());
        Result result = maze(Map.of("MAZE_MAX_FILE_MB", "64", "MAZE_JAVA_OPTS", "-Xmx400m"), 120, "validate",
                workflow.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("workflow 'long' (100000 tasks)");
    }

    @Test
    void aTwentyThousandTaskChainRuns() throws Exception {
        StringBuilder yaml = new StringBuilder("name: chain\ntasks:\n  - {id: t0, kind: sim, inputs: {seconds: 0}}\n");
        for (int i = 1; i < 20_000; i++) {
            yaml.append("  - {id: t").append(i).append(", kind: sim, dependsOn: t").append(i - 1)
                    .append(", inputs: {seconds: 0, q: \"{{tasks.t").append(i - 1).append(".output.text}}\"}}\n");
        }
        Result result = maze("run", "-q", "--json", file("chain.yaml", yaml.toString()).toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("\"completed\" : 1");
    }

    // Item 5: file size is Maze's own limit, checked before parsing.

    @Test
    void filesAboveTheLimitAreRefusedBeforeParsingNamingSizeAndOption() throws Exception {
        Path yaml = file("big.yaml", "name: big\ntasks:\n  - {id: a, kind: sim, inputs: {seconds: 1, note: \""
                + "y".repeat(12_000_000) + "\"}}\n");
        Path json = file("big.json", "{\"name\": \"big\", \"tasks\": [" + "{\"id\": \"a\"},".repeat(900_000) + "]}");
        for (Path big : List.of(yaml, json)) {
            Result result = maze(Map.of(), 30, "validate", big.toString());
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err()).contains(big.toString(), "more than the 8.0 MB Maze reads", "MAZE_MAX_FILE_MB");
        }
        Result raised = maze(Map.of("MAZE_MAX_FILE_MB", "abc"), 30, "validate", yaml.toString());
        assertThat(raised.exitCode()).isEqualTo(2);
        assertThat(raised.err()).contains("MAZE_MAX_FILE_MB");
    }

    // Item 6: absurd sizes are usage errors before anything is allocated; an unexpected error is one line, exit 3.

    @Test
    void absurdSizesAreUsageErrors() throws Exception {
        String[][] commands = {
                {"validate", "examples/llm-chain.yaml", "--gpus", "2147483647"},
                {"predictor", "generate", "--tool-type", "llm_process", "--rows", "1999999999", "--out", temp.resolve("g.csv").toString()},
                {"run", "examples/llm-chain.yaml", "--gpus", "4", "--memory-gb", "1e300"},
        };
        for (String[] command : commands) {
            Result result = maze(Map.of(), 60, command);
            assertThat(result.exitCode()).as(String.join(" ", command) + ": " + result.err()).isEqualTo(2);
        }
    }

    // Item 7: a dataset value out of range is refused before anything is written.

    @Test
    void aDatasetWithAnOutOfRangeValueIsRefusedAndTheModelDirectoryKeepsWorking() throws Exception {
        Path models = temp.resolve("models");
        Path bad = file("bad.csv", "prompt_length,exec_time\n10,1.5\n20,1e300\n");
        Result refused = maze("predictor", "train", "--tool-type", "llm_process", "--data", bad.toString(),
                "--model-dir", models.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("bad.csv", "exec_time");
        Result good = maze("predictor", "train", "--tool-type", "llm_process", "--data", "workloads/data/llm_process.csv",
                "--model-dir", models.toString());
        assertThat(good.exitCode()).as(good.err()).isZero();
        Result info = maze("predictor", "info", "--model-dir", models.toString(), "--json");
        assertThat(info.exitCode()).isZero();
        assertThat(info.out()).doesNotContain("Infinity", "NaN");
    }

    // Item 8: every numeric flag on its own, exit 2.

    @Test
    void eachNodeFlagIsCheckedOnItsOwn() throws Exception {
        String[][] flags = {{"--gpus", "-1"}, {"--cpus", "NaN"}, {"--memory-gb", "-Infinity"}, {"--gpu-memory-gb", "0"},
                {"--gpus", "2.5"}, {"--cpus", "1e9"}};
        for (String[] flag : flags) {
            String gpus = flag[0].equals("--gpus") ? flag[1] : "2";
            List<String> args = new ArrayList<>(List.of("validate", "examples/llm-chain.yaml", "--gpus", gpus));
            if (!flag[0].equals("--gpus")) {
                args.addAll(List.of(flag));
            }
            Result result = maze(Map.of(), 30, args.toArray(String[]::new));
            assertThat(result.exitCode()).isEqualTo(2);
            assertThat(result.err()).as(flag[1]).startsWith("maze: ").contains(flag[0]).hasLineCount(2);
        }
        Result infinite = maze(Map.of(), 30, "run", "examples/llm-chain.yaml", "--cpus", "Infinity");
        assertThat(infinite.exitCode()).isEqualTo(2);
        assertThat(infinite.err()).contains("--cpus");
    }

    // Item 9: messages quote a bounded excerpt of what they are about.

    @Test
    void aFailureAboutAHugeTemplatedArgumentQuotesAnExcerpt() throws Exception {
        Path workflow = file("quote.yaml", "name: quote\ntasks:\n"
                + "  - {id: a, kind: sim, inputs: {seconds: 0, output: {text: \"" + "z".repeat(2_000_000) + "\"}}}\n"
                + "  - {id: b, kind: process, dependsOn: a, inputs: {command: [\"sh\", \"-c\", \"sleep 2317; exit 4\", "
                + "\"{{tasks.a.output.text}}\"]}}\n");
        Result result = maze("run", "--json", workflow.toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).contains("task 'b' failed").contains("more characters");
        assertThat(result.out().length() + result.err().length()).isLessThan(30_000);
    }

    // Item 10: parse errors say what is wrong and where.

    @Test
    void filesThatAreNotUtf8OrAreCutShortSayWhere() throws Exception {
        Path latin = Files.write(temp.resolve("latin.yaml"),
                "name: d\u00e9j\u00e0\ntasks: []\n".getBytes(StandardCharsets.ISO_8859_1));
        Path binary = Files.write(temp.resolve("binary.json"), new byte[] {0x7b, (byte) 0xff, (byte) 0xfe, 0x00, 0x13});
        Path cut = file("cut.json", "{\"name\": \"cut\", \"tasks\": [{\"id\": \"a\", \"kind\": \"si");
        Result result = maze("validate", latin.toString(), binary.toString(), cut.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("latin.yaml: not UTF-8 text (the first byte that is not is at offset 7)",
                "binary.json: not UTF-8 text (the first byte that is not is at offset 1)",
                "cut.json: malformed JSON at line 1, column").doesNotContain("REDACTED", "StreamReadFeature");
        Path bom = Files.write(temp.resolve("bom.json"), ("\uFEFF{\"name\": \"bom\", \"tasks\": [{\"id\": \"a\", "
                + "\"kind\": \"sim\", \"inputs\": {\"seconds\": 1}}]}").getBytes(StandardCharsets.UTF_8));
        Result accepted = maze("validate", bom.toString());
        assertThat(accepted.exitCode()).as(accepted.err()).isZero();
        Result huge = maze("validate", file("huge.yaml", "name: h\ndeadline: 3e999\ntasks:\n"
                + "  - {id: a, kind: sim, inputs: {seconds: 1}}\n").toString());
        assertThat(huge.exitCode()).isEqualTo(2);
        assertThat(huge.err()).contains("field 'deadline'", "too large").doesNotContain("found Infinity");
    }

    // Item 11: generated ids never take a user's.

    @Test
    void aGeneratedIdDoesNotCollideWithAUsersId() throws Exception {
        Path anonymous = file("anonymous.yaml", "name: w\ntasks:\n  - {id: a, kind: sim, inputs: {seconds: 0}}\n");
        Path named = file("named.yaml", "id: w-1\nname: w\ntasks:\n  - {id: a, kind: sim, inputs: {seconds: 0}}\n");
        Result result = maze("run", "-q", "--json", anonymous.toString(), named.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("\"completed\" : 2");
    }

    // Item 13: a signal stops the run, says what had finished, and exits 128 + its number.

    @Test
    void sigintAndSighupStopTheRunWithTheirCodesAndASummary() throws Exception {
        Path workflow = file("long.yaml", """
                name: long
                tasks:
                  - id: a
                    kind: process
                    inputs: {command: ["sh", "-c", "sleep 2318 & sleep 2318; wait"]}
                """);
        for (String signal : List.of("INT", "HUP")) {
            Path err = temp.resolve("signal-" + signal + ".txt");
            Process process = new ProcessBuilder(HOME.resolve("bin/maze").toString(), "run", "-q", workflow.toString())
                    .directory(HOME.toFile()).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (running() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50); // the process table: no event says the task started
            }
            assertThat(running()).as("the task started").isPositive();
            new ProcessBuilder("kill", "-" + signal, String.valueOf(javaOf(process).pid())).start().waitFor();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(signal.equals("INT") ? 130 : 129);
            assertThat(Files.readString(err)).contains("maze: stopped by a signal: 0 finished, 0 failed, 1 cancelled of 1");
            nothingIsLeftRunning();
        }
    }

    /** bin/maze execs java, so the script's process is the JVM; this waits until it is. */
    private static ProcessHandle javaOf(Process process) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!process.info().command().orElse("").endsWith("java") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return process.toHandle();
    }

    // Item 14: one warning per distinct problem, not one per task.

    @Test
    void anUnwritableModelDirectoryIsReportedOnceWithACount() throws Exception {
        Path notADirectory = file("models-file", "a file where the model directory should be");
        StringBuilder yaml = new StringBuilder("name: many\ntasks:\n");
        for (int i = 0; i < 120; i++) {
            yaml.append("  - {id: t").append(i).append(", kind: sim, toolType: llm_process, inputs: {seconds: 0}}\n");
        }
        Result result = maze("run", "-q", file("many.yaml", yaml.toString()).toString(), "--model-dir",
                notADirectory.resolve("sub").toString());
        assertThat(result.err().lines().count()).as(result.err()).isLessThan(6);
    }
}
