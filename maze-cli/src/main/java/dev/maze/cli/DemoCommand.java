package dev.maze.cli;

import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.engine.WorkflowState;
import dev.maze.core.metrics.RunSummary;
import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.workflow.DocumentReader;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser;
import dev.maze.core.endpoint.ModelRegistry;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.WorkflowSpec;
import dev.maze.fakellm.FakeLlmConfig;
import dev.maze.fakellm.FakeLlmServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code maze demo}: a mixed batch of the agent workflows in {@code examples/}, submitted through the HTTP API of a
 * server started for the demo (its dashboard's URL is printed), with live progress and a summary. Most model calls are {@code sim} tasks; those of {@code examples/models/} are real calls,
 * to a server given with {@code --llm-base-url} or to {@code maze fake-llm} started in-process; tool steps are real
 * processes.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a mixed batch of the example agent workflows (examples/) on this machine.",
                "The demo starts a server on a free local port, prints its dashboard's URL and submits the",
                "examples through its HTTP API.",
                "The machine is a node of 8 cores and 4 virtual GPUs (change with --cpus, --gpus). The examples: an",
                "LLM chain, parallel research with a fuse step, VLM+LLM, speech+LLM, and one that fails on purpose",
                "to show retries and cascade cancel."},
        footer = {"", "Exit codes: 0 when every example but 'failing-tool' finished, 1 otherwise, 2 if examples/ is invalid."})
final class DemoCommand implements Callable<Integer> {

    /** The example workflow that fails by design (examples/failing-tool.yaml). */
    static final String FAILS_ON_PURPOSE = "failing-tool";
    /** The most copies of each example: every copy is a workflow held in memory and run on this machine. */
    static final int MAX_COPIES = 1_000;

    @Option(names = "--examples", paramLabel = "DIR", description = "Directory of example workflows (default: examples/ of the installation).")
    Path examples;

    @Option(names = "--copies", defaultValue = "2", description = "Copies of each example to submit. Default: ${DEFAULT-VALUE}.")
    int copies;

    @Option(names = "--keep-serving",
            description = "After the batch, keep the demo's server and its dashboard up until Ctrl-C.")
    boolean keepServing;

    @Mixin
    RunOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        options.cluster.withDefaults(4, 8);
        // The demo's simulated model calls must not teach the user's own models: unless told where, it learns in memory.
        options.predictor.learnInMemoryUnlessDirectoryGiven();
        OptionRange.whole(spec, "--copies", copies, 1, MAX_COPIES);
        Path directory = examples != null ? examples : Path.of(System.getProperty("maze.home", "."), "examples");
        if (!Files.isDirectory(directory)) {
            err.println("maze: no examples directory at " + directory + "; pass --examples DIR");
            return MazeCommand.EXIT_INVALID;
        }
        List<Path> files = new ArrayList<>(workflowFiles(directory));
        files.addAll(workflowFiles(directory.resolve(MODEL_CALL_EXAMPLES)));
        RunSummary summary;
        FakeLlmServer fake = null;
        try {
            List<WorkflowSpec> loaded = WorkflowRunner.load(files);
            Set<String> models = modelsCalled(loaded);
            if (!models.isEmpty() && options.models.file == null && !options.config.modelEndpointGiven(spec)) {
                fake = FakeLlmServer.start(FakeLlmConfig.builder().models(List.copyOf(models)).timeScale(FAKE_TIME_SCALE)
                        .seed(options.seed).build());
                options.config.llmBaseUrl = fake.baseUrl().toString();
                err.println("maze: no model server given; started maze fake-llm on " + fake.baseUrl() + " for "
                        + String.join(", ", models) + " (use real ones with --llm-base-url URL, MAZE_LLM_BASE_URL or --models FILE)");
                err.flush();
            }
            // Built once the endpoint is known: the executors it builds hold HTTP clients.
            WorkflowRunner.Settings settings = options.settings(spec);
            // Interleave the copies so the batch is mixed, as a shared cluster would see it.
            List<ApiSubmission.Document> batch = new ArrayList<>();
            for (int copy = 0; copy < copies; copy++) {
                for (Path file : files) {
                    batch.add(new ApiSubmission.Document(DocumentReader.readFile(file),
                            DocumentReader.formatOf(file) == WorkflowParser.Format.YAML ? "application/yaml" : "application/json"));
                }
            }
            List<String> urls = options.config.llmBaseUrl == null ? List.of() : List.of(options.config.llmBaseUrl);
            summary = WorkflowRunner.run(new ApiSubmission(batch, programsRun(loaded), urls, keepServing), settings,
                    spec.commandLine().getOut(), err);
        } catch (ValidationException e) {
            return WorkflowRunner.reportInvalid(e, err);
        } finally {
            if (fake != null) {
                fake.close();
            }
        }
        List<String> unexpected = summary.workflows().stream()
                .filter(w -> w.state() != WorkflowState.FINISHED && !w.name().equals(FAILS_ON_PURPOSE))
                .map(WorkflowSnapshot::id)
                .toList();
        if (!unexpected.isEmpty()) {
            err.println("maze: demo workflows failed unexpectedly: " + String.join(", ", unexpected));
            return MazeCommand.EXIT_FAILED;
        }
        err.println("maze: '" + FAILS_ON_PURPOSE + "' failed on purpose: its tool was retried, then its descendants were cancelled.");
        err.flush();
        return 0;
    }

    /** The folder of examples/ whose workflows call real model servers. */
    static final String MODEL_CALL_EXAMPLES = "models";
    /** The fake server runs at 1/10 of its latency model's time, so the demo stays short. */
    static final double FAKE_TIME_SCALE = 0.1;

    private static List<Path> workflowFiles(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.filter(Files::isRegularFile).filter(DemoCommand::isWorkflowFile).sorted().toList();
        }
    }

    /** The programs the process tasks of {@code workflows} run (the first word of each command). */
    static Set<String> programsRun(List<WorkflowSpec> workflows) {
        Set<String> programs = new TreeSet<>();
        for (WorkflowSpec workflow : workflows) {
            for (TaskSpec task : workflow.tasks()) {
                JsonNode command = task.inputs().path("command");
                if (task.kind().equals("process") && command.isArray() && !command.isEmpty()) {
                    programs.add(command.get(0).asText());
                }
            }
        }
        return programs;
    }

    /** Models named by the model-call tasks (llm, vlm, speech) of {@code workflows}, in order of first use. */
    static Set<String> modelsCalled(List<WorkflowSpec> workflows) {
        Set<String> models = new LinkedHashSet<>();
        for (WorkflowSpec workflow : workflows) {
            for (TaskSpec task : workflow.tasks()) {
                String model = ModelRegistry.modelCalled(task);
                if (model != null) {
                    models.add(model);
                }
            }
        }
        return models;
    }

    private static boolean isWorkflowFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }
}
