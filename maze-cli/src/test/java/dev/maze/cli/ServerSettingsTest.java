package dev.maze.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code maze server}'s options from the environment and the configuration file's server: section. */
class ServerSettingsTest {

    @TempDir
    Path dir;

    private static List<String> settings(Map<String, String> environment, String... args) {
        ServerCommand command = new ServerCommand();
        CommandLine line = new CommandLine(command);
        line.parseArgs(args);
        return ServerSettings.arguments(line.getCommandSpec(), command.scheduling.config, environment::get);
    }

    @Test
    void theCommandLineWinsOverTheEnvironmentWhichWinsOverTheFile() throws Exception {
        Path config = Files.writeString(dir.resolve("maze.yaml"), """
                server:
                  port: 9000
                  host: 127.0.0.2
                  max-workflows: 50
                  allow-command: [python3, bash]
                executors: {}
                """);
        List<String> arguments = settings(Map.of("MAZE_PORT", "9100", "MAZE_HOST", "127.0.0.3"),
                "--config", config.toString(), "--host", "127.0.0.1");
        assertThat(arguments).containsExactly("--port", "9100", "--allow-command", "python3", "--allow-command", "bash",
                "--max-workflows", "50");
        assertThat(settings(Map.of("MAZE_ALLOW_URL", "http://a/,http://b/"))).containsExactly(
                "--allow-url", "http://a/", "--allow-url", "http://b/");
        assertThat(settings(Map.of())).isEmpty();
    }

    @Test
    void aBadValueOrAnUnknownNameIsAnErrorSayingWhereItCameFrom() throws Exception {
        assertThatThrownBy(() -> settings(Map.of("MAZE_PORT", "eighty")))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("$MAZE_PORT")
                .hasMessageContaining("eighty");
        Path typo = Files.writeString(dir.resolve("typo.yaml"), "server: {prot: 9000}\n");
        assertThatThrownBy(() -> settings(Map.of(), "--config", typo.toString()))
                .hasMessageContaining("typo.yaml").hasMessageContaining("unknown option(s) [prot]")
                .hasMessageContaining("port");
        Path nested = Files.writeString(dir.resolve("nested.yaml"), "server: {port: {value: 1}}\n");
        assertThatThrownBy(() -> settings(Map.of(), "--config", nested.toString()))
                .hasMessageContaining("server.port: expected one value");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "server: {max-tasks: many}\n");
        assertThatThrownBy(() -> settings(Map.of(), "--config", bad.toString()))
                .hasMessageContaining("bad.yaml: server.max-tasks").hasMessageContaining("many");
    }

    @Test
    void theExampleConfigurationIsValid() {
        Path example = DocumentedCommandsTest.ROOT.resolve("examples/config/server.yaml");
        assertThat(settings(Map.of(), "--config", example.toString())).containsExactly("--port", "8080",
                "--allow-command", "wc", "--allow-command", "python3", "--max-workflows", "5000", "--profile", "mars",
                "--gpus", "2");
    }

    @Test
    void aValueTheFileGivesIsCheckedByTheServerAsTypedOnes() throws Exception {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("maze.yaml"), "server: {port: " + port + ", max-tasks: 0}\n");
        InProcessMaze.Result refused = InProcessMaze.maze("server", "--config", config.toString(), "--data-dir",
                dir.resolve("data").toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("--max-tasks");
    }
}
