package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model directory that cannot be written gives one warning per distinct problem and a count, not one per task. */
class WarningFloodTest {

    @TempDir
    Path temp;

    @Test
    void oneWarningPerProblemWithACount() throws Exception {
        Path notADirectory = temp.resolve("file");
        Files.writeString(notADirectory, "");
        StringBuilder tasks = new StringBuilder("name: many\ntasks:\n");
        for (int i = 0; i < 40; i++) {
            tasks.append("  - {id: t").append(i).append(", kind: sim, toolType: llm_process, inputs: {seconds: 0}}\n");
        }
        Path workflow = temp.resolve("many.yaml");
        Files.writeString(workflow, tasks);
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertThat(maze("run", workflow.toString(), "-q", "--model-dir", notADirectory.resolve("models").toString())
                    .exitCode()).isZero();
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        long lines = log.lines().filter(line -> line.contains("cannot save llm_process samples")).count();
        assertThat(lines).as(log).isEqualTo(2);
        assertThat(log).contains("(repeats are counted, not printed)").contains("(40 times in all)");
    }
}
