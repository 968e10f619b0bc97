package dev.maze.cli;

import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code maze run FILE...}: runs workflows on the embedded engine. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run workflows (JSON or YAML files; a file may hold one workflow or a list) on this machine.",
                "What schedules them is one of:",
                "  --policy NAME: an ordering policy alone, on run's defaults (default: daps);",
                "  --profile NAME: a whole scheduler profile, the one `maze simulate --policy",
                "  NAME` simulates (ordering, placement, residency, predictor, agent pools).",
                "Progress goes to stderr; the summary (or --json) to stdout."},
        footer = {"", "Exit codes: 0 all workflows finished, 1 some failed or were cancelled, 2 invalid input (nothing ran)."})
final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Workflow files (.json, .yaml, .yml).")
    List<Path> files;

    @Mixin
    RunOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        WorkflowRunner.Settings settings = options.settings(spec);
        try {
            List<WorkflowSpec> specs = WorkflowRunner.load(files);
            return WorkflowRunner.exitCode(WorkflowRunner.run(specs, settings, spec.commandLine().getOut(),
                    spec.commandLine().getErr()));
        } catch (ValidationException e) {
            return WorkflowRunner.reportInvalid(e, spec.commandLine().getErr());
        }
    }
}
