package dev.maze.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.workflow.ValidationException;
import dev.maze.predict.LearnedPredictor;
import dev.maze.predict.PredictorConfig;
import dev.maze.predict.ToolType;
import dev.maze.predict.ToolTypes;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code maze predictor info}: what a model directory holds, per tool type (samples, model, validation error, when
 * trained, problems with its files), and the tool types and mapping in effect. Reads only: nothing is trained,
 * rewritten or set aside.
 */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Describe a model directory: per tool type its samples, model, validation error and problems.",
                "Then the configured tool types and the name mapping. Changes nothing."},
        footer = {"", "Exit codes: 0 described (problems are listed, not fatal), 2 invalid --tool-types file."})
final class PredictorInfoCommand implements Callable<Integer> {

    @Mixin
    ModelOptions models;

    @Option(names = "--json", description = "Print a JSON array, one object per tool type with data, on stdout.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ToolTypes toolTypes;
        try {
            toolTypes = models.toolTypes();
        } catch (ValidationException e) {
            return WorkflowRunner.reportInvalid(e, spec.commandLine().getErr());
        }
        try (LearnedPredictor predictor = LearnedPredictor.inspect(PredictorConfig.defaults(models.modelDir()), toolTypes)) {
            if (json) {
                ArrayNode array = new ObjectMapper().createArrayNode();
                predictor.status().forEach(status -> json(array, status));
                out.println(array.toPrettyString());
            } else {
                out.println("maze predictor info: " + models.modelDir());
                if (predictor.status().isEmpty()) {
                    out.println("  no samples yet: every finished task of `maze run` adds one");
                }
                for (LearnedPredictor.ToolStatus status : predictor.status()) {
                    out.printf("%n%s: %,d samples%s%n", status.toolType(), status.samples(),
                            Double.isNaN(status.averageSeconds()) ? "" : String.format(", mean %.2f s", status.averageSeconds()));
                    describe(status, out);
                }
                out.printf("%ntool types: %s%n", String.join(", ", toolTypes.names()));
                for (String name : toolTypes.names()) {
                    ToolType type = toolTypes.get(name);
                    out.printf("  %s: %s%n", name, String.join(", ", type.features()));
                }
                out.println(toolTypes.describeMapping().isEmpty() ? "mapping: none (a task's toolType names its tool type)"
                        : "mapping (first match wins, on the task's toolType, then its id):");
                toolTypes.describeMapping().forEach(rule -> out.println("  " + rule));
            }
        }
        out.flush();
        return 0;
    }

    /** The model lines of one tool type's status. */
    static void describe(LearnedPredictor.ToolStatus status, PrintWriter out) {
        if (status.regressor() == null && status.lastTraining() != null) {
            out.println("  model: none (" + status.lastTraining() + ")");
        } else if (status.regressor() == null) {
            out.println("  model: none yet" + (status.features().isEmpty()
                    ? " (a tool type without features: predictions are its mean run time)"
                    : " (trained at 50 samples; until then the mean run time, before any the resource heuristic)"));
        } else {
            out.printf("  model: %s, trained on %,d samples at %s; validation MAE %.3f s, MAPE %.1f%%%n", status.regressor(),
                    status.trainedOnSamples(), status.trainedAt(), status.validationMae(), 100 * status.validationMape());
        }
        status.problems().forEach(problem -> out.println("  problem: " + problem));
    }

    /** Appends one tool type's status to {@code array}; returns the array. */
    static ArrayNode json(ArrayNode array, LearnedPredictor.ToolStatus status) {
        ObjectNode node = array.addObject();
        node.put("toolType", status.toolType());
        status.features().forEach(node.putArray("features")::add);
        node.put("samples", status.samples());
        if (!Double.isNaN(status.averageSeconds())) {
            node.put("meanSeconds", status.averageSeconds());
        }
        node.put("regressor", status.regressor());
        node.put("trainedOnSamples", status.trainedOnSamples());
        node.put("validationMae", status.validationMae());
        node.put("validationMape", status.validationMape());
        node.put("trainedAt", status.trainedAt() == null ? null : status.trainedAt().toString());
        node.put("lastTraining", status.lastTraining());
        status.problems().forEach(node.putArray("problems")::add);
        return array;
    }
}
