package dev.maze.cli;

import dev.maze.core.workflow.ValidationException;
import dev.maze.predict.LearnedPredictor;
import dev.maze.predict.PredictorConfig;
import dev.maze.predict.ToolTypes;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How run times are predicted: options shared by {@code run}, {@code demo} and {@code predictor}. */
final class PredictorOptions {

    @Option(names = "--predictor", defaultValue = "learned", paramLabel = "KIND",
            description = {"How task run times are predicted: learned (per tool type, from every finished task; kept in",
                    "--model-dir) or heuristic (GPU 15 s, CPU 3 s, I/O 1 s). Default: ${DEFAULT-VALUE}."})
    String predictor;

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

    /** The tool types in effect: Maze's, plus the file's. */
    ToolTypes toolTypes() throws ValidationException {
        return toolTypesFile == null ? ToolTypes.builtIn() : ToolTypes.load(toolTypesFile);
    }

    /** Whether {@code --predictor} is known; checked before any work. */
    String problem() {
        return predictor.equals("learned") || predictor.equals("heuristic") ? null
                : "--predictor must be 'learned' or 'heuristic', got '" + predictor + "'";
    }

    /**
     * The learned predictor over {@link #modelDir()}, or null for the heuristic (the engine's default).
     *
     * @throws ValidationException when the tool-types file is invalid
     */
    LearnedPredictor open() throws ValidationException {
        return predictor.equals("learned") ? LearnedPredictor.open(PredictorConfig.defaults(modelDir()), toolTypes()) : null;
    }
}
