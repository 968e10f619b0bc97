package dev.maze.cli;

import dev.maze.core.policy.OrderingPolicies;
import java.util.Iterator;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by the commands that run workflows ({@code run}, {@code demo}). */
final class RunOptions {

    @Option(names = "--policy", defaultValue = "daps", paramLabel = "NAME",
            description = {"Ordering policy: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
                    "DAPS takes parameters: daps:w1=2,w2=1,order=submit|aging|laxity,aging=60,maxInferences=0"},
            completionCandidates = PolicyNames.class)
    String policy;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    PredictorOptions predictor;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for sampled durations. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print the summary as JSON on stdout.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    /** The run's settings; a policy spec the registry refuses is a usage error (exit code 2). */
    WorkflowRunner.Settings settings(CommandLine.Model.CommandSpec spec) {
        checkPolicy(spec, policy);
        if (predictor.problem() != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), predictor.problem());
        }
        return new WorkflowRunner.Settings(policy, cluster.nodes(), seed, json, quiet, predictor);
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
        public Iterator<String> iterator() {
            return OrderingPolicies.names().iterator();
        }
    }
}
