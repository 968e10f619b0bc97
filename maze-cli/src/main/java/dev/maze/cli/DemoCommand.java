package dev.maze.cli;

import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code maze demo}: a mixed batch of the agent workflows in {@code examples/} on the embedded engine, with live
 * progress and a summary. Model calls are {@code sim} tasks; tool steps are real processes.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run a mixed batch of the example agent workflows (examples/) on this machine as a node with",
                "8 cores and 4 virtual GPUs (change with --cpus, --gpus):",
                "an LLM chain, parallel research with a fuse step, VLM+LLM, speech+LLM, and one that fails on purpose",
                "to show retries and cascade cancel."},
        footer = {"", "Exit code 0 when the demo ran (its failing workflow is expected to fail), 2 if examples/ is broken."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--examples", paramLabel = "DIR", description = "Directory of example workflows (default: examples/ of the installation).")
    Path examples;

    @Option(names = "--copies", defaultValue = "2", description = "Copies of each example to submit. Default: ${DEFAULT-VALUE}.")
    int copies;

    @Option(names = "--policy", defaultValue = "daps", description = "Ordering policy. Default: ${DEFAULT-VALUE}.")
    String policy;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for sampled durations. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print the summary as JSON on stdout.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Path directory = examples != null ? examples : Path.of(System.getProperty("maze.home", "."), "examples");
        if (!Files.isDirectory(directory)) {
            err.println("maze: no examples directory at " + directory + "; pass --examples DIR");
            return MazeCommand.EXIT_INVALID;
        }
        RunCommand.checkPolicy(spec, policy);
        if (copies < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--copies must be at least 1");
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.filter(DemoCommand::isWorkflowFile).sorted().toList();
        }
        List<WorkflowSpec> loaded;
        try {
            loaded = WorkflowRunner.load(files);
        } catch (ValidationException e) {
            return WorkflowRunner.reportInvalid(e, err);
        }
        // Interleave the copies so the batch is mixed, as a shared cluster would see it.
        List<WorkflowSpec> batch = new ArrayList<>();
        for (int copy = 0; copy < copies; copy++) {
            batch.addAll(loaded);
        }
        int code = WorkflowRunner.run(batch, new WorkflowRunner.Settings(policy, cluster.withDefaults(4, 8).nodes(), seed,
                json, false), spec.commandLine().getOut(), err);
        if (code == MazeCommand.EXIT_FAILED) {
            err.println("maze: the failing example failed on purpose: its failed task was retried, then its descendants were cancelled.");
            err.flush();
            return 0;
        }
        return code;
    }

    private static boolean isWorkflowFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }
}
