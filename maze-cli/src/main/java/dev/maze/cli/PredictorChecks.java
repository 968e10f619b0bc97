package dev.maze.cli;

import dev.maze.core.workflow.Suggestions;
import dev.maze.predict.data.DatasetGenerator;
import java.util.Collection;
import picocli.CommandLine;

/** Checks shared by the {@code maze predictor} subcommands. */
final class PredictorChecks {

    private PredictorChecks() {}

    /** Fails with a usage error (exit code 2) unless the synthetic data generator knows {@code toolType}. */
    static void checkGeneratedToolType(CommandLine.Model.CommandSpec spec, String toolType) {
        if (!DatasetGenerator.toolTypes().contains(toolType)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    unknownToolType(toolType, DatasetGenerator.toolTypes()));
        }
    }

    /** {@code unknown tool type 'vlm' (did you mean 'vlm_process'?); known tool types: ...}. */
    static String unknownToolType(String toolType, Collection<String> known) {
        return "unknown tool type '" + toolType + "'" + Suggestions.didYouMean(toolType, known) + "; known tool types: "
                + String.join(", ", known);
    }
}
