package dev.maze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.endpoint.ModelRegistry;
import dev.maze.core.node.ModelEndpoint;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.exec.TaskExecutors;
import dev.maze.core.workflow.DocumentReader;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser.Format;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}: Maze's configuration file (YAML or JSON), shared by the commands that build an engine, so
 * that {@code maze validate} checks workflows against exactly the executors {@code maze run} will use. It holds two
 * sections: {@code executors:} (per task kind, e.g. {@code process: {environment: {...}, workingDir: ...}}) and
 * {@code server:} ({@code maze server}'s options, see {@link ServerSettings}); the file is read whole and an unknown
 * section is an error, so a setting is never silently ignored. Without the option,
 * {@code $MAZE_CONFIG} names the file; without either, every kind runs with its defaults.
 */
final class ConfigOption {

    private static final List<String> SECTIONS = List.of("executors", "server");

    @Option(names = "--config", paramLabel = "FILE",
            description = "Maze configuration (YAML/JSON) with an executors: section per task kind. "
                    + "Default: $MAZE_CONFIG if set.")
    Path file;

    @Option(names = "--llm-base-url", paramLabel = "URL",
            description = "The OpenAI-compatible server (vLLM, SGLang, Ollama, llama.cpp, TGI, a hosted API) that llm, "
                    + "vlm and speech tasks call unless a task names its own baseUrl, e.g. http://127.0.0.1:8000/v1. "
                    + "Wins over --config and $MAZE_LLM_BASE_URL.")
    String llmBaseUrl;


    /**
     * The executors the configuration describes.
     *
     * @throws CommandLine.ParameterException (exit 2) naming the file and what is wrong in it
     */
    Map<String, TaskExecutor> executors(CommandLine.Model.CommandSpec spec) {
        ObjectNode section = executorsSection(spec);
        if (llmBaseUrl != null) {
            String why = ModelEndpoint.urlProblem(llmBaseUrl);
            if (why != null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--llm-base-url: " + why
                        + " (e.g. http://127.0.0.1:8000/v1)");
            }
            for (String kind : ModelRegistry.MODEL_CALL_KINDS) { // the kinds whose endpoint --llm-base-url sets
                JsonNode given = section.get(kind);
                ObjectNode settings = given != null && given.isObject() ? (ObjectNode) given : section.putObject(kind);
                settings.put("baseUrl", llmBaseUrl);
            }
        }
        try {
            return TaskExecutors.fromConfig(section);
        } catch (IllegalArgumentException e) {
            Path chosen = chosenFile();
            throw chosen != null ? usage(spec, chosen, e.getMessage())
                    : new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Whether model calls have somewhere to go without a task's own baseUrl: {@code --llm-base-url},
     * {@code $MAZE_LLM_BASE_URL}, or a {@code baseUrl} for llm in the configuration.
     */
    boolean modelEndpointGiven(CommandLine.Model.CommandSpec spec) {
        String fromEnvironment = System.getenv("MAZE_LLM_BASE_URL");
        return llmBaseUrl != null || (fromEnvironment != null && !fromEnvironment.isBlank())
                || executorsSection(spec).path("llm").hasNonNull("baseUrl");
    }

    private Path chosenFile() {
        return file != null ? file : fromEnvironment();
    }

    private ObjectNode executorsSection(CommandLine.Model.CommandSpec spec) {
        return section(spec, "executors", "kind: settings");
    }

    /** The file the configuration comes from ({@code --config}, else {@code $MAZE_CONFIG}), or null. */
    Path chosen() {
        return chosenFile();
    }

    /**
     * The configuration's section {@code name} (a copy, empty without one), its file checked.
     *
     * @param entries what the section maps, for the error when it is not a map
     */
    ObjectNode section(CommandLine.Model.CommandSpec spec, String name, String entries) {
        Path chosen = chosenFile();
        if (chosen == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode config;
        try {
            // Read as every Maze file is (size limit, UTF-8, repeated keys, no aliases, no NaN); YAML unless it is .json.
            Format format = DocumentReader.formatOf(chosen) == Format.JSON
                    && chosen.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json")
                    ? Format.JSON : Format.YAML;
            config = DocumentReader.readOrNull(DocumentReader.readFile(chosen), format, null,
                    "put the whole configuration in one document");
        } catch (ValidationException e) {
            var error = e.errors().get(0); // the message names the file already: say it once
            throw usage(spec, chosen, new dev.maze.core.workflow.ValidationError(null, null, null, error.field(),
                    error.message()).toString());
        }
        if (config == null) {
            return JsonNodeFactory.instance.objectNode(); // an empty file configures nothing
        }
        if (!config.isObject()) {
            throw usage(spec, chosen, "expected a map of sections (executors: ..., server: ...), found " + config.getNodeType());
        }
        List<String> unknown = new ArrayList<>();
        config.fieldNames().forEachRemaining(given -> {
            if (!SECTIONS.contains(given)) {
                unknown.add(given);
            }
        });
        if (!unknown.isEmpty()) {
            throw usage(spec, chosen, "unknown section(s) " + unknown + "; known: " + String.join(", ", SECTIONS));
        }
        JsonNode section = config.get(name);
        if (section == null || section.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!section.isObject()) {
            throw usage(spec, chosen, name + ": expected a map of " + entries + ", found " + section.getNodeType());
        }
        return ((ObjectNode) section).deepCopy();
    }

    private static Path fromEnvironment() {
        String value = System.getenv("MAZE_CONFIG");
        return value == null || value.isBlank() ? null : Path.of(value);
    }

    static CommandLine.ParameterException usage(CommandLine.Model.CommandSpec spec, Path file, String problem) {
        return new CommandLine.ParameterException(spec.commandLine(), "--config " + file + ": " + problem);
    }
}
