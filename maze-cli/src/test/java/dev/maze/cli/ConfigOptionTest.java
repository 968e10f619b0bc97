package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --config FILE}: executors configured from a file, the same for {@code run} and {@code validate}. */
class ConfigOptionTest {

    @TempDir
    Path temp;

    Path workflow;

    @BeforeEach
    void writeWorkflow() throws Exception {
        workflow = temp.resolve("env.yaml");
        Files.writeString(workflow, """
                name: env-check
                tasks:
                  - id: check
                    kind: process
                    inputs: {command: ["sh", "-c", "test \\"$MAZE_TEST_FLAG\\" = yes"]}
                """);
    }

    @Test
    void runUsesTheConfiguredExecutors() throws Exception {
        Path config = temp.resolve("maze.yaml");
        Files.writeString(config, "executors:\n  process:\n    environment: {MAZE_TEST_FLAG: \"yes\"}\n");

        assertThat(maze("run", workflow.toString(), "-q", "--config", config.toString()).exitCode()).isZero();
        assertThat(maze("run", workflow.toString(), "-q").exitCode()).as("without the environment it fails").isEqualTo(1);
    }

    @Test
    void validateAndRunRefuseABadConfigurationNamingTheFileAndTheSetting() throws Exception {
        Path config = temp.resolve("bad.yaml");
        Files.writeString(config, "executors:\n  process:\n    workdir: /tmp\n");
        for (String command : new String[] {"run", "validate"}) {
            InProcessMaze.Result result = maze(command, workflow.toString(), "--config", config.toString());
            assertThat(result.exitCode()).as(command).isEqualTo(2);
            assertThat(result.err()).as(command).contains("--config " + config
                    + ": executors.process: unknown setting(s) [workdir]; known: environment, workingDir, maxOutputMb, killGraceSeconds");
        }
        Files.writeString(config, "executor:\n  process: {}\n");
        assertThat(maze("validate", workflow.toString(), "--config", config.toString()).err())
                .contains("unknown section(s) [executor]; known: executors, server");
        Files.writeString(config, "executors: [unclosed\n");
        assertThat(maze("validate", workflow.toString(), "--config", config.toString()).err())
                .contains("--config " + config + ": malformed YAML at line 1, column 21");
        // Read as every Maze file is: no aliases, no NaN, no repeated keys.
        Files.writeString(config, "executors:\n  process: &p {killGraceSeconds: 1}\n  sim: *p\n");
        assertThat(maze("validate", workflow.toString(), "--config", config.toString()).err())
                .contains("--config " + config + ": malformed YAML at line 3, column 8: YAML aliases (*p) are not supported");
        Files.writeString(config, "executors:\n  process: {killGraceSeconds: .nan}\n");
        InProcessMaze.Result nan = maze("validate", workflow.toString(), "--config", config.toString());
        assertThat(nan.exitCode()).isEqualTo(2);
        assertThat(nan.err()).contains("--config " + config + ": field 'executors.process.killGraceSeconds': must be a "
                + "finite number, found .nan");
        Files.writeString(config, "executors: {}\nexecutors: {}\n");
        assertThat(maze("validate", workflow.toString(), "--config", config.toString()).err())
                .contains("Duplicate field 'executors'");
        assertThat(maze("validate", workflow.toString(), "--config", temp.resolve("none.yaml").toString()).err())
                .contains("file not found");
        assertThat(maze("validate", workflow.toString()).exitCode()).isZero();
    }
}
