package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code maze server --store}: a store it cannot open is a clear failure (exit 1), naming it without a password. */
class ServerStoreOptionTest {

    @TempDir
    Path dir;

    @Test
    void aPostgresqlThatIsNotThereIsNamedWithoutItsPasswordAndWhatToCheck() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        InProcessMaze.Result result = maze("server", "--port", "0", "--data-dir", dir.toString(), "--store",
                "jdbc:postgresql://127.0.0.1:" + closed + "/maze?user=maze&password=not-for-logs");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("maze server: cannot connect to jdbc:postgresql://127.0.0.1:" + closed
                + "/maze?user=maze: ").contains("is PostgreSQL running").doesNotContain("not-for-logs");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void anUnknownStoreIsRefusedSayingWhatIsKnown() {
        InProcessMaze.Result result = maze("server", "--port", "0", "--data-dir", dir.toString(), "--store", "redis://x");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("unknown store 'redis://x'", "sqlite", "jdbc:postgresql://HOST:PORT/DATABASE");
    }
}
