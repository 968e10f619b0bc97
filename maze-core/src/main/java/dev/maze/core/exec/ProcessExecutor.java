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
 * exit fails the attempt with the end of stderr in the message.
 *
 * <p>Stdout is read as UTF-8. Output that is not (a tool printing Latin-1, or binary) does not fail the task, because
 * its exit code says it worked, but it is not passed on silently changed either: {@code text} has U+FFFD in place of
 * each invalid byte, {@code stdoutBase64} holds the exact bytes, {@code warnings} says so with the offset of the first
 * invalid byte, and a warning is logged naming the workflow and task.
 *
 * <p>Each attempt runs in a session (and process group) of its own ({@code setsid}), so that everything it starts,
 * daemons re-parented to init included, can be found and stopped: on a timeout, a cancel or the engine closing, the
 * group gets SIGTERM, then SIGKILL after {@code executors.process.killGraceSeconds} (default 5); and when the
 * attempt's main process exits, whatever it left running in its group is killed, because a scheduler that accounts
 * for a task's resources cannot let it keep using them. Where {@code setsid} is missing, the process and its
 * descendants at that moment are killed instead (a warning says so once).
 */
public final class ProcessExecutor implements TaskExecutor {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** Environment added to every process (a task's own {@code env} wins). */
    private final Map<String, String> environment;
    /** Directory processes run in unless a task names its own; null: Maze's working directory. */
    private final File workingDir;
    /** The most stdout an attempt may write; beyond it the attempt fails and its process is killed. */
    private final long maxOutputBytes;
    /** Default of {@code executors.process.maxOutputMb}. */
    static final double DEFAULT_MAX_OUTPUT_MB = 16;
    /** Default of {@code executors.process.killGraceSeconds}. */
    static final double DEFAULT_KILL_GRACE_SECONDS = 5;
    /** {@code setsid}, which starts each attempt in a process group of its own; null where the system has none. */
    private static final String SETSID = java.util.stream.Stream.of("/usr/bin/setsid", "/bin/setsid")
            .filter(path -> new File(path).canExecute()).findFirst().orElse(null);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProcessExecutor.class);
    private static final AtomicBoolean WARNED_NO_SETSID = new AtomicBoolean();
    /** Seconds between SIGTERM and SIGKILL for a group being stopped. */
    private final double killGraceSeconds;
    /** Groups being stopped: {@link #close()} waits for them, so none outlives the engine. */
    private final java.util.Set<java.util.concurrent.CompletableFuture<Void>> stopping =
            java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** No extra environment; processes run in Maze's working directory; at most 16 MB of stdout; 5 s grace. */
    public ProcessExecutor() {
        this(Map.of(), null, DEFAULT_MAX_OUTPUT_MB);
    }

    /** As {@link #ProcessExecutor(Map, File, double, double)} with the default kill grace. */
    public ProcessExecutor(Map<String, String> environment, File workingDir, double maxOutputMb) {
        this(environment, workingDir, maxOutputMb, DEFAULT_KILL_GRACE_SECONDS);
    }

    /**
     * @param environment variables added to every process's environment
     * @param workingDir directory processes run in unless the task names one; null for Maze's own
     * @param maxOutputMb the most stdout one attempt may write, in MB (10^6 bytes)
     * @param killGraceSeconds seconds a stopped attempt's group has between SIGTERM and SIGKILL
     */
    public ProcessExecutor(Map<String, String> environment, File workingDir, double maxOutputMb,
            double killGraceSeconds) {
        this.environment = Map.copyOf(environment);
        this.workingDir = workingDir;
        this.maxOutputBytes = (long) (maxOutputMb * 1_000_000);
        this.killGraceSeconds = killGraceSeconds;
    }

