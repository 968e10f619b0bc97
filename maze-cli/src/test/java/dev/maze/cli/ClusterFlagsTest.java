package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each numeric node flag is checked on its own: out of range, NaN or infinite is a usage error (exit 2) naming it. */
class ClusterFlagsTest {

    @TempDir
    Path temp;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "--gpus, -3", "--gpus, 2147483647", "--cpus, 0", "--cpus, -1", "--cpus, NaN", "--cpus, Infinity",
        "--cpus, 1e9", "--memory-gb, -5", "--memory-gb, NaN", "--memory-gb, 1e300", "--gpu-memory-gb, 0",
        "--gpu-memory-gb, NaN", "--gpu-memory-gb, -Infinity"})
    void aBadValueIsAUsageErrorNamingItsFlag(String flag, String value) throws Exception {
        Path workflow = temp.resolve("w.yaml");
        Files.writeString(workflow, "name: w\ntasks:\n  - {id: a, kind: sim, inputs: {seconds: 0}}\n");
        for (String command : new String[] {"validate", "run"}) {
            InProcessMaze.Result result = maze(command, workflow.toString(), flag + "=" + value);
            assertThat(result.exitCode()).as(command + " " + flag + " " + value + ": " + result.err()).isEqualTo(2);
            assertThat(result.err()).as(command).contains(flag + ": expected").doesNotContain("Exception");
        }
    }
}
