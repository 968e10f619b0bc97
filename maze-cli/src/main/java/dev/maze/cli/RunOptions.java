package dev.maze.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options of the commands that run workflows and print a summary ({@code run}, {@code demo}). */
final class RunOptions extends SchedulerOptions {

    @Option(names = "--json", description = "Print the summary as JSON on stdout.")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "No progress output.")
    boolean quiet;

    /** The run's settings; a spec the registries refuse, or options that exclude each other, are usage errors (exit 2). */
    WorkflowRunner.Settings settings(CommandLine.Model.CommandSpec spec) {
        return settings(spec, json, quiet);
    }
}
