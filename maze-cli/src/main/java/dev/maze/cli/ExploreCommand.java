package dev.maze.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code maze explore ...}: the exploration scheduler (maze-explore). For now only its benchmark; the runner, {@code
 * maze explore CONFIG}, becomes this command's own positional parameter.
 */
@Command(name = "explore", mixinStandardHelpOptions = true,
        subcommands = ExploreBenchmarkCommand.class,
        description = {"Decide which branch of a tree of experiments to grow next (trace schedulers).",
                "bench compares the schedulers on synthetic traces with hidden qualities."},
        footer = {"", "Exit codes: 0 done, 2 invalid input or no command."})
final class ExploreCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: the usage on stderr and exit 2, as for any other usage error (nothing ran). */
    @Override
    public Integer call() {
        return MazeCommand.missingCommand(spec);
    }
}
