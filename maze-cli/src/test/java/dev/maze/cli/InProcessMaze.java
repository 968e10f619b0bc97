package dev.maze.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code maze ...} in this JVM through the real command line, capturing its exit code and output. */
final class InProcessMaze {

    record Result(int exitCode, String out, String err) {}

    private InProcessMaze() {}

    static Result maze(String... args) {
        var commandLine = MazeCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new Result(commandLine.execute(args), out.toString(), err.toString());
    }
}
