package dev.maze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maze status [ID]}: the active workflows of a running {@code maze server}, or one workflow's tasks. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show what a running `maze server` runs, or one workflow.",
                "Without ID: the workflows it is running. With ID: that workflow's state and each task's (also",
                "after it ended, and after a restart of the server)."},
        footer = {"", "Exit codes: 0 shown, 1 the server could not be reached, 2 no such workflow or refused."})
final class StatusCommand implements Callable<Integer> {

    @Parameters(arity = "0..1", paramLabel = "ID", description = "A workflow id (as `maze submit` printed it).")
    String id;

    @Option(names = "--json", description = "Print the server's answer as JSON.")
    boolean json;

    @Mixin
    ServerOptions.Client client;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ServerOptions.Api api = client.api(spec);
        JsonNode answer;
        try {
            answer = api.get(id == null ? "/api/v1/workflows?status=RUNNING&limit=1000" : "/api/v1/workflows/" + id);
        } catch (ServerOptions.ApiException e) {
            return SubmitCommand.refused(e, null, spec.commandLine().getErr());
        }
        if (json) {
            out.println(answer.toPrettyString());
        } else if (id == null) {
            out.println(answer.path("workflows").size() + " workflow(s) running on " + api.base());
            for (JsonNode workflow : answer.path("workflows")) {
                out.println("  " + workflow.path("id").asText() + "  " + workflow.path("name").asText() + "  "
                        + workflow.path("status").asText());
            }
        } else {
            out.println(line(answer));
            for (JsonNode task : answer.path("tasks")) {
                String error = task.path("error").asText("");
                out.println(String.format("  %-24s %-10s attempts %d%s%s", task.path("id").asText(),
                        task.path("state").asText(), task.path("attempts").asInt(),
                        task.hasNonNull("node") ? "  on " + task.path("node").asText() : "",
                        error.isEmpty() ? "" : "  " + error.replaceAll("\\s+", " ")));
            }
        }
        out.flush();
        return 0;
    }

    /** One workflow in one line: id, name, state, latency, error. */
    static String line(JsonNode workflow) {
        StringBuilder line = new StringBuilder(workflow.path("id").asText()).append("  ")
                .append(workflow.path("name").asText()).append("  ").append(workflow.path("state").asText());
        if (workflow.hasNonNull("finishedAt")) {
            line.append(String.format("  %.1f s", workflow.path("finishedAt").asDouble()
                    - workflow.path("submittedAt").asDouble()));
        }
        if (workflow.hasNonNull("error")) {
            line.append("  ").append(workflow.path("error").asText().replaceAll("\\s+", " "));
        }
        return line.toString();
    }
}
