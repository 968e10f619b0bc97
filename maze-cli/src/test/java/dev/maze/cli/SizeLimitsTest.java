package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every count or size a user can type on the command line is bounded: beyond its bound it is a usage error (exit 2)
 * naming the option or the workload field, before anything is allocated or run, and never a stack trace or an
 * {@code OutOfMemoryError}.
 */
class SizeLimitsTest {

    @TempDir
    static Path temp;

    private static Path workload;

    @BeforeAll
    static void writeWorkload() throws Exception {
        workload = temp.resolve("wl.yaml");
        Files.writeString(workload, """
                name: wl
                cluster: {nodes: [{count: 2, cpu: 4, memoryGb: 32, gpus: 1, gpuMemoryGb: 80}]}
                types: [{name: t, tasks: [{id: a, duration: 1}]}]
                arrivals: {batch: {count: 40}}
                """);
    }

    private static InProcessMaze.Result refused(String... args) {
        long started = System.nanoTime();
        InProcessMaze.Result result = maze(args);
        assertThat(result.exitCode()).as(String.join(" ", args) + ": " + result.err()).isEqualTo(2);
        assertThat(result.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("OutOfMemory");
        assertThat(result.out()).isEmpty();
        assertThat((System.nanoTime() - started) / 1e9).as("refused before anything ran").isLessThan(10);
        return result;
    }

    @ParameterizedTest(name = "simulate --set {0}")
    @CsvSource(delimiter = '|', value = {
        "arrivalScale=1e9 | field 'arrivals.scale': a batch of 40 x scale 1.0E9 = 40,000,000,000 workflows; a run may "
                + "submit at most 1,000,000 workflows",
        "arrivals={batch: {count: 1000000000}} | field 'arrivals.batch.count': expected a whole number from 1 to 1,000,000",
        "arrivals.batch.count=2000000 | field 'arrivals.batch.count': expected a whole number from 1 to 1,000,000",
        "arrivals={phases: [{durationSeconds: 1e8, rate: 1}]} | field 'arrivals.phases': the phases' rates x durations "
                + "expect 100,000,000 workflows a run",
        "cluster.nodes.0.count=1e6 | field 'cluster.nodes[0].count': expected a whole number from 1 to 100,000",
        "cluster.nodes.0.gpus=100000 | field 'cluster.nodes[0].gpus': expected a whole number from 0 to 1,024",
        "types.t.tasks.a.resources={gpus: 1e19} | field 'resources.gpus': expected a whole number from 0 to 1,024"})
    void anAbsurdWorkloadSizeIsRefusedNamingTheField(String override, String expected) {
        InProcessMaze.Result result = refused("simulate", workload.toString(), "-q", "--set", override);
        assertThat(result.err()).contains("nothing was run").contains(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "simulate WL --seeds 0 | --seeds must be from 1 to 1000, was 0",
        "simulate WL --seeds 1001 | --seeds must be from 1 to 1000, was 1001",
        "simulate WL --seeds 1000000000 | --seeds must be from 1 to 1000, was 1000000000",
        "simulate WL --seeds 1e9 | '1e9' is not an int",
        "simulate WL --seed 9223372036854775800 --seeds 10 | runs past the largest seed",
        "simulate WL --sample-seconds 0 | --sample-seconds must be a positive number of seconds up to 100,000,000, was 0.0",
        "simulate WL --sample-seconds -1 | --sample-seconds must be a positive number of seconds",
        "simulate WL --sample-seconds NaN | --sample-seconds must be a positive number of seconds",
        "simulate WL --sample-seconds 1e300 | --sample-seconds must be a positive number of seconds up to 100,000,000, was 1.0E300",
        "bench overhead --workflows 0 | --workflows must be from 1 to 1000000, was 0",
        "bench overhead --workflows 2000000 | --workflows must be from 1 to 1000000, was 2000000",
        "bench overhead --workflows 1 --tasks 300000 | --tasks must be from 1 to 200000, was 300000",
        "bench overhead --tasks 5000 | --workflows x --tasks must be at most 2000000 tasks in all, was 50000000",
        "bench overhead --workflows 1000000 --tasks 10 | --workflows x --tasks must be at most 2000000 tasks in all, was 10000000",
        "bench overhead --nodes 16,0 | --nodes must be from 1 to 100000, was 0",
        "bench overhead --nodes 1000000 | --nodes must be from 1 to 100000, was 1000000",
        "bench overhead --repeat 1000 | --repeat must be from 1 to 100, was 1000",
        "demo --copies 0 | --copies must be from 1 to 1000, was 0",
        "demo --copies 100000 | --copies must be from 1 to 1000, was 100000",
        "predictor bench --rows 2000000000 | --rows must be from 10 to 10000000, was 2000000000",
        "predictor bench --batches 0 | --batches must be from 1 to 10000, was 0",
        "predictor bench --batch-calls 2000000000 | --batch-calls must be from 1 to 10000000, was 2000000000",
        "predictor bench --warm-up-batches -1 | --warm-up-batches must be from 0 to 10000, was -1",
        "predictor generate --tool-type llm_process --rows 0 --out never.csv | --rows must be from 1 to 10000000, was 0"})
    void anAbsurdCountOnTheCommandLineIsAUsageErrorNamingTheOption(String command, String expected) {
        List<String> args = new ArrayList<>();
        for (String word : command.split(" ")) {
            args.add(word.equals("WL") ? workload.toString() : word.equals("never.csv")
                    ? temp.resolve("never.csv").toString() : word);
        }
        InProcessMaze.Result result = refused(args.toArray(String[]::new));
        assertThat(result.err()).contains(expected);
        assertThat(temp.resolve("never.csv")).doesNotExist();
    }

    @Test
    void theChartsOfARunAsLongAsTheLongestDurationAreDrawnOnACoarserGrid() throws Exception {
        Path longRun = temp.resolve("long.yaml");
        Files.writeString(longRun, """
                name: long
                cluster: {nodes: [{count: 2, cpu: 4, memoryGb: 32, gpus: 1, gpuMemoryGb: 80}]}
                models: {m: {memoryGb: 40, loadSeconds: 100000000}}
                types:
                  - {name: t, tasks: [{id: a, duration: 100000000}, {id: b, model: m, duration: 100000000, dependsOn: a}]}
                arrivals: {trace: [0, 99999999, 100000000]}
                """);
        Path out = temp.resolve("long-out");
        // 0.001 s over about 3e8 s would be 3e11 points a chart line; at most 10,000 are drawn.
        InProcessMaze.Result result = maze("simulate", longRun.toString(), "-q", "--policy", "daps,mars", "--out",
                out.toString(), "--sample-seconds", "0.001");
        assertThat(result.exitCode()).as(result.err()).isZero();
        for (String chart : List.of("gpu-utilisation.png", "queue-length.png", "latency-cdf.png")) {
            assertThat(Files.size(out.resolve(chart))).as(chart).isPositive();
        }
        assertThat(Files.readString(out.resolve("workflows.csv")).lines()).hasSize(1 + 2 * 3);
    }
}
