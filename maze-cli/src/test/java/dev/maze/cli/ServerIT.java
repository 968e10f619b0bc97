package dev.maze.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.maze.server.store.Journals;
import dev.maze.server.store.PrivatePostgres;
import dev.maze.server.store.ServerJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code bin/maze server} as a real process, driven by {@code bin/maze submit|status|cancel}, killed with -9. */
class ServerIT {

    private static final Path HOME = Path.of(System.getProperty("maze.home", "..")).toAbsolutePath().normalize();
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path temp;

    private Process server;
    private String url;
    private final List<String> serverOut = new ArrayList<>();
    /** The server's --store (null: none given, so SQLite in the data directory), and its password. */
    private String store;
    private String storePassword;

    record Result(int exitCode, String out, String err) {}

    @AfterEach
    void stopServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor();
        }
    }

    private void startServer() throws Exception {
        List<String> command = new ArrayList<>(List.of(HOME.resolve("bin/maze").toString(), "server", "--port", "0",
                "--data-dir", temp.resolve("data").toString(), "--gpus", "1", "--allow-command", "wc"));
        if (store != null) {
            command.addAll(List.of("--store", store));
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(HOME.toFile()).redirectError(temp.resolve("server-err.txt").toFile());
        builder.environment().put("MAZE_MODEL_DIR", temp.resolve("models").toString());
        builder.environment().remove("MAZE_API_TOKEN");
        builder.environment().remove(Journals.STORE_ENV);
        if (storePassword != null) {
            builder.environment().put(Journals.PASSWORD_ENV, storePassword);
        }
        server = builder.start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        url = null;
        for (String line; url == null && (line = lines.readLine()) != null; ) {
            serverOut.add(line);
            Matcher listening = LISTENING.matcher(line);
            if (listening.find()) {
                url = listening.group(1);
            }
        }
        assertThat(url).as("the server said where it listens: " + serverOut + " / "
                + Files.readString(temp.resolve("server-err.txt"))).isNotNull();
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = lines.readLine()) != null; ) {
                    synchronized (serverOut) {
                        serverOut.add(line);
                    }
                }
            } catch (IOException e) {
                // the server ended
            }
        });
        reader.setDaemon(true);
        reader.start();
    }

    private boolean printed(String text) {
        synchronized (serverOut) {
            return serverOut.stream().anyMatch(line -> line.contains(text));
        }
    }

    private Result maze(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(HOME.resolve("bin/maze").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--server", url, "--data-dir", temp.resolve("data").toString()));
        Path out = Files.createTempFile(temp, "out", ".txt");
        Path err = Files.createTempFile(temp, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(HOME.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("MAZE_API_TOKEN");
        Process process = builder.start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("bin/maze " + String.join(" ", args)).isTrue();
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void submitWaitStatusAndCancelAgainstARealServerWithItsGeneratedToken() throws Exception {
        startServer();
        Path token = temp.resolve("data/api-token");
        assertThat(Files.getPosixFilePermissions(token)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline && !printed("dashboard: ")) {
            Thread.sleep(20); // the lines after the one startServer waited for
        }
        synchronized (serverOut) {
            assertThat(String.join("\n", serverOut)).contains("API token", Files.readString(token).strip())
                    .as("the dashboard's address, the generated token in its fragment")
                    .contains("dashboard: " + url + "/#token=" + Files.readString(token).strip());
        }

        Result submitted = maze("submit", "examples/llm-chain.yaml", "--wait");
        assertThat(submitted.exitCode()).as(submitted.err()).isZero();
        assertThat(submitted.out()).contains("accepted ", "FINISHED");
        String id = submitted.out().lines().filter(l -> l.startsWith("accepted ")).findFirst().orElseThrow().split(" ")[1];
        Result status = maze("status", id);
        assertThat(status.exitCode()).as(status.err()).isZero();
        assertThat(status.out()).contains(id, "FINISHED", "attempts 1");

        Path slow = Files.writeString(temp.resolve("slow.yaml"),
                "{name: slow, id: slow-1, tasks: [{id: a, kind: sim, inputs: {seconds: 300}}]}");
        assertThat(maze("submit", slow.toString()).exitCode()).isZero();
        assertThat(maze("status").out()).contains("slow-1");
        Result cancelled = maze("cancel", "slow-1");
        assertThat(cancelled.exitCode()).as(cancelled.err()).isZero();
        assertThat(maze("cancel", "slow-1").exitCode()).as("it already ended").isEqualTo(2);

        Path invalid = Files.writeString(temp.resolve("invalid.yaml"), "{name: bad, tasks: [{id: a, kind: nope}]}");
        Result refused = maze("submit", invalid.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("task 'a'", "unknown kind 'nope'");
    }

    @Test
    void killedWithSigkillMidRunTheServerRestartsAndFinishesTheWorkWithoutRunningFinishedTasksAgain() throws Exception {
        startServer();
        Path chain = Files.writeString(temp.resolve("chain.yaml"), """
                name: chain
                id: chain-1
                tasks:
                  - {id: first, kind: sim, inputs: {seconds: 0.1}}
                  - {id: long, kind: sim, dependsOn: [first], inputs: {seconds: 4}}
                  - {id: last, kind: sim, dependsOn: [long], inputs: {seconds: 0.1}}
                """);
        assertThat(maze("submit", chain.toString()).exitCode()).isZero();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!maze("status", "chain-1").out().matches("(?s).*long\\s+RUNNING.*") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(maze("status", "chain-1").out()).containsPattern("long\\s+RUNNING");
        server.destroyForcibly().waitFor(); // kill -9: nothing is flushed, nothing is closed
        startServer();
        assertThat(String.join("\n", serverOut)).contains("1 workflow(s) restored");

        Result waited = maze("submit", Files.writeString(temp.resolve("after.yaml"),
                "{name: after, tasks: [{id: a, kind: sim, inputs: {seconds: 0}}]}").toString(), "--wait");
        assertThat(waited.exitCode()).as(waited.err()).isZero();
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Result status = maze("status", "chain-1");
        while (!status.out().startsWith("chain-1  chain  FINISHED") && System.nanoTime() < deadline) {
            Thread.sleep(200);
            status = maze("status", "chain-1");
        }
        assertThat(status.out()).startsWith("chain-1  chain  FINISHED");
        assertThat(status.out()).containsPattern("first\\s+FINISHED\\s+attempts 1");
        assertThat(status.out()).containsPattern("last\\s+FINISHED\\s+attempts 1");
    }

    private String api(String method, String path, String yaml) throws Exception {
        java.net.http.HttpResponse<String> response = send(method, path, yaml, null);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isLessThan(300);
        return response.body();
    }

    private java.net.http.HttpResponse<String> send(String method, String path, String yaml, String idempotencyKey)
            throws Exception {
        String token = Files.readString(temp.resolve("data/api-token")).strip();
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + path))
                .header("Authorization", "Bearer " + token).timeout(java.time.Duration.ofSeconds(30));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        request = yaml == null ? request.method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/yaml")
                        .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(yaml));
        return java.net.http.HttpClient.newHttpClient().send(request.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The same suite on each store; PostgreSQL (a private server, {@link PrivatePostgres}) has 4 rounds instead of 6
     * to keep the run short — a kill -9 and a SIGTERM among them — since the store is what differs, not the server.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void killedAtRandomMomentsManyTimesItLosesNothingAcceptedAndRunsNothingFinishedTwice(String kind) throws Exception {
        int rounds = 6;
        if (kind.equals("postgresql")) {
            PrivatePostgres postgres = PrivatePostgres.shared();
            store = postgres.createDatabase();
            storePassword = postgres.password();
            rounds = 4;
        }
        java.util.Random random = new java.util.Random(42);
        List<String> accepted = new ArrayList<>();
        java.util.Map<String, String> requests = new java.util.LinkedHashMap<>();
        startServer();
        for (int round = 0; round < rounds; round++) {
            // Each round: a few workflows accepted (the 202 means stored), then a kill -9 at a random moment.
            for (int w = 0; w < 4; w++) {
                String id = "r" + round + "-w" + w;
                String body = "{name: chain, id: " + id + ", tasks: ["
                        + "{id: a, kind: sim, inputs: {seconds: " + (0.1 + random.nextDouble() * 0.5) + "}},"
                        + "{id: b, kind: sim, dependsOn: [a], inputs: {seconds: " + (0.1 + random.nextDouble() * 0.5) + "}},"
                        + "{id: c, kind: sim, dependsOn: [b], inputs: {seconds: " + (0.1 + random.nextDouble() * 0.5) + "}}]}";
                java.net.http.HttpResponse<String> response = send("POST", "/api/v1/workflows", body, "key-" + id);
                assertThat(response.statusCode()).as(id + ": " + response.body()).isEqualTo(202);
                accepted.add(id);
                requests.put(id, body);
            }
            Thread.sleep(50 + random.nextInt(900));
            if (round % 3 == 2) {
                server.destroy(); // SIGTERM: a restart of the service stops without cancelling what runs
            } else {
                server.destroyForcibly(); // kill -9
            }
            server.waitFor();
            startServer();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (String id : accepted) {
            String state = "";
            while (!state.equals("FINISHED") && System.nanoTime() < deadline) {
                state = com.fasterxml.jackson.databind.json.JsonMapper.builder().build()
                        .readTree(api("GET", "/api/v1/workflows/" + id, null)).path("state").asText();
                Thread.sleep(state.equals("FINISHED") ? 0 : 100);
            }
            assertThat(state).as(id + " finished").isEqualTo("FINISHED");
        }
        // Every key was stored with its acceptance: a retry after the kills is answered, not submitted again.
        for (String id : accepted) {
            java.net.http.HttpResponse<String> retry = send("POST", "/api/v1/workflows", requests.get(id), "key-" + id);
            assertThat(retry.statusCode()).as(id + " retried: " + retry.body()).isEqualTo(202);
            assertThat(retry.headers().firstValue("Idempotent-Replayed")).as(id).hasValue("true");
            assertThat(retry.body()).contains("\"" + id + "\"");
        }
        server.destroy(); // SIGTERM: stops without cancelling anything
        server.waitFor();
        if (storePassword != null) {
            synchronized (serverOut) {
                assertThat(String.join("\n", serverOut) + Files.readString(temp.resolve("server-err.txt")))
                        .doesNotContain(storePassword);
            }
        }
        // The store's own records: every accepted workflow once, every task finished exactly once.
        try (ServerJournal journal = Journals.open(kind.equals("sqlite") ? null : store, temp.resolve("data"),
                storePassword)) {
            for (String id : accepted) {
                List<dev.maze.core.engine.StateEvent> history = journal.history(id);
                assertThat(history).filteredOn(e -> e instanceof dev.maze.core.engine.StateEvent.WorkflowAccepted)
                        .as(id).hasSize(1);
                for (String task : List.of("a", "b", "c")) {
                    assertThat(history).filteredOn(e -> e instanceof dev.maze.core.engine.StateEvent.TaskFinished f
                            && f.taskId().equals(task)).as(id + " " + task + " finished once, in " + history.stream().map(e -> e.sequence() + ":"
                                    + e.getClass().getSimpleName() + (e instanceof dev.maze.core.engine.StateEvent.OfTask t
                                    ? "(" + t.taskId() + ")" : "")).toList()).hasSize(1);
                }
                assertThat(history.get(history.size() - 1)).isInstanceOf(dev.maze.core.engine.StateEvent.WorkflowEnded.class);
            }
        }
    }
}
