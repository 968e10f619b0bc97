package dev.maze.predict;

import dev.maze.core.profile.SchedulerProfile;
import dev.maze.core.profile.SchedulerProfiles;

/**
 * Scheduler profiles that predict with the learned predictor instead of Maze's per-resource moving average:
 * {@code daps-learned}, {@code hacs-learned} and {@code mars-learned}. In a simulation each run starts with an empty
 * predictor that learns online from the run's own finished tasks (inline, so a seed gives one result), as a fresh
 * deployment would; {@code maze run --profile} passes its own learned predictor over the model directory instead.
 */
public final class LearnedProfiles {

    private LearnedProfiles() {}

    /** Adds the profiles to {@link SchedulerProfiles} (idempotent). */
    public static void register() {
        for (String base : new String[] {"daps", "hacs", "mars"}) {
            SchedulerProfiles.register(SchedulerProfiles.get(base).withPredictor(base + "-learned",
                    base + " with the learned predictor (gradient-boosted trees per tool type, learned online from "
                            + "the run's finished tasks) instead of a moving average per resource class",
                    new SchedulerProfile.Predictor("learned", true,
                            () -> LearnedPredictor.inline(PredictorConfig.defaults(null), ToolTypes.builtIn()))));
        }
    }
}
