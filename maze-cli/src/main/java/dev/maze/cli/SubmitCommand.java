package dev.maze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.maze.core.workflow.DocumentReader;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code maze submit FILE...}: sends workflow files to a running {@code maze server}. */
@Command(name = "submit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Submit workflow files to a running `maze server`.",
                "Each file is JSON or YAML, one workflow or a list; prints each accepted workflow's id. With",
                "--wait, waits for them to end and prints how they ended."},
        footer = {"", "Exit codes: 0 accepted (with --wait: all finished), 1 the server could not be reached or (with "
                + "--wait) a workflow failed or was cancelled, 2 invalid input or refused (nothing of that file was "
                + "accepted)."})
final class SubmitCommand implements Callable<Integer> {

    /** How often --wait asks the server. */
    static final long POLL_MILLIS = 200;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Workflow files (.json, .yaml, .yml).")
    List<Path> files;

    @Option(names = "--wait", description = "Wait until every submitted workflow has ended.")
    boolean await;

    @Option(names = "--json", description = "Print the server's answers (with --wait: the workflows as they ended) as JSON.")
    boolean json;

    @Mixin
    ServerOptions.Client client;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServerOptions.Api api = client.api(spec);
        List<String> ids = new ArrayList<>();
        for (Path file : files) {
            String text;
            try {
                text = DocumentReader.readFile(file);
            } catch (ValidationException e) {
                return WorkflowRunner.reportInvalid(e, err);
            }
            String type = DocumentReader.formatOf(file) == WorkflowParser.Format.YAML ? "application/yaml" : "application/json";
            try {
                JsonNode answer = api.post("/api/v1/workflows", type, text);
                for (JsonNode workflow : answer.path("workflows")) {
                    ids.add(workflow.path("id").asText());
                    if (!json) {
                        out.println("accepted " + workflow.path("id").asText() + " (" + file + ")");
                    }
                }
            } catch (ServerOptions.ApiException e) {
                return refused(e, file, err);
            }
        }
        if (!await) {
            if (json) {
                ArrayNode list = ServerOptions.Api.JSON.createArrayNode();
                ids.forEach(id -> list.addObject().put("id", id).put("status", "ACCEPTED"));
                out.println(list.toPrettyString());
            }
            out.flush();
            return 0;
        }
        boolean allFinished = true;
        ArrayNode ended = ServerOptions.Api.JSON.createArrayNode();
        for (String id : ids) {
            JsonNode workflow;
            try {
                workflow = waitForEnd(api, id);
            } catch (ServerOptions.ApiException e) {
                err.println("maze submit: " + e.getMessage());
                return MazeCommand.EXIT_FAILED;
            }
            ended.add(workflow);
            allFinished &= workflow.path("state").asText().equals("FINISHED");
            if (!json) {
                out.println(StatusCommand.line(workflow));
            }
        }
        if (json) {
            out.println(ended.toPrettyString());
        }
        out.flush();
        return allFinished ? 0 : MazeCommand.EXIT_FAILED;
    }

    static JsonNode waitForEnd(ServerOptions.Api api, String id) throws ServerOptions.ApiException, InterruptedException {
        while (true) {
            JsonNode workflow = api.get("/api/v1/workflows/" + id);
            if (!workflow.path("state").asText().equals("RUNNING")) {
                return workflow;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /** What a refused submission prints: the problem's errors one per line, as validation prints them. */
    static int refused(ServerOptions.ApiException e, Path file, PrintWriter err) {
        if (e.status == 0) {
            err.println("maze: " + e.getMessage());
            err.flush();
            return MazeCommand.EXIT_FAILED;
        }
        err.println("maze: " + (file == null ? "" : file + ": ") + e.getMessage());
        if (e.problem != null) {
            for (JsonNode error : e.problem.path("errors")) {
                StringBuilder line = new StringBuilder("  ");
                if (error.hasNonNull("workflow")) {
                    line.append("workflow '").append(error.get("workflow").asText()).append("' ");
                }
                if (error.hasNonNull("task")) {
                    line.append("task '").append(error.get("task").asText()).append("' ");
                }
                if (error.hasNonNull("field")) {
                    line.append("field '").append(error.get("field").asText()).append("': ");
                }
                err.println(line.append(error.path("message").asText()));
            }
        }
        err.flush();
        return e.status >= 500 ? MazeCommand.EXIT_FAILED : MazeCommand.EXIT_INVALID;
    }
}
