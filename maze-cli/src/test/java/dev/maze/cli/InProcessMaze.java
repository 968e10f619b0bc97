package dev.maze.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.UnaryOperator;
import picocli.CommandLine;

/** Runs {@code maze ...} in this JVM through the real command line, capturing its exit code and output. */
final class InProcessMaze {

    record Result(int exitCode, String out, String err) {}

    private InProcessMaze() {}

    static Result maze(String... args) {
        return maze(UnaryOperator.identity(), args);
    }

    /** As {@link #maze(String...)}, on the command line as {@code configure} leaves it (e.g. with a type converter). */
    static Result maze(UnaryOperator<CommandLine> configure, String... args) {
        var commandLine = configure.apply(MazeCommand.commandLine());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new Result(commandLine.execute(args), out.toString(), err.toString());
    }
}
