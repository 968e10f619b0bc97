package dev.maze.cli;

import dev.maze.core.workflow.ValidationException;
import dev.maze.predict.ToolTypes;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the learned predictor keeps its models, and which tool types it knows. */
final class ModelOptions {

    @Option(names = "--model-dir", paramLabel = "DIR",
            description = "Where the learned predictor keeps datasets and models. Default: $MAZE_MODEL_DIR, else ~/.maze/models.")
    Path modelDir;

    @Option(names = "--tool-types", paramLabel = "FILE",
            description = "Tool types, their features and the task-name mapping (YAML or JSON); default: Maze's four.")
    Path toolTypesFile;

    /** The model directory in effect. */
    Path modelDir() {
        if (modelDir != null) {
            return modelDir;
        }
        String fromEnv = System.getenv("MAZE_MODEL_DIR");
        return fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv)
                : Path.of(System.getProperty("user.home"), ".maze", "models");
    }

    /**
     * The tool types in effect: Maze's, plus the file's.
     *
     * @throws ValidationException naming the file and each problem in it
     */
    ToolTypes toolTypes() throws ValidationException {
        return toolTypesFile == null ? ToolTypes.builtIn() : ToolTypes.load(toolTypesFile);
    }
}
