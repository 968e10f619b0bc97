package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import dev.maze.core.clock.WallClock;
import dev.maze.core.engine.Engine;
import dev.maze.core.node.NodeSpec;
import dev.maze.server.api.ApiToken;
import dev.maze.server.api.EventHub;
import dev.maze.server.api.MazeServer;
import dev.maze.server.store.SqliteJournal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maze submit|status|cancel} against an API server in this JVM, over real HTTP. */
class ServerClientCommandsTest {

    @TempDir
    Path dir;

    private Engine engine;
    private EventHub events;
    private MazeServer server;
    private String url;

    @BeforeEach
    void start() throws Exception {
        SqliteJournal journal = SqliteJournal.open(dir.resolve("journal.db"));
        events = new EventHub();
        engine = Engine.builder().clock(WallClock.sinceEpoch()).nodes(List.of(NodeSpec.of("local", 4, 16, 1, 80)))
                .journal(journal).listener(events).build().start();
        server = MazeServer.start(engine, journal, events, new MazeServer.Config("127.0.0.1", 0, ApiToken.inDataDir(dir),
                1 << 20, MazeServer.Preparation.NONE));
        url = server.url().toString();
    }

    @AfterEach
    void stop() {
        server.close(); // closing twice is harmless
        engine.close();
    }

    private InProcessMaze.Result client(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(new String[] {"--server", url, "--data-dir", dir.toString()}, 0, all, args.length, 4);
        return maze(all);
    }

    @Test
    void exploreSubmitsEachExperimentToTheServerAndRecordsItsOutcome() throws Exception {
        Path config = Files.writeString(dir.resolve("remote.yaml"), """
                direction: higher
                maxTraces: 2
                budget: {experiments: 3}
                run: {command: [sh, -c, 'if [ "$MAZE_EXPERIMENT" = 2 ]; then exit 4; fi; echo "score: $MAZE_EXPERIMENT"']}
                """);
        InProcessMaze.Result result = client("explore", config.toString());
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("remote: 3 experiment(s), 2 accepted");
        assertThat(result.err()).contains("FAILED");
        // The experiments ran as the server's workflows: they are in its journal.
        ServerOptions.Api api = new ServerOptions.Api(server.url(), Files.readString(dir.resolve(ApiToken.FILE_NAME)).strip());
        assertThat(api.get("/api/v1/workflows?status=FINISHED").toString()).contains("remote-experiment-1",
                "remote-experiment-3");
        assertThat(api.get("/api/v1/workflows?status=FAILED").toString()).contains("remote-experiment-2");
        InProcessMaze.Result nobody = maze("explore", config.toString(), "--server", "http://127.0.0.1:1", "--data-dir",
                dir.toString());
        assertThat(nobody.exitCode()).isEqualTo(2);
        assertThat(nobody.err()).contains("--server: no Maze server at http://127.0.0.1:1");
    }

    @Test
    void submitWaitsForTheWorkflowsAndStatusShowsTheirTasks() throws Exception {
        Path file = Files.writeString(dir.resolve("two.yaml"), """
                - {name: pair, id: p1, tasks: [{id: a, kind: sim, inputs: {seconds: 0.05}}]}
                - {name: pair, id: p2, tasks: [{id: a, kind: sim, inputs: {seconds: 0.05}},
                                               {id: b, kind: sim, dependsOn: [a], inputs: {seconds: 0}}]}
                """);
        InProcessMaze.Result submitted = client("submit", file.toString(), "--wait");

        assertThat(submitted.exitCode()).as(submitted.err()).isZero();
        assertThat(submitted.out()).contains("accepted p1 (" + file + ")", "accepted p2", "p1  pair  FINISHED",
                "p2  pair  FINISHED");
        InProcessMaze.Result status = client("status", "p2");
        assertThat(status.out()).contains("p2  pair  FINISHED").containsPattern("b\\s+FINISHED\\s+attempts 1  on local");
        InProcessMaze.Result json = client("status", "p2", "--json");
        assertThat(json.out()).contains("\"state\" : \"FINISHED\"");
    }

