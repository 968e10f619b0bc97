package dev.maze.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code bin/maze} script end to end, as a user types it: real JVMs, real processes, examples/. */
class MazeCliIT {

    private static final Path HOME = Path.of(System.getProperty("maze.home", "..")).toAbsolutePath().normalize();

    @TempDir
    Path temp;

    record Result(int exitCode, String out, String err) {}

    private Result maze(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(HOME.resolve("bin/maze").toString());
        command.addAll(List.of(args));
        Path out = temp.resolve("out.txt");
        Path err = temp.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(HOME.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("MAZE_MODEL_DIR", temp.resolve("models").toString()); // not the user's own models
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("bin/maze " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void aSignalStopsTheRunSaysWhatItHadDoneAndLeavesNothingRunning() throws Exception {
        Path workflow = temp.resolve("long.yaml");
        Files.writeString(workflow, "name: long\ntasks:\n  - id: a\n    kind: process\n"
                + "    inputs: {command: [\"sh\", \"-c\", \"sleep 1701 & sleep 1702; wait\"]}\n");
        Path err = temp.resolve("signal-err.txt");
        Process process = new ProcessBuilder(HOME.resolve("bin/maze").toString(), "run", workflow.toString(), "-q")
                .directory(HOME.toFile()).redirectErrorStream(false).redirectError(err.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (running("sleep 1701") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50); // the process table: no event says the task started
        }
        assertThat(running("sleep 1701")).as("the task started").isPositive();
        process.destroy(); // SIGTERM
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as("128 + SIGTERM").isEqualTo(143);
        assertThat(Files.readString(err)).contains("maze: stopped by a signal: 0 finished, 0 failed, 1 cancelled of 1");
        assertThat(running("sleep 1701") + running("sleep 1702")).as("nothing left running").isZero();
    }

    private static long running(String marker) {
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(marker)).count();
    }

    @Test
    void printsVersionAndHelp() throws Exception {
        Result version = maze("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("maze ");
        Result help = maze("run", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--policy", "--gpus", "--json", "daps", "fcfs", "agent");
    }

    @Test
    void validatesTheExamples() throws Exception {
        Result result = maze("validate", "examples/llm-chain.yaml", "examples/parallel-research.yaml",
                "examples/vlm-caption.yaml", "examples/speech-qa.yaml", "examples/failing-tool.yaml", "--gpus", "1");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("ok  examples/llm-chain.yaml: workflow 'llm-chain' (5 tasks)");
    }

    @Test
    void rejectsInvalidWorkflowsWithExitCode2AndRunsNothing() throws Exception {
        Path marker = temp.resolve("ran");
        Path file = temp.resolve("bad.yaml");
        Files.writeString(file, """
                name: bad
                tasks:
                  - id: touch
                    kind: process
                    inputs: {command: ["touch", "%s"]}
                  - id: summary
                    kind: sim
                    dependsOn: sumary
                    inputs: {seconds: 1}
                """.formatted(marker));
        Result result = maze("run", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("task 'summary'", "field 'dependsOn'", "did you mean 'summary'?");
        assertThat(marker).doesNotExist();
    }

    @Test
    void reportsMalformedYamlWithLineAndColumn() throws Exception {
        Path file = temp.resolve("broken.yaml");
        Files.writeString(file, "name: x\ntasks:\n  - id: a\n    kind: [sim\n");
        Result result = maze("validate", file.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("broken.yaml", "malformed YAML at line");
    }

    @Test
    void runPrintsAMachineReadableSummaryAndExits1WhenAWorkflowFails() throws Exception {
        Result result = maze("run", "--json", "--gpus", "2", "examples/llm-chain.yaml", "examples/failing-tool.yaml");
        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        JsonNode summary = JsonMapper.builder().build().readTree(result.out());
        assertThat(summary.get("completed").asInt()).isEqualTo(1);
        assertThat(summary.get("failed").asInt()).isEqualTo(1);
        JsonNode workflows = summary.get("workflows");
        assertThat(workflows).hasSize(2);
        assertThat(workflows.get(0).get("name").asText()).isEqualTo("llm-chain");
        assertThat(workflows.get(0).get("status").asText()).isEqualTo("FINISHED");
        assertThat(workflows.get(0).get("latencySeconds").asDouble()).isGreaterThan(0);
        assertThat(workflows.get(1).get("status").asText()).isEqualTo("FAILED");
        assertThat(workflows.get(1).get("error").asText()).contains("call_api", "quota exceeded");
        for (String field : List.of("latencyP50", "latencyP95", "latencyP99", "throughputPerMin", "gpuBusyPercent")) {
            assertThat(summary.has(field)).as(field).isTrue();
        }
        assertThat(result.err()).contains("failing-tool", "retrying");
    }

    @Test
    void runExits0WhenAllWorkflowsFinish() throws Exception {
        Result result = maze("run", "--gpus", "2", "--policy", "fcfs", "examples/speech-qa.yaml", "examples/vlm-caption.yaml");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("2 workflows: 2 finished, 0 failed", "p95");
    }

    @Test
    void runLearnsRunTimesIntoTheModelDirectory() throws Exception {
        Result run = maze("run", "--gpus", "2", "-q", "examples/llm-chain.yaml", "examples/speech-qa.yaml");
        assertThat(run.exitCode()).as(run.err()).isZero();
        // MAZE_MODEL_DIR points at this test's folder: every finished model call became a sample there.
        assertThat(temp.resolve("models/llm_process/dataset.csv")).exists();
        Result info = maze("predictor", "info", "--json");
        assertThat(info.exitCode()).as(info.err()).isZero();
        assertThat(info.out()).contains("\"toolType\" : \"llm_process\"").contains("\"toolType\" : \"speech_process\"");
    }

    @Test
    void rejectsAnUnknownPolicy() throws Exception {
        Result result = maze("run", "--policy", "fastest", "examples/speech-qa.yaml");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown policy 'fastest'", "daps");
    }

    @Test
    void demoRunsTheMixedBatch() throws Exception {
        Result result = maze("demo", "--copies", "1");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("llm-chain", "parallel-research", "vlm-caption", "speech-qa", "failing-tool",
                "ask-and-summarize", "6 workflows: 5 finished, 1 failed");
        assertThat(result.err()).contains("cancelled", "started maze fake-llm on http://127.0.0.1:");
    }

    @Test
    void benchOverheadReportsMicrosecondsPerTask() throws Exception {
        Result result = maze("bench", "overhead", "--workflows", "300", "--repeat", "1", "--json");
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode bench = JsonMapper.builder().build().readTree(result.out());
        assertThat(bench.get("microsPerTaskMedian").asDouble()).isPositive();
        assertThat(bench.get("tasksPerSecond").asLong()).isPositive();
    }
    @Test
    void simulateComparesProfilesOnMazeDynamicAndWritesCharts() throws Exception {
        Path out = temp.resolve("results");
        Result result = maze("simulate", "workloads/maze-dynamic.yaml", "--policy", "daps,mars,agent", "--seeds", "2",
                "--json", "-q", "--out", out.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode profiles = JsonMapper.builder().build().readTree(result.out());
        assertThat(profiles).hasSize(3);
        assertThat(profiles.get(0).get("policy").asText()).isEqualTo("daps");
        for (JsonNode profile : profiles) {
            assertThat(profile.get("completed").asDouble()).isPositive();
            assertThat(profile.get("latencyP95").asDouble()).isPositive();
            assertThat(profile.get("phases")).hasSize(5);
        }
        // The paper's shape: task-level DAPS has a far lower tail than agent-level scheduling.
        assertThat(profiles.get(0).get("latencyP95").asDouble()).isLessThan(profiles.get(2).get("latencyP95").asDouble());
        assertThat(out.resolve("summary.json")).isNotEmptyFile();
        assertThat(out.resolve("workflows.csv")).isNotEmptyFile();
        try (var files = Files.list(out)) {
            assertThat(files.filter(f -> f.toString().endsWith(".png")).count()).isEqualTo(4);
        }
    }

    @Test
    void simulateRejectsAnUnknownProfileWithExitCode2() throws Exception {
        Result result = maze("simulate", "workloads/maze-dynamic.yaml", "--policy", "daps,fastest");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("fastest", "mars");
    }

    @Test
    void predictorGeneratesADataSetAndEvaluatesTheRegressorsOnIt() throws Exception {
        Path data = temp.resolve("vlm.csv");
        Result generate = maze("predictor", "generate", "--tool-type", "vlm_process", "--rows", "400", "--seed", "42",
                "--out", data.toString());
        assertThat(generate.exitCode()).as(generate.err()).isZero();
        assertThat(Files.readAllLines(data)).hasSize(401);
        Result eval = maze("predictor", "eval", "--tool-type", "vlm_process", "--data", data.toString(), "--json");
        assertThat(eval.exitCode()).as(eval.err()).isZero();
        JsonNode scores = JsonMapper.builder().build().readTree(eval.out());
        assertThat(scores).hasSize(4);
        List<String> regressors = new ArrayList<>();
        for (JsonNode score : scores) {
            regressors.add(score.get("regressor").asText());
            assertThat(score.get("r2").isNumber()).isTrue();
            assertThat(score.get("testRows").asInt()).isEqualTo(80);
        }
        assertThat(regressors).containsExactly("gbt", "mlp", "linear", "heuristic");
        // The jar grants native access, so XGBoost's JNI library loads without the JDK's warning.
        assertThat(eval.err()).doesNotContain("WARNING");
    }

    @Test
    void predictorEvalRejectsAMalformedCsvWithExitCode2() throws Exception {
        Path data = temp.resolve("bad.csv");
        Files.writeString(data, "duration,audio_entropy,audio_energy,exec_time\n12,0.5,0.05,3.1\n9,high,0.04,2.2\n");
        Result result = maze("predictor", "eval", "--tool-type", "speech_process", "--data", data.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("bad.csv line 3, column 'audio_entropy': 'high' is not a number");
    }
}
