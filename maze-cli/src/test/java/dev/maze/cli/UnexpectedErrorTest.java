package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** No stack trace reaches a user: an unexpected error is one line naming a log file, with an exit code of its own. */
class UnexpectedErrorTest {

    @Test
    void anUnexpectedErrorIsOneLineWithTheLogFileAndExitCode3() throws Exception {
        StringWriter text = new StringWriter();
        int code = MazeCommand.unexpected(new OutOfMemoryError("Java heap space"), new PrintWriter(text, true));

        assertThat(code).isEqualTo(3);
        String line = text.toString().strip();
        assertThat(line.lines()).hasSize(1);
        assertThat(line).startsWith("maze: unexpected error (OutOfMemoryError: Java heap space); details in ")
                .endsWith("; exit code 3");
        Path log = Path.of(line.substring(line.indexOf("details in ") + 11, line.indexOf("; exit code")));
        assertThat(Files.readString(log)).contains("java.lang.OutOfMemoryError: Java heap space")
                .contains("UnexpectedErrorTest");
        Files.delete(log);
    }

    @Test
    void anAbsurdSizeIsRefusedBeforeAnythingIsAllocated() {
        InProcessMaze.Result result = maze("predictor", "generate", "--tool-type", "llm_process", "--rows", "2000000000",
                "--out", "/tmp/never-written.csv");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--rows must be from 1 to 10000000, was 2000000000");
    }
}
