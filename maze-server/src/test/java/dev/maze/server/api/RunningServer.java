package dev.maze.server.api;

import dev.maze.core.clock.WallClock;
import dev.maze.core.engine.Engine;
import dev.maze.core.node.NodeSpec;
import dev.maze.server.store.SqliteJournal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real server for a test, started as {@code MazeServerTest} starts one: an engine on the wall clock with a SQLite
 * journal in a temporary directory, and the API on a free loopback port; closed server first, then engine.
 */
final class RunningServer implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Engine engine;
    private final MazeServer server;
    private final String token;

    private RunningServer(Engine engine, MazeServer server, String token) {
        this.engine = engine;
        this.server = server;
        this.token = token;
    }

    static RunningServer start(Path dir, String token, List<NodeSpec> nodes) throws Exception {
        SqliteJournal journal = SqliteJournal.open(dir.resolve("journal.db"));
        EventHub events = new EventHub();
        Engine engine = Engine.builder().clock(WallClock.sinceEpoch()).nodes(nodes).journal(journal)
                .restore(journal.read()).listener(events).build().start();
        try {
            return new RunningServer(engine, MazeServer.start(engine, journal, events, new MazeServer.Config(
                    "127.0.0.1", 0, ApiToken.given(token), 1 << 20, MazeServer.Preparation.NONE)), token);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    URI url() {
        return server.url();
    }

    /** {@code method path} with the server's token ({@code authorized}) or none; the body as text. */
    HttpResponse<String> send(String method, String path, String contentType, String body, boolean authorized)
            throws Exception {
        return send(server.url(), authorized ? token : null, method, path, contentType, body);
    }

    /** {@code method path} to the server at {@code base}, with {@code token} unless it is null; the body as text. */
    static HttpResponse<String> send(URI base, String token, String method, String path, String contentType,
            String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            engine.close();
        }
    }
}
