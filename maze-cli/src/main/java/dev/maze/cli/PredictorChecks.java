package dev.maze.cli;

import dev.maze.predict.ToolTypes;
import dev.maze.predict.data.DatasetGenerator;
import picocli.CommandLine;

/** Checks shared by the {@code maze predictor} subcommands. */
final class PredictorChecks {

    private PredictorChecks() {}

    /** Fails with a usage error (exit code 2) unless the synthetic data generator knows {@code toolType}. */
    static void checkGeneratedToolType(CommandLine.Model.CommandSpec spec, String toolType) {
        if (!DatasetGenerator.toolTypes().contains(toolType)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    ToolTypes.unknownToolType(toolType, DatasetGenerator.toolTypes()));
        }
    }
}
