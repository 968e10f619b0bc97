package dev.maze.explore.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A container engine for tests where none is installed: the Docker Engine API's calls the container executor makes
 * ({@code _ping}, create, start, wait, inspect, logs as the multiplexed raw stream, kill, remove), on loopback TCP.
 * A "container" runs its command as a local process in the bound host directory with the given environment; a
 * command {@code [oom]} ends as the engine reports an OOM kill. It records every create request.
 */
final class FakeDockerEngine implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    final List<JsonNode> created = new CopyOnWriteArrayList<>();
    final List<String> removed = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final Map<String, Box> boxes = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private static final class Box {
        final JsonNode spec;
        Process process;
        int code;
        boolean oom;

        Box(JsonNode spec) {
            this.spec = spec;
        }
    }

    FakeDockerEngine() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    String host() {
        return "tcp://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().replaceFirst("^/v[0-9.]+", "");
        String method = exchange.getRequestMethod();
        byte[] body = exchange.getRequestBody().readAllBytes();
        try {
            if (path.equals("/_ping")) {
                send(exchange, 200, "text/plain", "OK".getBytes(StandardCharsets.UTF_8));
            } else if (method.equals("POST") && path.equals("/containers/create")) {
                JsonNode spec = JSON.readTree(body);
                created.add(spec);
                String id = "c" + ids.incrementAndGet();
                boxes.put(id, new Box(spec));
                json(exchange, 201, "{\"Id\":\"" + id + "\",\"Warnings\":[]}");
            } else if (path.startsWith("/containers/")) {
                String[] parts = path.split("/");
                Box box = boxes.get(parts[2]);
                String action = parts.length > 3 ? parts[3] : "";
                if (box == null) {
                    json(exchange, 404, "{\"message\":\"No such container: " + parts[2] + "\"}");
                } else if (action.equals("start")) {
                    start(box);
                    send(exchange, 204, null, new byte[0]);
                } else if (action.equals("wait")) {
                    if (box.process != null) {
                        box.code = box.process.waitFor();
                    }
                    json(exchange, 200, "{\"StatusCode\":" + box.code + "}");
                } else if (action.equals("json")) {
                    json(exchange, 200, "{\"Id\":\"" + parts[2] + "\",\"State\":{\"Status\":\"exited\",\"Running\":false,"
                            + "\"OOMKilled\":" + box.oom + ",\"ExitCode\":" + box.code + "}}");
                } else if (action.equals("logs")) {
                    send(exchange, 200, "application/vnd.docker.raw-stream", logs(box));
                } else if (action.equals("kill")) {
                    if (box.process != null) {
                        box.process.destroyForcibly();
                    }
                    send(exchange, 204, null, new byte[0]);
                } else if (method.equals("DELETE")) {
                    removed.add(parts[2]);
                    boxes.remove(parts[2]);
                    send(exchange, 204, null, new byte[0]);
                } else {
                    json(exchange, 404, "{\"message\":\"not in the fake: " + path + "\"}");
                }
            } else {
                json(exchange, 404, "{\"message\":\"not in the fake: " + path + "\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            json(exchange, 500, "{\"message\":\"interrupted\"}");
        } catch (IOException | RuntimeException e) {
            json(exchange, 500, JSON.createObjectNode().put("message", "fake engine: " + e).toString());
        }
    }

    private void start(Box box) throws IOException {
        List<String> command = new ArrayList<>();
        box.spec.path("Cmd").forEach(part -> command.add(part.asText()));
        if (command.equals(List.of("oom"))) {
            box.code = 137;
            box.oom = true;
            return;
        }
        String bind = box.spec.path("HostConfig").path("Binds").path(0).asText();
        ProcessBuilder builder = new ProcessBuilder(command).directory(new java.io.File(bind.split(":")[0]));
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv("PATH"));
        box.spec.path("Env").forEach(pair -> {
            String text = pair.asText();
            builder.environment().put(text.substring(0, text.indexOf('=')), text.substring(text.indexOf('=') + 1));
        });
        box.process = builder.start();
    }

    /** The container's output as Docker frames it: [stream, 0, 0, 0, size (4 bytes, big-endian)] then the bytes. */
    private static byte[] logs(Box box) throws IOException {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        if (box.process != null) {
            frame(frames, 1, box.process.getInputStream().readAllBytes());
            frame(frames, 2, box.process.getErrorStream().readAllBytes());
        }
        return frames.toByteArray();
    }

    private static void frame(ByteArrayOutputStream frames, int stream, byte[] payload) {
        if (payload.length == 0) {
            return;
        }
        frames.write(stream);
        frames.write(0);
        frames.write(0);
        frames.write(0);
        frames.write(payload.length >>> 24);
        frames.write(payload.length >>> 16);
        frames.write(payload.length >>> 8);
        frames.write(payload.length);
        frames.write(payload, 0, payload.length);
    }

    private static void json(HttpExchange exchange, int status, String text) throws IOException {
        send(exchange, status, "application/json", text.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        if (type != null) {
            exchange.getResponseHeaders().set("Content-Type", type);
        }
        exchange.sendResponseHeaders(status, status == 204 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        boxes.values().forEach(box -> {
            if (box.process != null) {
                box.process.destroyForcibly();
            }
        });
        server.stop(0);
    }
}
