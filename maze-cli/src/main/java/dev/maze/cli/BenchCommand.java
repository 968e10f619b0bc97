package dev.maze.cli;

import picocli.CommandLine.Command;

/** {@code maze bench ...}: benchmarks that produce the figures in the README. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (fixed seeds; results vary with the machine).",
        subcommands = {OverheadBenchmark.class})
final class BenchCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
