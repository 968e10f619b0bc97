package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maze run} says why a task has waited longer than a few seconds (wall clock: this test takes ~8 s). */
class RunWaitingTest {

    @TempDir
    Path temp;

    @Test
    void aTaskThatWaitsLongSaysWhy() throws Exception {
        Path workflow = temp.resolve("wait.yaml");
        Files.writeString(workflow, """
                name: wait
                id: w
                tasks:
                  - {id: first, kind: sim, resources: {gpus: 1, model: qwen3-32b}, inputs: {seconds: 7.5}}
                  - {id: second, kind: sim, resources: {gpus: 1, model: qwen3-32b}, inputs: {seconds: 0.1}}
                """);
        InProcessMaze.Result result = maze("run", workflow.toString(), "--gpus", "1", "--predictor", "heuristic");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).containsPattern("w task '(first|second)' waiting \\d+ s: needs 1 core, 1 GPU, model "
                + "qwen3-32b: 1 node has fewer free GPUs; holds the reservation on local");
    }
}
