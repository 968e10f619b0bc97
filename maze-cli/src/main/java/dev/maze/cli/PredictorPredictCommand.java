package dev.maze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.workflow.DocumentReader;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser;
import dev.maze.predict.LearnedPredictor;
import dev.maze.predict.PredictorConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code maze predictor predict}: the prediction the engine would make for one task, with its source and features.
 * The task is written as in a workflow file (id, toolType, resources, inputs, features); an optional
 * {@code fromPredecessors} list holds what finished predecessors stated for it ({@code succ_task_feat}).
 */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict one task's run time from the model directory, as the engine would, and say why.",
                "TASK is a JSON or YAML file with one task as in a workflow file, plus optionally",
                "fromPredecessors: [{feature: number, ...}, ...] (what its predecessors stated for it)."},
        footer = {"", "Exit codes: 0 predicted, 2 invalid input."})
final class PredictorPredictCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "TASK", description = "Task file (.json, .yaml, .yml).")
    Path taskFile;

    @Mixin
    ModelOptions models;

    @Option(names = "--json", description = "Print {seconds, source, toolType, features} as JSON on stdout.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        String source = taskFile.toString();
        TaskSpec task;
        List<Map<String, Double>> fromPredecessors = new ArrayList<>();
        LearnedPredictor.Explained explained;
        try {
            JsonNode root = DocumentReader.read(DocumentReader.readFile(taskFile), DocumentReader.formatOf(taskFile), source,
                    "put one task in the file", "expected a task such as {id: answer, toolType: llm_process, features: {...}}");
            if (!root.isObject()) {
                throw DocumentReader.problem(source, "expected one task object, such as {id: answer, toolType: llm_process}");
            }
            ObjectNode copy = root.deepCopy();
            JsonNode stated = copy.remove("fromPredecessors");
            if (!copy.has("kind")) {
                copy.put("kind", "sim"); // how it would run does not change the prediction
            }
            if (stated != null) {
                fromPredecessors = predecessorFeatures(stated, source);
            }
            ObjectNode workflow = JSON.createObjectNode().put("name", "predict");
            workflow.putArray("tasks").add(copy);
            task = WorkflowParser.parse(JSON.writeValueAsString(workflow), WorkflowParser.Format.JSON, source)
                    .get(0).tasks().get(0);
            try (LearnedPredictor predictor = LearnedPredictor.inspect(PredictorConfig.defaults(models.modelDir()),
                    models.toolTypes())) {
                explained = predictor.explain(task, fromPredecessors, true);
            }
        } catch (ValidationException e) {
            return WorkflowRunner.reportInvalid(e, spec.commandLine().getErr());
        }
        if (json) {
            ObjectNode node = JSON.createObjectNode();
            node.put("task", task.id());
            node.put("seconds", explained.seconds());
            node.put("source", explained.source().name().toLowerCase(java.util.Locale.ROOT));
            node.put("toolType", explained.toolType());
            ObjectNode features = node.putObject("features");
            explained.features().forEach(features::put);
            out.println(node.toPrettyString());
        } else {
            out.printf("%s: %.2f s (%s, tool type %s)%n", task.id(), explained.seconds(), switch (explained.source()) {
                case MODEL -> "model";
                case RUNNING_AVERAGE -> "mean of the tool type's runs: no model yet, or no feature known";
                case HEURISTIC -> "resource heuristic: no run of this tool type yet";
            }, explained.toolType());
            explained.features().forEach((name, value) -> out.printf("  %s = %s%n", name, value));
        }
        out.flush();
        return 0;
    }

    private static List<Map<String, Double>> predecessorFeatures(JsonNode stated, String source) throws ValidationException {
        if (!stated.isArray()) {
            throw DocumentReader.problem(source, "field 'fromPredecessors': expected a list of {feature: number} objects");
        }
        List<Map<String, Double>> list = new ArrayList<>();
        for (int i = 0; i < stated.size(); i++) {
            JsonNode one = stated.get(i);
            Map<String, Double> features = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> field : one.properties()) {
                if (!field.getValue().isNumber()) {
                    throw DocumentReader.problem(source, "field 'fromPredecessors[" + i + "]." + field.getKey()
                            + "': expected a number, found " + field.getValue());
                }
                features.put(field.getKey(), field.getValue().asDouble());
            }
            list.add(features);
        }
        return list;
    }
}
