package dev.maze.cli;

import dev.maze.core.clock.WallClock;
import dev.maze.core.endpoint.ModelRegistry;
import dev.maze.core.engine.Engine;
import dev.maze.core.engine.StateEvent;
import dev.maze.core.engine.StateJournal;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.profile.SchedulerProfile;
import dev.maze.core.workflow.ValidationException;
import dev.maze.predict.LearnedPredictor;
import dev.maze.server.api.ApiToken;
import dev.maze.server.api.EventHub;
import dev.maze.server.api.MazeServer;
import dev.maze.server.api.SubmissionPolicy;
import dev.maze.server.store.Journals;
import dev.maze.server.store.ServerJournal;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code maze server}: the engine as a long-running service (maze-server/README.md): the scheduler, this machine as
 * its node (plus a registry's endpoints), a durable journal in the data directory, and the HTTP API, until stopped.
 * On start it restores what the journal holds: finished tasks stay finished, running ones run again, nothing
 * accepted is lost.
 */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run Maze as a service.",
                "Serves the HTTP API (maze-server/README.md) on 127.0.0.1:8080, with the scheduler and this",
                "machine as its node; state is kept in --data-dir and restored on start. Every option also",
                "comes from $MAZE_NAME (--max-workflows: $MAZE_MAX_WORKFLOWS) or the server: section of --config.",
                "The dashboard is at / (its URL is printed on start).",
                "Submit with `maze submit FILE`. Runs until Ctrl-C or SIGTERM."},
        footer = {"", "Exit codes: 130 or 143 (128 + the signal) once Ctrl-C or SIGTERM stopped it tidily, 1 it could not listen or open its data directory, "
                + "2 invalid option."})
final class ServerCommand implements Callable<Integer> {

