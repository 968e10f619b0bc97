package dev.maze.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.engine.WorkflowSnapshot;
import dev.maze.core.workflow.WorkflowSpec;
import dev.maze.explore.run.WorkflowBackend;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Experiments submitted to a {@code maze server} instead of an engine in this process ({@code maze explore --server}):
 * each experiment's workflow goes through the HTTP API, so its processes share the server's nodes, queues and model
 * endpoints with every other workflow it runs. The server must see the exploration's directory at the same path (the
 * workspaces are paths) and allow its programs.
 */
final class ServerBackend implements WorkflowBackend {

    private final ServerOptions.Api api;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ServerBackend(ServerOptions.Api api) {
        this.api = api;
    }

    @Override
    public WorkflowSnapshot run(WorkflowSpec spec) throws InterruptedException {
        if (closed) {
            return null;
        }
        String id;
        try {
            JsonNode answer = api.post("/api/v1/workflows", "application/json",
                    WorkflowExport.workflow(spec, 1).toString());
            id = answer.path("workflows").path(0).path("id").asText();
        } catch (ServerOptions.ApiException e) {
            throw new IllegalStateException("the server refused the experiment's workflow: " + e.getMessage(), e);
        }
        running.add(id);
        try {
            JsonNode end = SubmitCommand.waitForEnd(api, id);
            return closed ? null : ServerOptions.Api.JSON.treeToValue(end, WorkflowSnapshot.class);
        } catch (ServerOptions.ApiException e) {
            if (closed) {
                return null;
            }
            throw new IllegalStateException("lost the experiment's workflow " + id + ": " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the server's answer for " + id + " is not a workflow: " + e.getMessage(), e);
        } finally {
            running.remove(id);
        }
    }

    /** Cancels the experiments still running on the server: a stopped exploration leaves nothing behind. */
    @Override
    public void close() {
        closed = true;
        for (String id : running) {
            try {
                api.delete("/api/v1/workflows/" + id);
            } catch (ServerOptions.ApiException e) {
                // it ended meanwhile, or the server is gone: nothing left to stop
            }
        }
    }
}
