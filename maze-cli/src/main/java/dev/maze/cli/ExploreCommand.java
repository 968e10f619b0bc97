package dev.maze.cli;

import dev.maze.core.clock.WallClock;
import dev.maze.core.engine.Engine;
import dev.maze.core.node.LocalNode;
import dev.maze.explore.run.ContainerExecutor;
import dev.maze.explore.run.ExploreConfig;
import dev.maze.explore.run.Exploration;
import dev.maze.explore.run.TreeReport;
import dev.maze.explore.run.WorkflowBackend;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code maze explore CONFIG}: runs an exploration (maze-explore, "Runner") until its budget is spent, resuming one
 * that stopped; {@code maze explore status CONFIG} shows one; {@code maze explore bench} measures the schedulers.
 */
@Command(name = "explore", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {ExploreStatusCommand.class, ExploreBenchmarkCommand.class},
        description = {"Grow a tree of sandboxed experiments in parallel loops until a budget is spent.",
                "CONFIG (YAML/JSON) names the commands that propose, run and evaluate an",
                "experiment, the scheduler, the loops, the budget and the sandbox.",
                "Its directory keeps the journal, the time used, every experiment's workspace",
                "and logs, and tree.json / tree.html: running CONFIG again resumes. Each",
                "experiment runs as a Maze workflow on an engine in this process, or on",
                "--server; progress goes to stderr."},
        footer = {"", "Exit codes: 0 the budget is spent (or nothing is left), 1 the run failed or was interrupted, "
                + "2 invalid input or no command."})
final class ExploreCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG", description = "The exploration's YAML/JSON file.")
    Path config;

    @Option(names = "--directory", paramLabel = "DIR",
            description = "Keep the exploration in DIR instead of the configuration's directory (default: CONFIG's "
                    + "name with .explore, next to it).")
    Path directory;

    @Option(names = "--server", paramLabel = "URL",
            description = "Submit each experiment's workflow to this Maze server instead of running an engine here; "
                    + "the server must see the exploration's directory at the same path and allow its programs.")
    String server;

    @CommandLine.Mixin
    ServerOptions.DataDir dataDir;

    @Option(names = "--json", description = "Print the tree (tree.json) on stdout at the end instead of the summary.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on stderr.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without CONFIG or a subcommand: the usage on stderr and exit 2, as for any other usage error (nothing ran). */
    @Override
    public Integer call() throws Exception {
        if (config == null) {
            return MazeCommand.missingCommand(spec);
        }
        ExploreConfig settings = read(spec, config, directory);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        java.util.function.Consumer<String> progress = quiet ? line -> { } : line -> {
            err.println(line);
            err.flush();
        };
        WorkflowBackend backend = backend(settings);
        Exploration exploration;
        try {
            exploration = new Exploration(settings, backend, WallClock.sinceEpoch(), progress);
        } catch (dev.maze.explore.JournalException | IllegalArgumentException e) {
            backend.close();
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        try (exploration) {
            exploration.warnings().forEach(w -> progress.accept("maze explore: warning: " + w));
            progress.accept("maze explore: " + settings.name() + " in " + settings.directory() + ": "
                    + TreeReport.summary(exploration.scheduler().snapshot()));
            exploration.sandboxReport().forEach(line -> progress.accept("maze explore: sandbox " + line));
            Thread main = Thread.currentThread();
            Thread hook = new Thread(() -> {
                exploration.stop("interrupted");
                try {
                    main.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(hook);
            exploration.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is waiting for us
            }
            if (json) {
                out.println(Files.readString(settings.directory().resolve("tree.json")));
            } else {
                out.println(settings.name() + ": " + TreeReport.summary(exploration.scheduler().snapshot()));
                out.print(TreeReport.text(exploration.scheduler().snapshot()));
                out.println("stopped: " + exploration.stoppedBecause() + "; tree in "
                        + settings.directory().resolve("tree.html") + " and tree.json");
            }
            out.flush();
            return "interrupted".equals(exploration.stoppedBecause()) ? MazeCommand.EXIT_FAILED : 0;
        }
    }

    /**
     * An engine in this process (one local node, its CPUs; with the container executor when the sandbox runs
     * containers), or the server of --server.
     */
    private WorkflowBackend backend(ExploreConfig settings) {
        String image = settings.sandbox().image();
        if (server == null) {
            Engine.Builder engine = Engine.builder().clock(WallClock.sinceEpoch())
                    .nodes(List.of(LocalNode.detect("local", 0, 0)));
            if (image != null) {
                try {
                    engine.executor(ContainerExecutor.connect(settings.sandbox().engineHost()));
                } catch (IllegalStateException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), settings.file()
                            + ": sandbox: container: " + e.getMessage());
                }
            }
            return WorkflowBackend.embedded(engine.build().start());
        }
        if (image != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--server: " + settings.file() + " runs its "
                    + "experiments in containers (sandbox.container) through this machine's engine; the server has "
                    + "no container executor: leave out --server, or sandbox.container");
        }
        ServerOptions.Client client = new ServerOptions.Client();
        client.server = server;
        client.dataDir = dataDir;
        ServerOptions.Api api = client.api(spec);
        try {
            api.get("/api/v1/workflows?limit=1"); // a wrong URL or token is a usage error now, not a failed experiment
        } catch (ServerOptions.ApiException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--server: " + e.getMessage());
        }
        return new ServerBackend(api);
    }

    /** The configuration, or a usage error naming the file and field. */
    static ExploreConfig read(CommandLine.Model.CommandSpec spec, Path file, Path directory) throws java.io.IOException {
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "CONFIG '" + file
                    + "' does not exist or is not a file");
        }
        try {
            ExploreConfig config = ExploreConfig.read(file);
            return directory == null ? config : config.withDirectory(directory);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