    /**
     * From {@code executors.process}: {@code environment} (a map of NAME: value added to every process),
     * {@code workingDir} (default directory; must exist) and {@code maxOutputMb} (default 16, at most 1,000: the
     * output is held in memory and becomes the task's output).
     */
    static ProcessExecutor create(ExecutorSettings settings) {
        Map<String, String> environment = settings.strings("environment");
        String dir = settings.text("workingDir", null);
        double maxOutputMb = settings.number("maxOutputMb", DEFAULT_MAX_OUTPUT_MB, 0.001);
        double grace = settings.number("killGraceSeconds", DEFAULT_KILL_GRACE_SECONDS, 0);
        settings.done();
        if (grace > 600) {
            throw new IllegalArgumentException("executors.process.killGraceSeconds: at most 600, found " + grace);
        }
        if (dir != null && !new File(dir).isDirectory()) {
            throw new IllegalArgumentException("executors.process.workingDir: '" + dir + "' is not a directory");
        }
        if (maxOutputMb > 1000) {
            throw new IllegalArgumentException("executors.process.maxOutputMb: at most 1000 (output is held in memory), "
                    + "found " + maxOutputMb);
        }
        return new ProcessExecutor(environment, dir == null ? null : new File(dir), maxOutputMb, grace);
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
                context.complete(run(invocation, running, cancelled));
            } catch (IOException e) {
                // A program that cannot be started (missing, not executable) cannot be started next time either.
                context.complete(new TaskResult.Failure("cannot start "
                        + Excerpt.of(invocation.inputs().get("command").toString()) + ": " + Excerpt.of(e.getMessage()),
                        false));
            } catch (InterruptedException e) {
                running.killNow();
                context.complete(new TaskResult.Failure("cancelled"));
            } catch (Throwable e) { // OutOfMemoryError included: the attempt must end, never hang unreported
                running.killNow();
                context.complete(new TaskResult.Failure("process executor failed: " + Excerpt.of(String.valueOf(e))));
            }
        });
        return () -> {
            if (cancelled.compareAndSet(false, true)) {
                if (running.started()) {
                    stop(running); // the reader sees the end of the output once the group is gone
                } else {
                    future.cancel(true);
                }
            }
        };
    }

    /** SIGTERM to the attempt's group now, SIGKILL after the grace period, off the calling thread. */
    private void stop(RunningProcess running) {
        java.util.concurrent.CompletableFuture<Void> done = java.util.concurrent.CompletableFuture.runAsync(
                () -> running.terminate(killGraceSeconds), command -> Thread.ofVirtual().start(command));
        stopping.add(done);
        done.whenComplete((ignored, error) -> stopping.remove(done));
    }

    /** Waits (at most the grace period and a little more) for the groups being stopped, so none outlives the engine. */
    @Override
    public void close() {
        try {
            java.util.concurrent.CompletableFuture.allOf(stopping.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get((long) (killGraceSeconds * 1000) + 2000, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("process groups still stopping after {} s: {}", killGraceSeconds, e.toString());
        }
    }

    private TaskResult run(TaskInvocation invocation, RunningProcess running, AtomicBoolean cancelled)
            throws IOException, InterruptedException {
        JsonNode inputs = invocation.inputs();
        List<String> command = new ArrayList<>();
        if (SETSID != null) {
            command.add(SETSID); // a session and process group of its own: see the class comment
        } else if (WARNED_NO_SETSID.compareAndSet(false, true)) {
            LOG.warn("setsid not found: processes a task leaves behind may outlive it");
        }
        inputs.get("command").forEach(part -> command.add(part.asText()));
        String program = inputs.get("command").get(0).asText();
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
        if (SETSID != null && !startable(program, builder)) {
            // setsid itself would start and then fail to run the program: say what a direct start would have said.
            throw new IOException("no such program (or not executable): " + program);
        }
        Process process = builder.start();
        running.set(process);
        if (cancelled.get()) { // cancelled while starting
            running.killNow();
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
        // stdout is read on its own thread too: the main process's exit, not the pipe's end, ends the attempt (a
        // daemon it left behind may hold the pipe open until its group is cleared below).
        byte[][] kept = new byte[1][];
        Thread stdoutReader = Thread.ofVirtual().start(() -> {
            try {
                kept[0] = readAtMost(process.getInputStream(), maxOutputBytes);
            } catch (IOException e) {
                kept[0] = new byte[0];
            }
            if (kept[0] == null) {
                running.killNow(); // too much output: stop the group rather than read on
            }
        });
        int exitCode = process.waitFor();
        running.killLeftovers(); // what the task left running in its group does not outlive it
        stdoutReader.join();
        stderrReader.join();
        stdinWriter.join();
        if (kept[0] == null) {
            return new TaskResult.Failure("stdout exceeded " + formatMb(maxOutputBytes) + " MB (executors.process."
                    + "maxOutputMb); the process was killed. Write large results to a file and print its path", false);
        }
        String stdout = new String(kept[0], StandardCharsets.UTF_8);
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
        long invalid = firstInvalidUtf8(kept[0]);
        if (invalid >= 0) {
            String warning = "stdout is not UTF-8 (the first invalid byte is at offset " + invalid + " of " + kept[0].length
                    + "): 'text' has U+FFFD in place of invalid bytes; 'stdoutBase64' holds the exact bytes";
            output.put("stdoutBase64", java.util.Base64.getEncoder().encodeToString(kept[0]));
            output.putArray("warnings").add(warning);
            LOG.warn("workflow {}, task '{}': {}", invocation.workflowId(), invocation.spec().id(), warning);
        }
        JsonNode parsed = parseJson(stdout);
        if (parsed != null) {
            output.set("json", parsed);
        }
        return new TaskResult.Success(output);
    }

    /** The offset of the first byte of {@code bytes} that is not part of valid UTF-8, or -1 when all are. */
    static long firstInvalidUtf8(byte[] bytes) {
        java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer input = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer output = java.nio.CharBuffer.allocate(8192);
        while (true) {
            java.nio.charset.CoderResult result = utf8.decode(input, output, true);
            if (result.isError()) {
                return input.position();
            }
            if (result.isUnderflow()) {
                result = utf8.flush(output);
                return result.isError() ? input.position() : -1;
            }
            output.clear(); // overflow: the decoded text is not needed, only whether it decodes
        }
    }

    /** The stream's bytes, or null once it has more than {@code limit} (the rest is then left unread). */
    private static byte[] readAtMost(InputStream stream, long limit) throws IOException {
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[64 * 1024];
        for (int read; (read = stream.read(chunk)) >= 0; ) {
            if (kept.size() + (long) read > limit) {
                return null;
            }
            kept.write(chunk, 0, read);
        }
        return kept.toByteArray();
    }

    private static String formatMb(long bytes) {
        double mb = bytes / 1e6;
        return mb == Math.rint(mb) ? String.valueOf((long) mb) : String.valueOf(mb);
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

    /** A program name or path that a direct start would find (a name is looked up on the PATH it will get). */
    private static boolean startable(String program, ProcessBuilder builder) {
        if (program.contains("/")) {
            File file = program.startsWith("/") || builder.directory() == null ? new File(program)
                    : new File(builder.directory(), program);
            return file.canExecute() && !file.isDirectory();
        }
        String path = builder.environment().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            File file = new File(dir.isEmpty() ? "." : dir, program);
            if (file.canExecute() && !file.isDirectory()) {
                return true;
            }
        }
        return false;
    }

    /** The process of one attempt and its process group, stoppable from any thread. */
    private static final class RunningProcess {
        private volatile Process process;

        void set(Process started) {
            process = started;
        }

        boolean started() {
            return process != null;
        }

        /** SIGTERM to the group, then SIGKILL to what is left after {@code graceSeconds}. */
        void terminate(double graceSeconds) {
            Process current = process;
            if (current == null) {
                return;
            }
            signalGroup(current, "TERM");
            try {
                current.waitFor((long) (graceSeconds * 1000), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            killNow();
        }

        /** SIGKILL to the group (and to the descendants Java can still see). */
        void killNow() {
            Process current = process;
            if (current == null) {
                return;
            }
            signalGroup(current, "KILL");
            current.descendants().forEach(ProcessHandle::destroyForcibly);
            current.destroyForcibly();
        }

        /** After the main process exited: SIGKILL to whatever else is still in its group. */
        void killLeftovers() {
            Process current = process;
            if (current != null) {
                signalGroup(current, "KILL");
            }
        }

        /** Sends {@code signal} to the process group led by {@code leader} (setsid made it the leader). */
        private static void signalGroup(Process leader, String signal) {
            if (SETSID == null) {
                return;
            }
            try {
                new ProcessBuilder("kill", "-s", signal, "--", "-" + leader.pid())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor();
            } catch (IOException e) {
                LOG.warn("could not signal process group {}: {}", leader.pid(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads a stream to the end on its own thread. */
    private static final class StreamCollector implements Runnable {
        private final InputStream stream;
        private volatile String text = "";

        StreamCollector(InputStream stream) {
            this.stream = stream;
        }

        /** Reads everything, keeping only the last bytes a failure message quotes (stderr can be endless). */
        @Override
        public void run() {
            int keep = STDERR_TAIL_CHARS * 4; // UTF-8: at most 4 bytes a character
            byte[] ring = new byte[keep];
            long total = 0;
            byte[] chunk = new byte[16 * 1024];
            try {
                for (int read; (read = stream.read(chunk)) >= 0; ) {
                    for (int i = 0; i < read; i++) {
                        ring[(int) ((total + i) % keep)] = chunk[i];
                    }
                    total += read;
                }
            } catch (IOException e) {
                text = "(stderr unreadable: " + e.getMessage() + ")";
                return;
            }
            int length = (int) Math.min(total, keep);
            byte[] tail = new byte[length];
            for (int i = 0; i < length; i++) {
                tail[i] = ring[(int) ((total - length + i) % keep)];
            }
            text = new String(tail, StandardCharsets.UTF_8);
        }

        String text() {
            return text;
        }
    }
}
