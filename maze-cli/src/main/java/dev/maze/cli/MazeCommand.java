package dev.maze.cli;

import dev.maze.predict.LearnedProfiles;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code maze} command. */
@Command(
        name = "maze",
        mixinStandardHelpOptions = true,
        versionProvider = MazeCommand.Version.class,
        description = "Task-level scheduler for LLM agent workflows.",
        subcommands = {RunCommand.class, ValidateCommand.class, DemoCommand.class, SimulateCommand.class,
                BenchCommand.class, PredictorCommand.class, FakeLlmCommand.class, ServerCommand.class, SubmitCommand.class,
                StatusCommand.class, CancelCommand.class, LogsCommand.class, PlanCommand.class,
                PlaceCommand.class, ExploreCommand.class},
        footer = {"", "Exit codes: 0 all workflows succeeded, 1 some workflow failed, 2 invalid input, 3 Maze failed "
                + "unexpectedly (one line names the log file with the details); 128 + N when signal N stopped it."})
public final class MazeCommand implements java.util.concurrent.Callable<Integer> {

    static {
        // One profile registry for run and simulate; the profiles whose predictor lives in maze-predict join it here.
        LearnedProfiles.register();
    }

    /** Exit code when input is invalid (nothing was executed). */
    static final int EXIT_INVALID = 2;
    /** Exit code when some workflow failed or was cancelled. */
    static final int EXIT_FAILED = 1;
    /** Exit code when Maze itself failed (a bug, or the machine ran out of memory): the details go to a log file. */
    static final int EXIT_UNEXPECTED = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code maze} alone: the usage on stderr and exit 2 (a script that forgot its command must not see success). */
    @Override
    public Integer call() {
        return missingCommand(spec);
    }

    /**
     * What a command that needs a subcommand does without one: says so and prints its usage, on stderr.
     *
     * @return {@link #EXIT_INVALID}
     */
    static int missingCommand(CommandLine.Model.CommandSpec spec) {
        CommandLine line = spec.commandLine();
        line.getErr().println(spec.qualifiedName() + ": missing command; give one of "
                + String.join(", ", line.getSubcommands().keySet()));
        line.getErr().println();
        line.usage(line.getErr());
        line.getErr().flush();
        return EXIT_INVALID;
    }

    public static void main(String[] args) {
        int exitCode;
        try {
            exitCode = commandLine().execute(args);
        } catch (Throwable e) { // what picocli lets through (an Error): still one line, never a stack trace
            exitCode = unexpected(e, new java.io.PrintWriter(System.err, true));
        }
        System.exit(exitCode);
    }

    /**
     * An error nobody anticipated: one line for the user, the stack trace in a log file they can attach to a report.
     *
     * @return {@link #EXIT_UNEXPECTED}
     */
    static int unexpected(Throwable error, java.io.PrintWriter err) {
        String where;
        try {
            java.nio.file.Path log = java.nio.file.Files.createTempFile("maze-error-", ".log");
            try (java.io.PrintWriter out = new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(log))) {
                error.printStackTrace(out);
            }
            where = "details in " + log;
        } catch (Throwable e) {
            where = "no log could be written (" + e + ")";
        }
        err.println("maze: unexpected error (" + error.getClass().getSimpleName()
                + (error.getMessage() == null ? "" : ": " + dev.maze.core.exec.Excerpt.of(error.getMessage())) + "); "
                + where + "; exit code " + EXIT_UNEXPECTED);
        err.flush();
        return EXIT_UNEXPECTED;
    }

    /** The configured command line (also used by tests). */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new MazeCommand());
        // A usage error prints one line and a hint, not the whole help page.
        commandLine.setParameterExceptionHandler((exception, args) -> {
            CommandLine line = exception.getCommandLine();
            line.getErr().println("maze: " + exception.getMessage());
            line.getErr().println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for more information.");
            return EXIT_INVALID;
        });
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            // The commands' own errors carry a message a user can act on; anything else is Maze's fault.
            boolean explained = exception.getMessage() != null && (exception instanceof IllegalArgumentException
                    || exception instanceof IllegalStateException || exception instanceof java.io.IOException
                    || exception instanceof java.io.UncheckedIOException);
            if (!explained) {
                return unexpected(exception, line.getErr());
            }
            line.getErr().println("maze: " + exception.getMessage());
            return EXIT_FAILED;
        });
        return commandLine;
    }

    /** Reads the version Maven wrote into the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = MazeCommand.class.getResourceAsStream("/maze-version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"maze " + properties.getProperty("version", "unknown"),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
