package dev.maze.explore.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Volume;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.maze.core.exec.ExecutionContext;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.exec.TaskInvocation;
import dev.maze.core.exec.TaskResult;
import dev.maze.core.workflow.InputCheck;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Kind {@code container}: runs a command in a Docker or Podman container through the engine's HTTP API (docker-java;
 * Podman serves the same API), the experiment's workspace mounted at {@code /workspace}. Inputs: {@code image},
 * {@code command} (a list), {@code workspace} (the host directory), {@code env} (NAME: value), {@code memoryBytes},
 * {@code nanoCpus}, {@code pids}, {@code network} (false: {@code NetworkMode none}), {@code stdout} and
 * {@code stderr} (host files the logs are written to). A missing image is pulled. The result is the process
 * executor's: success on exit 0, else {@code exit code N} (with {@code (OOMKilled)} when the engine says so) and the
 * end of stderr; a cancel or timeout kills and removes the container.
 */
public final class ContainerExecutor implements TaskExecutor {

    /** Where containers see the workspace. */
    public static final String WORKDIR = "/workspace";

    private final DockerClient docker;
    private final String host;
    /** Runs not yet cleaned up: {@link #close} waits for them, so no container outlives the engine. */
    private final java.util.Set<java.util.concurrent.CompletableFuture<Void>> running =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    private ContainerExecutor(DockerClient docker, String host) {
        this.docker = docker;
        this.host = host;
    }

    /**
     * A client of the engine at {@code host} ({@code unix:///var/run/docker.sock}, {@code tcp://127.0.0.1:2375}), or
     * of the first one found: {@code $DOCKER_HOST}, Docker's socket, then Podman's (rootless, then root).
     *
     * @throws IllegalStateException when none answers, saying where it looked
     */
    public static ContainerExecutor connect(String host) {
        List<String> tried = new ArrayList<>();
        for (String candidate : candidates(host)) {
            tried.add(candidate);
            try {
                DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                        .withDockerHost(candidate).build();
                ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                        .sslConfig(config.getSSLConfig()).connectionTimeout(Duration.ofSeconds(5))
                        .responseTimeout(Duration.ofHours(48)).build();
                DockerClient client = DockerClientImpl.getInstance(config, http);
                client.pingCmd().exec();
                return new ContainerExecutor(client, candidate);
            } catch (RuntimeException e) {
                // not this one
            }
        }
        throw new IllegalStateException("no container engine answers (tried " + String.join(", ", tried) + "): start "
                + "Docker or Podman (podman system service), set DOCKER_HOST or sandbox.container.host, or leave out "
                + "sandbox.container to run in the process sandbox");
    }

