package dev.maze.cli;

import dev.maze.core.endpoint.ModelRegistry;
import dev.maze.core.engine.Engine;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code maze validate FILE...}: checks workflows without running anything. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check workflow files (syntax, ids, dependencies, cycles, templates, kinds, and that this machine "
                + "and the --models endpoints could run every task) without running anything.",
        footer = {"", "Exit codes: 0 all valid, 2 invalid input."})
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Workflow files (.json, .yaml, .yml).")
    List<Path> files;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    ConfigOption config;

    @Mixin
    ModelsOption models;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            // The registry's problems and the workflows' are reported together.
            List<ValidationError> problems = new java.util.ArrayList<>();
            ModelRegistry registry = null;
            try {
                registry = models.registry();
            } catch (ValidationException e) {
                problems.addAll(e.errors());
            }
            List<WorkflowSpec> specs = List.of();
            try {
                specs = WorkflowRunner.load(files);
            } catch (ValidationException e) {
                problems.addAll(e.errors());
            }
            if (!problems.isEmpty()) {
                throw new ValidationException(problems);
            }
            List<NodeSpec> nodes = new java.util.ArrayList<>(cluster.nodes(spec));
            if (registry != null) {
                nodes.addAll(registry.nodes());
                specs = registry.routeAll(specs);
            }
            List<ValidationError> errors;
            // The same executors (and so the same input checks) as `maze run --config` would use.
            try (Engine engine = Engine.builder().nodes(nodes).executors(config.executors(spec)).build()) {
                errors = engine.validate(specs); // the same checks as submission, without running anything
            }
            if (!errors.isEmpty()) {
                throw new ValidationException(errors);
            }
            for (WorkflowSpec workflow : specs) {
                out.println("ok  " + workflow.source() + ": workflow '" + workflow.label() + "' (" + workflow.tasks().size()
                        + " tasks)");
            }
            out.flush();
            return 0;
        } catch (ValidationException e) {
            return WorkflowRunner.reportInvalid(e, err);
        }
    }
}
