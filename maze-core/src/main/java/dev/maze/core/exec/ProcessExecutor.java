package dev.maze.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.workflow.InputCheck;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Kind {@code process}: runs a program. Inputs:
 * <ul>
 *   <li>{@code command}: the program and its arguments, a list of strings (no shell unless you call one);
 *   <li>{@code env} (optional): extra environment variables;
 *   <li>{@code workingDir} (optional): directory to run in;
 *   <li>{@code stdin} (optional): text written to the program's standard input.
 * </ul>
 * Output: {@code {"text": stdout, "exitCode": 0}}, plus {@code "json"} when stdout parses as JSON. A non-zero
 * exit fails the attempt with the end of stderr in the message. Cancelling (or a timeout) kills the process and
 * all its descendants.
 */
public final class ProcessExecutor implements TaskExecutor {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** Environment added to every process (a task's own {@code env} wins). */
    private final Map<String, String> environment;
    /** Directory processes run in unless a task names its own; null: Maze's working directory. */
    private final File workingDir;

    /** No extra environment; processes run in Maze's working directory. */
    public ProcessExecutor() {
        this(Map.of(), null);
    }

    /**
     * @param environment variables added to every process's environment
     * @param workingDir directory processes run in unless the task names one; null for Maze's own
     */
    public ProcessExecutor(Map<String, String> environment, File workingDir) {
        this.environment = Map.copyOf(environment);
        this.workingDir = workingDir;
    }

    /**
     * From {@code executors.process}: {@code environment} (a map of NAME: value added to every process) and
     * {@code workingDir} (default directory; must exist).
     */
    static ProcessExecutor create(ExecutorSettings settings) {
        Map<String, String> environment = settings.strings("environment");
        String dir = settings.text("workingDir", null);
        settings.done();
        if (dir != null && !new File(dir).isDirectory()) {
            throw new IllegalArgumentException("executors.process.workingDir: '" + dir + "' is not a directory");
        }
        return new ProcessExecutor(environment, dir == null ? null : new File(dir));
    }
    /** How much of stderr a failure message keeps. */
    static final int STDERR_TAIL_CHARS = 2000;

    @Override
    public String kind() {
        return "process";
    }

    @Override
    public List<InputCheck.Problem> check(JsonNode inputs) {
        List<InputCheck.Problem> problems = new ArrayList<>();
        JsonNode command = inputs.get("command");
        if (command == null || !command.isArray() || command.isEmpty()) {
            problems.add(new InputCheck.Problem("inputs.command",
                    "a process task needs inputs.command, a non-empty list of strings such as [\"python3\", \"tool.py\"]"));
        } else {
            for (int i = 0; i < command.size(); i++) {
                if (!command.get(i).isTextual()) {
                    problems.add(new InputCheck.Problem("inputs.command[" + i + "]", "expected a string, found " + command.get(i)));
                }
            }
        }
        JsonNode env = inputs.get("env");
        if (env != null && !env.isObject()) {
            problems.add(new InputCheck.Problem("inputs.env", "expected an object of NAME: value strings"));
        } else if (env != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                    problems.add(new InputCheck.Problem("inputs.env." + entry.getKey(),
                            "expected a string, number or boolean, found " + entry.getValue()));
                }
            }
        }
        JsonNode stdin = inputs.get("stdin");
        if (stdin != null && !stdin.isTextual()) {
            problems.add(new InputCheck.Problem("inputs.stdin", "expected a string (templates allowed), found " + stdin));
        }
        JsonNode workingDir = inputs.get("workingDir");
        if (workingDir != null && !workingDir.isTextual()) {
            problems.add(new InputCheck.Problem("inputs.workingDir", "expected a directory path"));
        }
        return problems;
    }

    @Override
    public Execution start(TaskInvocation invocation, ExecutionContext context) {
        AtomicBoolean cancelled = new AtomicBoolean();
        RunningProcess running = new RunningProcess();
        Future<?> future = context.blockingExecutor().submit(() -> {
            try {
                context.complete(run(invocation.inputs(), running, cancelled));
            } catch (IOException e) {
                // A program that cannot be started (missing, not executable) cannot be started next time either.
                context.complete(new TaskResult.Failure("cannot start "
                        + Excerpt.of(invocation.inputs().get("command").toString()) + ": " + Excerpt.of(e.getMessage()),
                        false));
            } catch (InterruptedException e) {
                running.killTree();
                context.complete(new TaskResult.Failure("cancelled"));
            }
        });
        return () -> {
            if (cancelled.compareAndSet(false, true)) {
                running.killTree();
                future.cancel(true);
            }
        };
    }

    private TaskResult run(JsonNode inputs, RunningProcess running, AtomicBoolean cancelled)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        inputs.get("command").forEach(part -> command.add(part.asText()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        if (workingDir != null) {
            builder.directory(workingDir);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = inputs.path("env").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            builder.environment().put(entry.getKey(), entry.getValue().asText());
        }
        if (inputs.hasNonNull("workingDir")) {
            builder.directory(new File(inputs.get("workingDir").asText()));
        }
        Process process = builder.start();
        running.set(process);
        if (cancelled.get()) { // cancelled while starting
            running.killTree();
        }
        // stdin is fed on its own thread while stdout and stderr are drained: a program that writes a lot
        // before reading its input would otherwise deadlock against a full pipe.
        byte[] input = inputs.hasNonNull("stdin") ? inputs.get("stdin").asText().getBytes(StandardCharsets.UTF_8) : new byte[0];
        Thread stdinWriter = Thread.ofVirtual().start(() -> {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input);
            } catch (IOException e) {
                // The program exited or closed its input without reading it all; its exit code tells the story.
            }
        });
        StreamCollector stderr = new StreamCollector(process.getErrorStream());
        Thread stderrReader = Thread.ofVirtual().start(stderr);
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exitCode = process.waitFor();
        stderrReader.join();
        stdinWriter.join();
        if (cancelled.get()) {
            return new TaskResult.Failure("cancelled");
        }
        if (exitCode != 0) {
            String tail = stderr.text();
            tail = tail.length() > STDERR_TAIL_CHARS ? "..." + tail.substring(tail.length() - STDERR_TAIL_CHARS) : tail;
            return new TaskResult.Failure("exit code " + exitCode + (tail.isBlank() ? "" : "; stderr: " + tail.strip()));
        }
        ObjectNode output = JSON.createObjectNode();
        output.put("text", stdout);
        output.put("exitCode", exitCode);
        JsonNode parsed = parseJson(stdout);
        if (parsed != null) {
            output.set("json", parsed);
        }
        return new TaskResult.Success(output);
    }

    private static JsonNode parseJson(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || !(trimmed.startsWith("{") || trimmed.startsWith("["))) {
            return null;
        }
        try {
            return JSON.readTree(trimmed);
        } catch (IOException e) {
            return null;
        }
    }

    /** The process of one attempt, killable from any thread. */
    private static final class RunningProcess {
        private volatile Process process;

        void set(Process started) {
            process = started;
        }

        /** Kills descendants first (so none is re-parented and survives), then the process itself. */
        void killTree() {
            Process current = process;
            if (current == null) {
                return;
            }
            current.descendants().forEach(ProcessHandle::destroyForcibly);
            current.destroyForcibly();
        }
    }

    /** Reads a stream to the end on its own thread. */
    private static final class StreamCollector implements Runnable {
        private final InputStream stream;
        private volatile String text = "";

        StreamCollector(InputStream stream) {
            this.stream = stream;
        }

        @Override
        public void run() {
            try {
                text = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = "(stderr unreadable: " + e.getMessage() + ")";
            }
        }

        String text() {
            return text;
        }
    }
}
