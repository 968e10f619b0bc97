package dev.maze.cli;

import dev.maze.core.policy.OrderingPolicies;
import dev.maze.core.profile.SchedulerProfile;
import dev.maze.core.profile.SchedulerProfiles;
import java.util.Iterator;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What schedules workflows and where, for the commands that run them ({@code run}, {@code demo}, {@code server}):
 * either an ordering policy alone on run's defaults ({@code --policy}, the default: {@code daps}) or a whole scheduler
 * profile from the registry {@code maze simulate} uses ({@code --profile}), never both; this machine as a node; the
 * predictor, executor configuration and model registry; the seed.
 */
class SchedulerOptions {

    /** What runs when neither --policy nor --profile is given. */
    static final String DEFAULT_POLICY = "daps";

    @Option(names = "--policy", paramLabel = "NAME[:KEY=VALUE,...]",
            description = {"Ordering policy alone, on run's defaults (placement by least load, resident model and the",
                    "workflow's previous node; models kept loaded; a blocked task reserves a node while others",
                    "backfill; --predictor): ${COMPLETION-CANDIDATES}. Default: " + DEFAULT_POLICY + ".",
                    "Parameters: daps:w1=2,w2=1,order=submit|aging|laxity,aging=60,maxInferences=0; ltf:order=submit|longest"},
            completionCandidates = PolicyNames.class)
    String policy;

    @Option(names = "--profile", paramLabel = "NAME[:KEY=VALUE,...]",
            description = {"A whole scheduler profile instead (ordering, placement, model residency, head-of-line rule,",
                    "predictor, agent pools), exactly as `maze simulate --policy NAME` simulates it:",
                    "${COMPLETION-CANDIDATES}.",
                    "Parameters as in simulate, e.g. daps:w1=0,w2=1 or agent:agents=per-node. Not with --policy or",
                    "--predictor (a profile fixes its predictor; *-learned ones use the learned one over --model-dir)."},
            completionCandidates = ProfileNames.class)
    String profile;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    PredictorOptions predictor;

    @Mixin
    ConfigOption config;

    @Mixin
    ModelsOption models;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Seed for sampled durations. Default: ${DEFAULT-VALUE}.")
    long seed;

    /**
     * The settings of a run that prints its summary as JSON ({@code json}) or shows no progress ({@code quiet}); a
     * spec the registries refuse, or options that exclude each other, are usage errors (exit 2).
     */
    WorkflowRunner.Settings settings(CommandLine.Model.CommandSpec spec, boolean json, boolean quiet) {
        if (policy != null && profile != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--policy and --profile cannot be used together: "
                    + "--policy chooses an ordering policy alone, on run's defaults; --profile a whole scheduler profile "
                    + "(ordering, placement, model residency, head-of-line rule, predictor) as `maze simulate` runs it. "
                    + "To change a profile's ordering, give it parameters, e.g. --profile daps:w1=3,w2=1");
        }
        if (profile != null && spec.commandLine().getParseResult().hasMatchedOption("--predictor")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--predictor cannot be used with --profile: "
                    + "a profile chooses its predictor (the *-learned profiles use the learned predictor over --model-dir, "
                    + "the others Maze's moving average); use --policy to choose an ordering and a predictor");
        }
        if (predictor.problem() != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), predictor.problem());
        }
        SchedulerProfile scheduler;
        try {
            scheduler = profile != null ? SchedulerProfiles.get(profile)
                    : SchedulerProfiles.orderingOnly(policy != null ? policy : DEFAULT_POLICY, predictor.choice());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        return new WorkflowRunner.Settings(scheduler, profile != null ? "profile" : "policy", cluster.nodes(spec), seed,
                json, quiet, predictor, config.executors(spec), models);
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

    /** Profile names for help and completion, in registry order. */
    static final class ProfileNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return SchedulerProfiles.names().iterator();
        }
    }
}
