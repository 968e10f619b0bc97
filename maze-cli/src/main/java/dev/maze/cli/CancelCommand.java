package dev.maze.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code maze cancel ID}: cancels a workflow on a running {@code maze server}. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = "Cancel a workflow on a running `maze server`: its running tasks are stopped, the rest will not run.",
        footer = {"", "Exit codes: 0 cancelling, 1 the server could not be reached, 2 no such workflow, or it already "
                + "ended."})
final class CancelCommand implements Callable<Integer> {

    @Parameters(paramLabel = "ID", description = "The workflow's id.")
    String id;

    @Mixin
    ServerOptions.Client client;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        try {
            client.api(spec).delete("/api/v1/workflows/" + id);
        } catch (ServerOptions.ApiException e) {
            return SubmitCommand.refused(e, null, spec.commandLine().getErr());
        }
        spec.commandLine().getOut().println("cancelling " + id);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
