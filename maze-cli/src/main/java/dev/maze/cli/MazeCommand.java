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
                BenchCommand.class, PredictorCommand.class},
        footer = {"", "Exit codes: 0 all workflows succeeded, 1 some workflow failed, 2 invalid input."})
public final class MazeCommand implements Runnable {

    static {
        // One profile registry for run and simulate; the profiles whose predictor lives in maze-predict join it here.
        LearnedProfiles.register();
    }

    /** Exit code when input is invalid (nothing was executed). */
    static final int EXIT_INVALID = 2;
    /** Exit code when some workflow failed or was cancelled. */
    static final int EXIT_FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
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