    private static List<String> candidates(String host) {
        if (host != null) {
            return List.of(host);
        }
        List<String> found = new ArrayList<>();
        String env = System.getenv("DOCKER_HOST");
        if (env != null && !env.isBlank()) {
            found.add(env);
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        for (String socket : new String[] {"/var/run/docker.sock",
                runtime == null ? null : runtime + "/podman/podman.sock", "/run/podman/podman.sock"}) {
            if (socket != null && Files.exists(Path.of(socket))) {
                found.add("unix://" + socket);
            }
        }
        if (found.isEmpty()) {
            found.add("unix:///var/run/docker.sock");
        }
        return found;
    }

    /** The engine it talks to. */
    public String host() {
        return host;
    }

    @Override
    public String kind() {
        return "container";
    }

    @Override
    public List<InputCheck.Problem> check(JsonNode inputs) {
        List<InputCheck.Problem> problems = new ArrayList<>();
        if (!inputs.path("image").isTextual() || inputs.path("image").asText().isBlank()) {
            problems.add(new InputCheck.Problem("inputs.image", "a container task needs an image"));
        }
        if (!inputs.path("command").isArray() || inputs.path("command").isEmpty()) {
            problems.add(new InputCheck.Problem("inputs.command", "a non-empty list of strings"));
        }
        if (!inputs.path("workspace").isTextual()) {
            problems.add(new InputCheck.Problem("inputs.workspace", "the host directory mounted at " + WORKDIR));
        }
        return problems;
    }

    @Override
    public Execution start(TaskInvocation invocation, ExecutionContext context) {
        AtomicReference<String> container = new AtomicReference<>();
        AtomicBoolean cancelled = new AtomicBoolean();
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        running.add(done);
        context.blockingExecutor().submit(() -> {
            try {
                TaskResult result = run(invocation.inputs(), container, cancelled);
                remove(container.get());
                context.complete(result);
            } catch (RuntimeException | IOException | InterruptedException e) {
                remove(container.get());
                context.complete(new TaskResult.Failure(cancelled.get() ? "cancelled"
                        : "container engine " + host + " failed: " + e.getMessage(), false));
            } finally {
                running.remove(done);
                done.complete(null);
            }
        });
        return () -> {
            cancelled.set(true);
            String id = container.get();
            if (id != null) {
                try {
                    docker.killContainerCmd(id).exec();
                } catch (RuntimeException e) {
                    // it ended meanwhile
                }
            }
        };
    }

    private TaskResult run(JsonNode in, AtomicReference<String> container, AtomicBoolean cancelled)
            throws IOException, InterruptedException {
        String image = in.get("image").asText();
        List<String> command = new ArrayList<>();
        in.get("command").forEach(part -> command.add(part.asText()));
        List<String> env = new ArrayList<>();
        in.path("env").fields().forEachRemaining(e -> env.add(e.getKey() + "=" + e.getValue().asText()));
        HostConfig limits = HostConfig.newHostConfig()
                .withBinds(new Bind(in.get("workspace").asText(), new Volume(WORKDIR)));
        long memory = in.path("memoryBytes").asLong(0);
        if (memory > 0) {
            limits.withMemory(memory).withMemorySwap(memory); // no escape into swap
        }
        if (in.path("nanoCpus").asLong(0) > 0) {
            limits.withNanoCPUs(in.get("nanoCpus").asLong());
        }
        if (in.path("pids").asLong(0) > 0) {
            limits.withPidsLimit(in.get("pids").asLong());
        }
        if (!in.path("network").asBoolean(true)) {
            limits.withNetworkMode("none");
        }
        String id;
        try {
            id = create(image, command, env, limits);
        } catch (NotFoundException e) {
            docker.pullImageCmd(image).exec(new PullImageResultCallback()).awaitCompletion();
            id = create(image, command, env, limits);
        }
        container.set(id);
        if (cancelled.get()) {
            return new TaskResult.Failure("cancelled");
        }
        docker.startContainerCmd(id).exec();
        int code = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode();
        Boolean oom = docker.inspectContainerCmd(id).exec().getState().getOOMKilled();
        Path stdout = Path.of(in.path("stdout").asText("/dev/null"));
        Path stderr = Path.of(in.path("stderr").asText("/dev/null"));
        try (OutputStream out = Files.newOutputStream(stdout); OutputStream err = Files.newOutputStream(stderr)) {
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withFollowStream(false)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            try {
                                (frame.getStreamType() == StreamType.STDERR ? err : out).write(frame.getPayload());
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    }).awaitCompletion();
        }
        if (cancelled.get()) {
            return new TaskResult.Failure("cancelled");
        }
        if (code != 0) {
            String tail = ExperimentRunner.tail(stderr);
            return new TaskResult.Failure("exit code " + code + (Boolean.TRUE.equals(oom) ? " (OOMKilled)" : "")
                    + (tail.isBlank() ? "" : "; stderr: " + tail));
        }
        return new TaskResult.Success(JsonNodeFactory.instance.objectNode().put("exitCode", 0));
    }

    private String create(String image, List<String> command, List<String> env, HostConfig limits) {
        return docker.createContainerCmd(image).withCmd(command).withEnv(env).withWorkingDir(WORKDIR)
                .withHostConfig(limits).exec().getId();
    }

    private void remove(String id) {
        if (id != null) {
            try {
                docker.removeContainerCmd(id).withForce(true).exec();
            } catch (RuntimeException e) {
                // gone already
            }
        }
    }

    @Override
    public void close() {
        try {
            java.util.concurrent.CompletableFuture.allOf(running.stream()
                    .toArray(java.util.concurrent.CompletableFuture[]::new)).get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            // gone on waiting long enough: close anyway
        }
        try {
            docker.close();
        } catch (IOException e) {
            // nothing to keep
        }
    }
}
