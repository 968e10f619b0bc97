package dev.maze.predict.model;

import dev.maze.predict.data.Dataset;
import dev.maze.predict.data.DatasetGenerator;
import java.util.EnumMap;
import java.util.Map;

/** One small model per kind, trained once per test run and shared by the tests that only read it. */
final class TrainedModels {
    static final String TOOL_TYPE = "vlm_process";
    static final Dataset TRAINING = DatasetGenerator.generate(TOOL_TYPE, 400, 1);
    /** Inputs the models never saw. */
    static final Dataset UNSEEN = DatasetGenerator.generate(TOOL_TYPE, 200, 2);

    private static final Map<RegressorKind, Model> MODELS = new EnumMap<>(RegressorKind.class);

    private TrainedModels() {}

    static synchronized Model of(RegressorKind kind) throws ModelTrainingException {
        Model model = MODELS.get(kind);
        if (model == null) {
            model = kind.train(TRAINING, 1);
            MODELS.put(kind, model);
        }
        return model;
    }
}
