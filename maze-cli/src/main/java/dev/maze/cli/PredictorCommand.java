package dev.maze.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code maze predictor ...}: the execution-time predictor offline: train a model directory from CSV data sets,
 * predict one task, describe a model directory, compare the regressors on a data set, generate synthetic data, time
 * predictions.
 */
@Command(name = "predictor", mixinStandardHelpOptions = true,
        description = "Execution-time predictor: train, predict, inspect a model directory; compare regressors; time them.",
        subcommands = {PredictorTrainCommand.class, PredictorPredictCommand.class, PredictorInfoCommand.class,
                PredictorEvalCommand.class, PredictorGenerateCommand.class, PredictorBenchmark.class},
        footer = {"", "Exit codes: 0 ok, 1 a regressor failed to train, 2 invalid input or usage (nothing ran)."})
final class PredictorCommand implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: the usage on stderr and exit 2, as for any other usage error (not 0: nothing ran). */
    @Override
    public Integer call() {
        return MazeCommand.missingCommand(spec);
    }
}
