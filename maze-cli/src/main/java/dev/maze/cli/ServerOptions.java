package dev.maze.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.server.api.ApiToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options of the commands that run or talk to {@code maze server}, and the client the latter share. */
final class ServerOptions {

    private ServerOptions() {}

    /** Where the server keeps its state (journal, token): {@code --data-dir}, else $MAZE_DATA_DIR, else ~/.maze/server. */
    static final class DataDir {
        @Option(names = "--data-dir", paramLabel = "DIR",
                description = "The server's state: its journal and API token. Default: $MAZE_DATA_DIR, else ~/.maze/server.")
        Path dataDir;

        Path path() {
            if (dataDir != null) {
                return dataDir;
            }
            String fromEnvironment = System.getenv("MAZE_DATA_DIR");
            return fromEnvironment != null && !fromEnvironment.isBlank() ? Path.of(fromEnvironment)
                    : Path.of(System.getProperty("user.home"), ".maze", "server");
        }
    }

    /** The server a client command talks to, and its token. */
    static final class Client {
        @Option(names = "--server", paramLabel = "URL",
                description = "The Maze server. Default: $MAZE_SERVER, else http://127.0.0.1:8080.")
        String server;

        @Mixin
        DataDir dataDir;

        URI base(CommandLine.Model.CommandSpec spec) {
            String url = server != null ? server : System.getenv("MAZE_SERVER");
            if (url == null || url.isBlank()) {
                url = "http://127.0.0.1:8080";
            }
            URI uri;
            try {
                uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--server: '" + url + "' is not a URL");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--server: expected an http or https URL such as http://127.0.0.1:8080, got '" + url + "'");
            }
            return uri;
        }

        /** $MAZE_API_TOKEN, else the token file in the data directory (a server on this machine wrote it). */
        String token(CommandLine.Model.CommandSpec spec) {
            String given = System.getenv(ApiToken.ENV);
            if (given != null && !given.isBlank()) {
                return given.strip();
            }
            Path file = dataDir.path().resolve(ApiToken.FILE_NAME);
            try {
                return Files.readString(file).strip();
            } catch (IOException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "no API token: set $" + ApiToken.ENV
                        + ", or run where the server's data directory is readable (" + file + " could not be read: "
                        + FileErrors.describe(e) + "; --data-dir names another)");
            }
        }

        Api api(CommandLine.Model.CommandSpec spec) {
            return new Api(base(spec), token(spec));
        }
    }

    /** A failed call: what the server (or the network) said, for the user. */
    static final class ApiException extends Exception {
        final int status;
        final JsonNode problem;

        ApiException(int status, String message, JsonNode problem) {
            super(message);
            this.status = status;
            this.problem = problem;
        }
    }

    /** A client of the server's API: JSON in and out, the token on every call. */
    static final class Api {
        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        static final JsonMapper JSON = JsonMapper.builder().build();

        private final URI base;
        private final String token;

        Api(URI base, String token) {
            this.base = base;
            this.token = token;
        }

        URI base() {
            return base;
        }

        JsonNode get(String path) throws ApiException {
            return send(HttpRequest.newBuilder(base.resolve(path)).GET(), path);
        }

        JsonNode delete(String path) throws ApiException {
            return send(HttpRequest.newBuilder(base.resolve(path)).DELETE(), path);
        }

        JsonNode post(String path, String contentType, String body) throws ApiException {
            return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofString(body)), path);
        }

        /** One server-sent event: its sequence number, kind and JSON data; or a comment (kind null, data its text). */
        record Event(long id, String kind, String data) {}

        /**
         * Reads the event stream at {@code path} (after {@code lastEventId} when it is positive), handing each event
         * and comment to {@code reader} until it returns false or the stream ends.
         *
         * @return whether the reader stopped it (false: the server ended it)
         */
        boolean stream(String path, long lastEventId, Predicate<Event> reader) throws ApiException {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET()
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream");
            if (lastEventId > 0) {
                request.header("Last-Event-ID", String.valueOf(lastEventId));
            }
            HttpResponse<Stream<String>> response;
            try {
                response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines());
            } catch (IOException | InterruptedException e) {
                throw failed(e, path);
            }
            try (Stream<String> lines = response.body()) {
                if (response.statusCode() >= 400) {
                    String text = String.join("\n", (Iterable<String>) lines::iterator);
                    throw problem(response.statusCode(), text, path);
                }
                long id = 0;
                String kind = null;
                StringBuilder data = new StringBuilder();
                for (var next = lines.iterator(); next.hasNext(); ) {
                    String line = next.next();
                    if (line.startsWith(":")) {
                        if (!reader.test(new Event(0, null, line.substring(1).strip()))) {
                            return true;
                        }
                    } else if (line.isEmpty()) {
                        if (kind != null && !reader.test(new Event(id, kind, data.toString()))) {
                            return true;
                        }
                        kind = null;
                        data.setLength(0);
                    } else if (line.startsWith("id:")) {
                        id = Long.parseLong(line.substring(3).strip());
                    } else if (line.startsWith("event:")) {
                        kind = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
                    }
                }
                return false;
            } catch (UncheckedIOException e) {
                throw failed(e.getCause(), path);
            }
        }

        private ApiException failed(Exception e, String path) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                return new ApiException(0, "interrupted", null);
            }
            if (e instanceof ConnectException) {
                return new ApiException(0, "no Maze server at " + base + " (start one with bin/maze server, or give "
                        + "--server URL)", null);
            }
            return new ApiException(0, "the call to " + base + path + " failed: " + e, null);
        }

        private ApiException problem(int status, String text, String path) {
            JsonNode body;
            try {
                body = text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
            } catch (IOException e) {
                return new ApiException(status, "the server at " + base + " answered " + status
                        + " with a body that is not JSON: is it a Maze server?", null);
            }
            return new ApiException(status, status + " " + body.path("title").asText("") + ": "
                    + body.path("detail").asText(text), body);
        }

        private JsonNode send(HttpRequest.Builder request, String path) throws ApiException {
            HttpResponse<String> response;
            try {
                response = HTTP.send(request.header("Authorization", "Bearer " + token)
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException | InterruptedException e) {
                throw failed(e, path);
            }
            if (response.statusCode() >= 400) {
                throw problem(response.statusCode(), response.body(), path);
            }
            try {
                return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            } catch (IOException e) {
                throw new ApiException(response.statusCode(), "the server at " + base + " answered " + response.statusCode()
                        + " with a body that is not JSON: is it a Maze server?", null);
            }
        }
    }
}
