package dev.maze.cli;

import picocli.CommandLine.Command;

/** {@code maze bench ...}: benchmarks that produce the figures in the README. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (fixed seeds; results vary with the machine).",
        subcommands = {OverheadBenchmark.class, ServeBenchmark.class, ApiBenchmark.class, PlanBenchmarkCommand.class,
                PlaceBenchmarkCommand.class})
final class BenchCommand implements java.util.concurrent.Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: the usage on stderr and exit 2, as for any other usage error (not 0: nothing ran). */
    @Override
    public Integer call() {
        return MazeCommand.missingCommand(spec);
    }
}
