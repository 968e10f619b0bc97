package dev.maze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.server.api.MazeServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code maze logs ID [--follow]}: a workflow's stored events on a running {@code maze server}, one line each (from
 * its event stream); with {@code --follow}, then its new events as they happen until it ends, reconnecting where it
 * left off if the connection drops.
 */
@Command(name = "logs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print a workflow's events from a running `maze server`.",
                "One line per event: time, kind, task and what happened (node, attempt, output, error). With",
                "--follow, keeps printing new events until the workflow ends."},
        footer = {"", "Exit codes: 0 printed (with --follow: the workflow ended), 1 the server could not be reached, "
                + "2 no such workflow."})
final class LogsCommand implements Callable<Integer> {

    /** Connections --follow opens in a row without receiving an event before it gives up. */
    static final int RECONNECTS = 5;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    @Parameters(paramLabel = "ID", description = "The workflow's id.")
    String id;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new events until the workflow ends.")
    boolean follow;

    @Option(names = "--json", description = "Print each event as one line of JSON (the stream's data).")
    boolean json;

    @Mixin
    ServerOptions.Client client;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        ServerOptions.Api api = client.api(spec);
        long[] last = {0};
        boolean[] ended = {false};
        int failures = 0;
        while (true) {
            long before = last[0];
            try {
                boolean stopped = api.stream("/api/v1/workflows/" + id + "/events", last[0], event -> {
                    if (event.kind() == null) { // a comment: without --follow, the end of what is stored
                        return follow || !event.data().equals(MazeServer.REPLAYED);
                    }
                    last[0] = event.id();
                    ended[0] = event.kind().equals("WorkflowEnded");
                    out.println(json ? event.data() : line(event));
                    out.flush();
                    return true;
                });
                if (stopped || ended[0] || !follow) {
                    return 0;
                }
            } catch (ServerOptions.ApiException e) {
                if (!follow || e.status != 0) {
                    return SubmitCommand.refused(e, null, spec.commandLine().getErr());
                }
            }
            // Following, and the stream closed early (the server restarted?): resume after the last event printed.
            failures = last[0] > before ? 0 : failures + 1;
            if (failures > RECONNECTS) {
                spec.commandLine().getErr().println("maze: lost the event stream of " + id + " at " + client.base(spec)
                        + " and could not resume it; stopped");
                return MazeCommand.EXIT_FAILED;
            }
            Thread.sleep(200L * failures);
        }
    }

    /** One event for people: when, what, which task, and the details that matter for its kind. */
    static String line(ServerOptions.Api.Event event) {
        JsonNode data;
        try {
            data = ServerOptions.Api.JSON.readTree(event.data());
        } catch (IOException e) {
            return event.kind() + " " + event.data();
        }
        StringBuilder line = new StringBuilder(TIME.format(Instant.ofEpochMilli(
                (long) (data.path("atSeconds").asDouble() * 1000)))).append("  ").append(String.format("%-16s", event.kind()));
        if (data.hasNonNull("taskId")) {
            line.append(" ").append(data.get("taskId").asText());
        }
        String details = switch (event.kind()) {
            case "WorkflowAccepted" -> data.path("spec").path("name").asText() + ", "
                    + data.path("spec").path("tasks").size() + " task(s)";
            case "TaskReady" -> data.has("predictedSeconds")
                    ? String.format("predicted %.2f s", data.path("predictedSeconds").asDouble()) : "";
            case "TaskStarted" -> "attempt " + data.path("attempt").asInt() + " on " + data.path("nodeId").asText()
                    + (data.path("gpus").isEmpty() ? "" : " gpus " + data.path("gpus"))
                    + (data.path("modelLoadSeconds").asDouble() > 0
                            ? String.format(", loading the model %.1f s", data.path("modelLoadSeconds").asDouble()) : "");
            case "TaskFinished" -> data.has("output") ? "output " + clip(data.get("output").toString()) : "";
            case "AttemptFailed" -> clip(data.path("message").asText()) + (data.path("retry").asBoolean()
                    ? " (will retry)" : " (no retry left)");
            case "AttemptLost" -> clip(data.path("reason").asText());
            case "TaskCancelled" -> clip(data.path("reason").asText());
            case "TasksAdded" -> "added " + data.path("tasks").findValuesAsText("id");
            case "WorkflowEnded" -> data.path("state").asText()
                    + (data.hasNonNull("error") ? ": " + clip(data.get("error").asText()) : "");
            default -> "";
        };
        return details.isEmpty() ? line.toString().stripTrailing() : line.append("  ").append(details).toString();
    }

    private static String clip(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() <= 160 ? flat : flat.substring(0, 157) + "...";
    }
}