    @Test
    void aFailedWorkflowMakesWaitExitOneAndARefusedFileExitTwoWithItsProblems() throws Exception {
        Path failing = Files.writeString(dir.resolve("failing.yaml"),
                "{name: f, id: f1, tasks: [{id: a, kind: sim, inputs: {seconds: 0, failAttempts: 1}}]}");
        assertThat(client("submit", failing.toString(), "--wait").exitCode()).isEqualTo(1);
        Path invalid = Files.writeString(dir.resolve("invalid.yaml"),
                "{name: bad, tasks: [{id: a, kind: sim, inputs: {}}]}");
        InProcessMaze.Result refused = client("submit", invalid.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("invalid.yaml", "400", "task 'a'", "inputs.seconds");
        InProcessMaze.Result unknown = client("status", "nobody");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("404", "no workflow 'nobody'");
    }

    @Test
    void cancelStopsARunningWorkflowAndTheListShowsWhatRuns() throws Exception {
        Path slow = Files.writeString(dir.resolve("slow.yaml"),
                "{name: slow, id: s1, tasks: [{id: a, kind: sim, inputs: {seconds: 300}}]}");
        assertThat(client("submit", slow.toString()).exitCode()).isZero();
        assertThat(client("status").out()).contains("1 workflow(s) running", "s1  slow  RUNNING");
        assertThat(client("cancel", "s1").out()).contains("cancelling s1");
        InProcessMaze.Result again = client("cancel", "s1");
        assertThat(again.exitCode()).isEqualTo(2);
        assertThat(again.err()).contains("409", "already ended CANCELLED");
    }

    @Test
    void logsPrintsWhatIsStoredAndFollowsAWorkflowToItsEnd() throws Exception {
        Path flaky = Files.writeString(dir.resolve("flaky.yaml"), """
                {name: flaky, id: l1, tasks: [
                  {id: a, kind: sim, retries: {count: 1, backoffSeconds: 0.01},
                   inputs: {seconds: 0, failAttempts: 1, output: {answer: 42}}},
                  {id: b, kind: sim, dependsOn: [a], inputs: {seconds: 1.5}}]}
                """);
        assertThat(client("submit", flaky.toString()).exitCode()).isZero();
        InProcessMaze.Result followed = client("logs", "l1", "--follow");
        assertThat(followed.exitCode()).as(followed.err()).isZero();
        assertThat(followed.out()).contains("WorkflowAccepted  flaky, 2 task(s)").containsPattern(
                "AttemptFailed\\s+a\\s+.*attempt 1.*\\(will retry\\)").containsPattern(
                "TaskStarted\\s+a\\s+attempt 2 on local").containsPattern("TaskFinished\\s+a\\s+output \\{\"answer\":42}")
                .containsPattern("WorkflowEnded\\s+FINISHED");
        assertThat(followed.out().strip().lines().reduce((x, y) -> y).orElseThrow()).contains("WorkflowEnded");

        Path slow = Files.writeString(dir.resolve("slow.yaml"),
                "{name: slow, id: l2, tasks: [{id: a, kind: sim, inputs: {seconds: 300}}]}");
        assertThat(client("submit", slow.toString()).exitCode()).isZero();
        InProcessMaze.Result stored = client("logs", "l2", "--json"); // returns at what is stored: l2 still runs
        assertThat(stored.exitCode()).isZero();
        assertThat(stored.out().lines().toList()).first().asString().startsWith("{\"kind\":\"WorkflowAccepted\"");
        assertThat(stored.out()).doesNotContain("WorkflowEnded");
        InProcessMaze.Result unknown = client("logs", "nobody");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("404", "no workflow 'nobody'");
    }

    @Test
    void withoutAServerOrAToken() throws Exception {
        server.close();
        InProcessMaze.Result noServer = client("status");
        assertThat(noServer.exitCode()).isEqualTo(1);
        assertThat(noServer.err()).contains("no Maze server at " + url, "bin/maze server");
        InProcessMaze.Result noToken = maze("status", "--server", url, "--data-dir", dir.resolve("empty").toString());
        assertThat(noToken.exitCode()).isEqualTo(2);
        assertThat(noToken.err()).contains("no API token", "MAZE_API_TOKEN");
        InProcessMaze.Result badUrl = maze("status", "--server", "ftp://x", "--data-dir", dir.toString());
        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.err()).contains("--server");
    }
}
