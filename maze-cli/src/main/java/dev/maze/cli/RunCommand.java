package dev.maze.cli;

import dev.maze.core.policy.OrderingPolicies;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maze run FILE...}: runs workflows on the embedded engine. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run workflows (JSON or YAML files; a file may hold one workflow or a list) on this machine.",
                "Progress goes to stderr; the summary (or --json) to stdout."},
        footer = {"", "Exit codes: 0 all workflows finished, 1 some failed or were cancelled, 2 invalid input (nothing ran)."})
final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Workflow files (.json, .yaml, .yml).")
    List<Path> files;

    @Option(names = "--policy", defaultValue = "daps", paramLabel = "NAME",
            description = {"Ordering policy: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
                    "DAPS takes parameters: daps:w1=2,w2=1,order=submit|aging,aging=60,maxInferences=0"},
            completionCandidates = PolicyNames.class)
    String policy;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for sampled durations. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print the summary as JSON on stdout.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        checkPolicy(spec, policy);
        List<WorkflowSpec> specs;
        try {
            specs = WorkflowRunner.load(files);
        } catch (ValidationException e) {
            return WorkflowRunner.reportInvalid(e, spec.commandLine().getErr());
        }
        return WorkflowRunner.run(specs, new WorkflowRunner.Settings(policy, cluster.nodes(), seed, json, quiet),
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    /** Fails with a usage error (exit code 2) for a policy spec the registry refuses. */
    static void checkPolicy(CommandLine.Model.CommandSpec spec, String policy) {
        try {
            OrderingPolicies.create(policy);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Policy names for help and completion. */
    static final class PolicyNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return OrderingPolicies.names().iterator();
        }
    }
}
