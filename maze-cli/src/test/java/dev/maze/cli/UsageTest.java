package dev.maze.cli;

import static dev.maze.cli.InProcessMaze.maze;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** What {@code maze} says about itself: help that is whole, and a missing command that is an error. */
class UsageTest {

    @ParameterizedTest(name = "maze {0}")
    @CsvSource(delimiter = '|', value = {
        "'' | maze | run, validate, demo, simulate, bench, predictor",
        "predictor | maze predictor | train, predict, info, eval, generate, bench",
        "bench | maze bench | overhead"})
    void aMissingCommandPrintsTheUsageOnStderrAndExits2(String command, String name, String commands) {
        InProcessMaze.Result result = command.isEmpty() ? maze() : maze(command);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith(name + ": missing command; give one of " + commands)
                .contains("Usage: " + name + " [-hV] [COMMAND]");
    }

    @Test
    void helpIsStillHelpOnStdoutWithExit0() {
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"predictor", "--help"},
                new String[] {"bench", "--help"})) {
            InProcessMaze.Result result = maze(args);
            assertThat(result.exitCode()).isZero();
            assertThat(result.out()).contains("Usage: maze");
            assertThat(result.err()).isEmpty();
        }
    }

    /**
     * A command list shows only the first line of each command's description: that line must be a whole sentence,
     * or the list cuts it mid-phrase ("... on this machine as a node with").
     */
    @Test
    void everyCommandsSummaryInItsParentsListIsAWholeSentence() {
        List<String> cut = new ArrayList<>();
        walk(MazeCommand.commandLine(), cut);
        assertThat(cut).isEmpty();
        String help = maze("--help").out() + maze("predictor", "--help").out();
        assertThat(help).contains("Run a mixed batch of the example agent workflows (examples/) on\n               this machine.")
                .contains("validation error and problems.");
    }

    private static void walk(CommandLine line, List<String> cut) {
        for (CommandLine sub : line.getSubcommands().values()) {
            String[] description = sub.getCommandSpec().usageMessage().description();
            String first = description.length == 0 ? "" : description[0].strip();
            if (!first.endsWith(".")) {
                cut.add(sub.getCommandSpec().qualifiedName() + ": '" + first + "'");
            }
            walk(sub, cut);
        }
    }
}
