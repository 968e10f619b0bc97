package dev.maze.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.maze.core.workflow.ValidationException;
import dev.maze.predict.LearnedPredictor;
import dev.maze.predict.PredictorConfig;
import dev.maze.predict.ToolType;
import dev.maze.predict.ToolTypes;
import dev.maze.predict.data.Dataset;
import dev.maze.predict.model.RegressorKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code maze predictor train}: adds a CSV data set's runs to a tool type's samples in the model directory and trains
 * its model now, exactly as the online predictor does (outliers left out, a held-out split, the new model kept only
 * if it validates better than the one there). The next {@code maze run} predicts with it.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Add a CSV data set's runs to a tool type's samples in the model directory and train its model now.",
                "The new model replaces the one there only if it validates better. Summary (or --json) on stdout."},
        footer = {"", "Exit codes: 0 trained (or the better model kept), 1 training failed, 2 invalid input (nothing changed)."})
final class PredictorTrainCommand implements Callable<Integer> {

    @Option(names = "--tool-type", required = true, paramLabel = "T", description = "The tool type the runs belong to.")
    String toolType;

    @Option(names = "--data", required = true, paramLabel = "FILE.csv",
            description = "Runs: the tool type's feature columns and exec_time (seconds); other columns are ignored.")
    Path data;

    @Option(names = "--regressor", defaultValue = "gbt", paramLabel = "KIND",
            description = "gbt (gradient-boosted trees), mlp or linear (ridge). Default: ${DEFAULT-VALUE}.")
    String regressor;

    @Mixin
    ModelOptions models;

    @Option(names = "--json", description = "Print the tool type's status as JSON on stdout.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RegressorKind kind;
        try {
            kind = RegressorKind.parse(regressor);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--regressor: " + e.getMessage());
        }
        ToolTypes toolTypes;
        try {
            toolTypes = models.toolTypes();
        } catch (ValidationException e) {
            return WorkflowRunner.reportInvalid(e, err);
        }
        ToolType type = toolTypes.get(toolType);
        if (type == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), ToolTypes.unknownToolType(toolType, toolTypes.names()));
        }
        if (!Files.isRegularFile(data)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--data file '" + data + "' does not exist or is not a file");
        }
        Dataset samples;
        try {
            samples = Dataset.readCsv(data, type.features());
        } catch (IOException e) {
            err.println("maze: " + FileErrors.describe(e) + "; nothing was trained");
            err.flush();
            return MazeCommand.EXIT_INVALID;
        }
        PredictorConfig config = PredictorConfig.defaults(models.modelDir()).withRegressor(kind);
        LearnedPredictor.ToolStatus status;
        int before;
        try (LearnedPredictor predictor = LearnedPredictor.open(config, toolTypes)) {
            predictor.awaitIdle(); // a model the directory lacked may be training already; this one comes after
            before = predictor.status().stream().filter(s -> s.toolType().equals(toolType)).mapToInt(s -> s.samples())
                    .findFirst().orElse(0);
            status = predictor.train(toolType, samples);
        } catch (IllegalArgumentException e) {
            err.println("maze: " + e.getMessage() + "; nothing was trained");
            err.flush();
            return MazeCommand.EXIT_INVALID;
        }
        boolean failed = status.lastTraining() != null && status.lastTraining().startsWith("training failed");
        if (json) {
            out.println(PredictorInfoCommand.json(new ObjectMapper().createArrayNode(), status).get(0).toPrettyString());
        } else {
            int added = status.samples() - before;
            out.printf("maze predictor train: %s in %s: %,d runs added%s, %,d in all%n", toolType, config.modelDir(), added,
                    added == samples.size() ? "" : String.format(" (%,d already there)", samples.size() - added), status.samples());
            out.println("  " + status.lastTraining());
            PredictorInfoCommand.describe(status, out);
        }
        out.flush();
        return failed ? MazeCommand.EXIT_FAILED : 0;
    }
}
