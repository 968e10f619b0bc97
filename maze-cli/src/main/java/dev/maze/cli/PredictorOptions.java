package dev.maze.cli;

import dev.maze.core.predict.HeuristicPredictor;
import dev.maze.core.profile.SchedulerProfile;
import dev.maze.core.workflow.ValidationException;
import dev.maze.predict.LearnedPredictor;
import dev.maze.predict.PredictorConfig;
import dev.maze.predict.model.RegressorKind;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How run times are predicted: options of {@code run} and {@code demo}. */
final class PredictorOptions {

    @Option(names = "--predictor", defaultValue = "learned", paramLabel = "KIND",
            description = {"With --policy, how task run times are predicted: learned (per tool type, from every finished",
                    "task; kept in --model-dir) or heuristic (GPU 15 s, CPU 3 s, I/O 1 s). Default: ${DEFAULT-VALUE}."})
    String predictor;

    @Option(names = "--regressor", defaultValue = "gbt", paramLabel = "KIND",
            description = "Model the learned predictor trains: gbt (gradient-boosted trees), mlp or linear (ridge). Default: ${DEFAULT-VALUE}.")
    String regressor;

    @Mixin
    ModelOptions models;

    /** Set by {@code demo}: without --model-dir the learned predictor keeps nothing on disk. */
    private boolean inMemory;

    void learnInMemoryUnlessDirectoryGiven() {
        inMemory = models.modelDir == null;
    }

    /** Why {@code --predictor} is refused, or null; checked before any work. */
    String problem() {
        if (!predictor.equals("learned") && !predictor.equals("heuristic")) {
            return "--predictor must be 'learned' or 'heuristic', got '" + predictor + "'";
        }
        try {
            RegressorKind.parse(regressor);
            return null;
        } catch (IllegalArgumentException e) {
            return "--regressor: " + e.getMessage();
        }
    }

    /**
     * The predictor {@code --predictor} chooses, for {@code --policy}: the learned one (which {@link #open} opens over
     * the model directory; without it, the heuristic it starts from) or the heuristic.
     */
    SchedulerProfile.Predictor choice() {
        return predictor.equals("learned")
                ? new SchedulerProfile.Predictor("learned", true, HeuristicPredictor::new)
                : new SchedulerProfile.Predictor("heuristic", false, HeuristicPredictor::new);
    }

    /**
     * The learned predictor over the model directory, or null for the heuristic (the engine's default).
     *
     * @throws ValidationException when the tool-types file is invalid
     */
    LearnedPredictor open() throws ValidationException {
        return predictor.equals("learned")
                ? LearnedPredictor.open(PredictorConfig.defaults(inMemory ? null : models.modelDir())
                        .withRegressor(RegressorKind.parse(regressor)), models.toolTypes())
                : null;
    }

    String describe(LearnedPredictor learned) {
        return learned == null ? "heuristic" : "learned (" + (inMemory ? "in memory" : models.modelDir()) + ")";
    }
}
