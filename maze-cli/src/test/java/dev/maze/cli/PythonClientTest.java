package dev.maze.cli;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** clients/python's unit tests, run by the system {@code python3} against a real server over loopback. */
class PythonClientTest {

    private static final Path HOME = Path.of(System.getProperty("maze.home", "..")).toAbsolutePath().normalize();
    private static final String TOKEN = "python-client-test-token-0123";

    @TempDir
    Path dir;

    @Test
    void thePythonClientDrivesARealServer() throws Exception {
        Assumptions.assumeTrue(python() != null, "python3 is not installed here: .ci/run installs it");
        SqliteJournal journal = SqliteJournal.open(dir.resolve("journal.db"));
        EventHub events = new EventHub();
        try (Engine engine = Engine.builder().clock(WallClock.sinceEpoch()).nodes(List.of(NodeSpec.of("local", 4, 16, 0, 0)))
                .journal(journal).listener(events).build().start();
                MazeServer server = MazeServer.start(engine, journal, events, new MazeServer.Config("127.0.0.1", 0,
                        ApiToken.given(TOKEN), 1 << 20, MazeServer.Preparation.NONE))) {
            Path log = dir.resolve("python.log");
            ProcessBuilder builder = new ProcessBuilder(python(), "-m", "unittest", "-v", "tests.test_client")
                    .directory(HOME.resolve("clients/python").toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("MAZE_SERVER", server.url().toString());
            builder.environment().put("MAZE_API_TOKEN", TOKEN);
            builder.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // leave the checkout unchanged
            Process process = builder.start();
            assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("python3 finished").isTrue();
            String output = Files.readString(log);
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("Ran 7 tests", "OK");
        }
    }

    private static String python() {
        for (String candidate : new String[] {"python3", "/usr/bin/python3"}) {
            try {
                Process probe = new ProcessBuilder(candidate, "--version").redirectErrorStream(true).start();
                if (probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return candidate;
                }
            } catch (java.io.IOException | InterruptedException e) {
                // not this one
            }
        }
        return null;
    }
}
