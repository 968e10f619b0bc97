package dev.maze.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code maze predictor ...}: the execution-time predictor's data sets and regressors, offline: generate synthetic
 * data, compare the regressors on a data set, time their predictions.
 */
@Command(name = "predictor", mixinStandardHelpOptions = true,
        description = "Execution-time predictor: data sets, regressor accuracy and prediction latency.",
        subcommands = {PredictorGenerateCommand.class, PredictorEvalCommand.class, PredictorBenchmark.class},
        footer = {"", "Exit codes: 0 ok, 1 a regressor failed to train, 2 invalid input or usage (nothing ran)."})
final class PredictorCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