    /** Largest request body (a batch of workflows): the file limit every Maze document has. */
    static final long MAX_BODY_BYTES = 8L << 20;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only); any other address "
                    + "needs a token given in $" + ApiToken.ENV + ".")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port (0: any free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--allow-command", paramLabel = "PROGRAM", split = ",",
            description = "A program that process tasks submitted over the API may run (repeatable; exactly the first "
                    + "word of their command). Default: none, so process tasks are refused.")
    Set<String> allowedCommands = new TreeSet<>();

    @Option(names = "--allow-url", paramLabel = "PREFIX", split = ",",
            description = "A URL prefix that http and model-call tasks submitted over the API may call (repeatable). "
                    + "The model registry's endpoints are always allowed. Default: none.")
    List<String> allowedUrls = new ArrayList<>();

    @Option(names = "--max-workflows", defaultValue = "" + MazeServer.MAX_WORKFLOWS, paramLabel = "N",
            description = "Workflows accepted and not yet ended the server holds; a submission beyond is refused with 429 "
                    + "and Retry-After. Default: ${DEFAULT-VALUE}.")
    int maxWorkflows;

    @Option(names = "--max-tasks", defaultValue = "" + MazeServer.MAX_TASKS, paramLabel = "N",
            description = "Tasks a workflow may have, also after tasks are added (413 beyond). Default: ${DEFAULT-VALUE}.")
    int maxTasks;

    @Option(names = "--store", paramLabel = "URL",
            description = "Where the journal is kept: sqlite (journal.db in --data-dir) or a PostgreSQL database, "
                    + "jdbc:postgresql://HOST:PORT/DATABASE?user=USER (the password from $" + Journals.PASSWORD_ENV
                    + " when the URL has none). Default: $" + Journals.STORE_ENV + ", else sqlite.")
    String store;

    @Mixin
    ServerOptions.DataDir dataDir;

    @Mixin
    SchedulerOptions scheduling;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Whether this command's options already hold the environment's and the configuration file's settings. */
    private boolean settled;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!settled) {
            List<String> arguments = ServerSettings.arguments(spec, scheduling.config, System::getenv);
            if (!arguments.isEmpty()) { // parse again with them: the options are checked and converted as typed ones
                ServerCommand effective = new ServerCommand();
                effective.settled = true;
                arguments.addAll(ServerSettings.given(spec));
                new CommandLine(effective).setOut(out).setErr(err).parseArgs(arguments.toArray(String[]::new));
                return effective.call();
            }
        }
        OptionRange.whole(spec, "--port", port, 0, 65_535);
        OptionRange.whole(spec, "--max-workflows", maxWorkflows, 1, 1_000_000);
        OptionRange.whole(spec, "--max-tasks", maxTasks, 1, 1_000_000);
        WorkflowRunner.Settings settings = scheduling.settings(spec, false, true);
        Path data = dataDir.path();
        ApiToken token = token(data);
        if (!isLoopback(host) && token.generated()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--host " + host + " is reachable from "
                    + "other machines: give the API token in $" + ApiToken.ENV + " (16 characters or more) to listen there");
        }
        ModelRegistry registry;
        try {
            registry = settings.models() == null ? null : settings.models().registry();
        } catch (ValidationException e) {
            return WorkflowRunner.reportInvalid(e, err);
        }
        List<NodeSpec> nodes = WorkflowRunner.nodes(settings, registry);
        ServerJournal journal;
        List<StateEvent> state;
        try {
            journal = Journals.open(store, data);
            state = journal.read();
        } catch (StateJournal.JournalException e) {
            err.println("maze server: " + e.getMessage());
            return MazeCommand.EXIT_FAILED;
        }
        SchedulerProfile scheduler = settings.scheduler();
        LearnedPredictor learned = scheduler.predictor().learned() ? settings.predictor().open() : null;
        EventHub events = new EventHub();
        Engine engine = WorkflowRunner.engine(settings, nodes, learned)
                .clock(WallClock.sinceEpoch()) // the journal's times continue across restarts
                .journal(journal)
                .restore(state)
                .listener(events)
                .build()
                .start();
        MazeServer server;
        try {
            List<String> urls = new ArrayList<>(allowedUrls);
            if (registry != null) {
                registry.endpoints().forEach(endpoint -> urls.add(endpoint.url()));
            }
            MazeServer.Preparation routing = registry == null ? MazeServer.Preparation.NONE : registry::routeAll;
            server = MazeServer.start(engine, journal, events, new MazeServer.Config(host, port, token, MAX_BODY_BYTES,
                    new SubmissionPolicy(allowedCommands, urls, routing), maxWorkflows, maxTasks));
        } catch (IllegalStateException e) {
            engine.close();
            closeQuietly(learned);
            err.println("maze server: " + e.getMessage());
            return MazeCommand.EXIT_FAILED;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread stop = new Thread(() -> {
            server.close();
            engine.shutdown(); // running work is not cancelled: the next start restores and resumes it
            closeQuietly(learned);
            err.println("maze server: stopped; state kept in the " + journal);
            err.flush();
            stopped.countDown();
        }, "maze-server-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        out.println("maze server listening on " + server.url() + " (API under /api/v1), " + settings.label()
                + " on " + WorkflowRunner.describe(nodes) + "; state in the " + journal + ", " + engine.restored().size()
                + " workflow(s) restored");
        if (token.generated()) {
            out.println("maze server: API token (printed this once; kept in " + data.resolve(ApiToken.FILE_NAME)
                    + ", mode 600): " + token.value());
            // The fragment stays in the browser: the page reads the token from it and sends it only as a header.
            out.println("maze server: dashboard: " + server.url() + "/#token=" + token.value());
        } else {
            String given = System.getenv(ApiToken.ENV);
            String where = given != null && !given.isBlank() ? "$" + ApiToken.ENV
                    : data.resolve(ApiToken.FILE_NAME).toString();
            out.println("maze server: dashboard: " + server.url() + "/ (it asks for the API token, in " + where + ")");
        }
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) { // stopped from within this JVM (a program embedding the CLI, a test)
            Runtime.getRuntime().removeShutdownHook(stop);
            stop.run();
        }
        return 0;
    }

    private ApiToken token(Path data) throws IOException {
        String given = System.getenv(ApiToken.ENV);
        try {
            return given != null && !given.isBlank() ? ApiToken.given(given) : ApiToken.inDataDir(data);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "$" + ApiToken.ENV + ": " + e.getMessage());
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void closeQuietly(LearnedPredictor learned) {
        if (learned != null) {
            learned.close();
        }
    }
}
