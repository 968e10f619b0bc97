package dev.maze.explore.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.core.engine.TaskSnapshot;
import dev.maze.core.engine.TaskState;
import dev.maze.core.engine.WorkflowSnapshot;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser;
import dev.maze.core.workflow.WorkflowSpec;
import dev.maze.explore.Experiment;
import dev.maze.explore.ExperimentDag;
import dev.maze.explore.Feedback;
import dev.maze.explore.Lease;
import dev.maze.explore.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import org.apache.commons.io.file.PathUtils;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One experiment, from a lease to its feedback (maze-explore/README.md, "Runner"): its directory is prepared (the
 * workspace of the best accepted experiment on its path copied, or the seed workspace), then it runs as a Maze workflow — {@code propose}
 * (the configured command, in the workspace), {@code debug} (optional) and {@code run} (in the sandbox, under their
 * timeouts, never past the budget), {@code evaluate} (optional) — on whatever {@link WorkflowBackend} the exploration
 * uses, so its processes are the core's process tasks and share the machine with everything else the engine runs.
 * The workflow's end is read into a typed {@link Feedback}.
 */
final class ExperimentRunner {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    /** How much of a log a note quotes. */
    static final int TAIL_CHARS = 600;
    private static final Pattern EXIT = Pattern.compile("^exit code (-?\\d+)");
    private static final Pattern OUT_OF_MEMORY = Pattern.compile(
            "MemoryError|std::bad_alloc|Cannot allocate memory|OutOfMemoryError|out of memory", Pattern.CASE_INSENSITIVE);

    private final ExploreConfig config;
    private final Sandbox sandbox;
    private final WorkflowBackend backend;
    private final TimeBudget budget;

    ExperimentRunner(ExploreConfig config, Sandbox sandbox, WorkflowBackend backend, TimeBudget budget) {
        this.config = config;
        this.sandbox = sandbox;
        this.backend = backend;
        this.budget = budget;
    }

    /** The directory of attempt {@code number} (its workspace and logs). */
    Path attemptDir(int number) {
        return config.directory().resolve("experiments").resolve(String.valueOf(number));
    }

    /**
     * Runs the experiment the lease names as attempt {@code number}.
     *
     * @param dag the DAG as it is now (the parent's workspace and score come from it)
     * @return its feedback, or null when it was cancelled (the exploration is stopping: nothing to commit)
     */
    Feedback run(Lease lease, int number, ExperimentDag dag) throws IOException, InterruptedException {
        Path dir = attemptDir(number);
        Path workspace = dir.resolve("workspace");
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            PathUtils.deleteDirectory(dir); // an attempt a crash left half-made is not an experiment
        }
        Files.createDirectories(dir);
        // A child builds on where its path stands: the best accepted experiment from the trace's root to the leased
        // parent (a rejected parent is a dead end, not a base), or the seed workspace when there is none yet.
        Experiment base = lease.parent().isPresent()
                ? dag.bestOf(dag.path(lease.parent().getAsInt())).orElse(null) : null;
        Path from = base != null && base.feedback().artifacts() != null
                ? config.directory().resolve(base.feedback().artifacts()).resolve("workspace") : config.seedWorkspace();
        if (from != null && Files.isDirectory(from)) {
            PathUtils.copyDirectory(from, workspace, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } else {
            Files.createDirectories(workspace);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MAZE_EXPERIMENT", String.valueOf(number));
        env.put("MAZE_WORKSPACE", workspace.toString());
        env.put("MAZE_PARENT", lease.parent().isPresent() ? String.valueOf(lease.parent().getAsInt()) : "");
        env.put("MAZE_BASE_WORKSPACE", base == null ? "" : from.toString());
        env.put("MAZE_BASE_SCORE", base == null ? "" : String.valueOf(base.score()));
        env.put("MAZE_NEW_TRACE", lease.isNewRoot() ? "1" : "0");
        Instant started = Instant.now();
        try (Sandbox.Cell cell = sandbox.open(config.name().replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + number + "-"
                + ProcessHandle.current().pid())) {
            WorkflowSpec spec = workflow(number, dir, workspace, env, cell);
            WorkflowSnapshot end = backend.run(spec);
            if (end == null) {
                return null;
            }
            Feedback feedback = feedback(end, dir, workspace, base, cell);
            return feedback == null ? null : feedback.withTimes(started, Instant.now());
        }
    }

    private WorkflowSpec workflow(int number, Path dir, Path workspace, Map<String, String> env, Sandbox.Cell cell) {
        ObjectNode workflow = JSON.createObjectNode().put("name", config.name() + "-experiment-" + number);
        ArrayNode tasks = workflow.putArray("tasks");
        List<String> before = new ArrayList<>();
        Map<String, String> shared = env;
        if (config.proposeTask() != null) {
            ObjectNode task = (ObjectNode) substitute(config.proposeTask().deepCopy(), env);
            task.put("id", "propose");
            if (!task.has("timeoutSeconds")) {
                task.put("timeoutSeconds", limit(config.proposeTimeoutSeconds()));
            }
            tasks.add(task);
        } else if (!config.propose().isEmpty()) {
            tasks.add(process("propose", config.propose(), workspace, env, config.proposeTimeoutSeconds(), before));
        }
        if (tasks.size() > 0) {
            before.add("propose");
            // The proposal's text (a proposer's stdout, a model call's answer) goes on to the later steps.
            shared = with(env, "MAZE_PROPOSAL", "{{tasks.propose.output.text}}");
        }
        if (!config.debugCommand().isEmpty()) {
            tasks.add(sandboxed("debug", config.debugCommand(), dir, workspace, shared, cell,
                    config.debugTimeoutSeconds(), before));
            before.add("debug");
        }
        tasks.add(sandboxed("run", config.run(), dir, workspace, shared, cell, config.fullTimeoutSeconds(), before));
        before.add("run");
        if (!config.evaluate().isEmpty()) {
            tasks.add(process("evaluate", config.evaluate(), workspace, shared, config.proposeTimeoutSeconds(), before));
        }
        try {
            return WorkflowParser.parse(workflow.toString(), WorkflowParser.Format.JSON, "experiment " + number).get(0);
        } catch (ValidationException e) {
            throw new IllegalStateException("the experiment's workflow is not valid: " + e.getMessage(), e);
        }
    }

    /**
     * The debug or run step: a process task wrapped in the sandbox's limits, or a container task when the sandbox runs
     * containers (there the workspace is {@code /workspace} and the base's is not mounted).
     */
    private ObjectNode sandboxed(String id, List<String> program, Path dir, Path workspace, Map<String, String> env,
            Sandbox.Cell cell, double timeout, List<String> after) {
        Map<String, String> mode = with(env, "MAZE_MODE", id.equals("debug") ? "debug" : "full");
        Path stdout = dir.resolve(id + ".stdout");
        Path stderr = dir.resolve(id + ".stderr");
        if (sandbox.limits().image() == null) {
            return process(id, cell.command(program, stdout, stderr, mode), workspace, null, timeout, after);
        }
        Map<String, String> inside = with(with(mode, "MAZE_WORKSPACE", ContainerExecutor.WORKDIR), "MAZE_BASE_WORKSPACE",
                "");
        ObjectNode task = JSON.createObjectNode().put("id", id).put("kind", "container");
        task.set("dependsOn", JSON.valueToTree(after));
        task.set("inputs", cell.containerInputs(program, workspace, stdout, stderr, inside));
        return task.put("timeoutSeconds", limit(timeout));
    }

    /** A process task after {@code after} (all of them: later steps read the proposal's output). */
    private ObjectNode process(String id, List<String> command, Path workspace, Map<String, String> env, double timeout,
            List<String> after) {
        ObjectNode task = JSON.createObjectNode().put("id", id).put("kind", "process");
        task.set("dependsOn", JSON.valueToTree(after));
        ObjectNode inputs = task.putObject("inputs");
        inputs.set("command", JSON.valueToTree(command));
        inputs.put("workingDir", workspace.toString());
        if (env != null) {
            inputs.set("env", JSON.valueToTree(env));
        }
        return task.put("timeoutSeconds", limit(timeout));
    }

    /** {@code ${MAZE_X}} in the proposal task's strings replaced by the experiment's values (as its env has them). */
    static JsonNode substitute(JsonNode node, Map<String, String> env) {
        if (node.isTextual()) {
            String text = node.asText();
            for (Map.Entry<String, String> entry : env.entrySet()) {
                text = text.replace("${" + entry.getKey() + "}", entry.getValue());
            }
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
        }
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            object.fieldNames().forEachRemaining(name -> object.set(name, substitute(object.get(name), env)));
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, substitute(array.get(i), env));
            }
        }
        return node;
    }

    private static Map<String, String> with(Map<String, String> env, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(env);
        copy.put(name, value);
        return copy;
    }

    /** A task's timeout: its own, but never past the time the budget has left (a run cut by it is a TIMEOUT). */
    private double limit(double seconds) {
        return Math.max(1, Math.min(seconds, budget.remainingSeconds()));
    }

    private Feedback feedback(WorkflowSnapshot end, Path dir, Path workspace, Experiment base, Sandbox.Cell cell)
            throws IOException {
        String artifacts = config.directory().relativize(dir).toString();
        for (String id : List.of("propose", "debug", "run", "evaluate")) {
            TaskSnapshot task = end.task(id);
            if (task == null || task.state() == TaskState.FINISHED) {
                continue;
            }
            if (task.state() == TaskState.CANCELLED && end.tasks().stream().noneMatch(t -> t.state() == TaskState.FAILED)) {
                return null; // stopped from outside, not by its own failure
            }
            if (task.state() != TaskState.FAILED) {
                continue;
            }
            String error = task.error() == null ? "" : task.error();
            boolean sandboxed = id.equals("debug") || id.equals("run");
            String stderr = sandboxed ? tail(dir.resolve(id + ".stderr")) : error;
            if (error.startsWith("timed out after")) {
                return Feedback.failed(Outcome.TIMEOUT, null).withArtifacts(artifacts, id + " " + error);
            }
            Matcher exit = EXIT.matcher(error);
            Integer code = exit.find() ? Integer.valueOf(exit.group(1)) : null;
            if (!sandboxed || code == null) {
                return Feedback.failed(Outcome.ERROR, code).withArtifacts(artifacts, id + " failed: " + clip(error));
            }
            if (cell.oomKilled() || error.contains("(OOMKilled)")
                    || (sandbox.limits().memoryBytes() > 0 && OUT_OF_MEMORY.matcher(stderr).find())) {
                return Feedback.failed(Outcome.OOM, code).withArtifacts(artifacts, id + " passed its memory limit: "
                        + clip(stderr));
            }
            if (code == Sandbox.SETUP_FAILED || code == 126 || code == 127) {
                return Feedback.failed(Outcome.ERROR, code).withArtifacts(artifacts, id + " could not start (exit "
                        + code + "): " + clip(stderr));
            }
            return Feedback.failed(Outcome.FAILED, code).withArtifacts(artifacts, id + " exit code " + code
                    + (stderr.isBlank() ? "" : ": " + clip(stderr)));
        }
        Score score = score(end, dir, workspace);
        if (score.value() == null) {
            return Feedback.failed(Outcome.ERROR, 0).withArtifacts(artifacts, score.why());
        }
        boolean accepted = score.accepted() != null ? score.accepted()
                : !config.acceptImproves() || base == null || config.direction().better(score.value(), base.score());
        return new Feedback(accepted, score.value(), Outcome.OK, 0, null, null, artifacts, accepted ? null
                : base == null ? "rejected by its evaluation" : "no better than experiment " + base.id() + " ("
                        + Exploration.number(base.score()) + "), the best on its path");
    }

    /** A score and, where the evaluation said so, the decision; or why there is none. */
    private record Score(Double value, Boolean accepted, String why) {}

    private Score score(WorkflowSnapshot end, Path dir, Path workspace) throws IOException {
        if (config.scoreFile() != null) {
            Path file = workspace.resolve(config.scoreFile());
            if (!Files.isRegularFile(file)) {
                return new Score(null, null, "no score: " + config.scoreFile() + " was not written in the workspace");
            }
            JsonNode node;
            try {
                node = JSON.readTree(file.toFile());
            } catch (IOException e) {
                return new Score(null, null, "no score: " + config.scoreFile() + " is not JSON: " + clip(e.getMessage()));
            }
            JsonNode value = node == null ? null : node.isNumber() ? node : node.get("score");
            if (value == null || !value.isNumber() || !Double.isFinite(value.asDouble())) {
                return new Score(null, null, "no score: " + config.scoreFile() + " has no finite number 'score'");
            }
            JsonNode accepted = node.get("accepted");
            return new Score(value.asDouble(), accepted != null && accepted.isBoolean() ? accepted.asBoolean() : null,
                    null);
        }
        String text;
        String source;
        if (!config.evaluate().isEmpty()) {
            text = end.task("evaluate").output().path("text").asText("");
            source = "evaluate's output";
        } else {
            Path stdout = dir.resolve("run.stdout");
            text = Files.exists(stdout) ? Files.readString(stdout, StandardCharsets.UTF_8) : "";
            source = "run's output (run.stdout)";
        }
        Matcher matcher = config.scorePattern().matcher(text);
        String last = null;
        while (matcher.find()) {
            last = matcher.group(1);
        }
        if (last == null) {
            return new Score(null, null, "no score: nothing in " + source + " matches " + config.scorePattern());
        }
        try {
            double value = Double.parseDouble(last.strip());
            if (Double.isFinite(value)) {
                return new Score(value, null, null);
            }
        } catch (NumberFormatException e) {
            // below
        }
        return new Score(null, null, "no score: '" + clip(last) + "' in " + source + " is not a finite number");
    }

    /** The end of a log file ("" when there is none). */
    static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            long size = Files.size(file);
            try (var channel = java.nio.channels.FileChannel.open(file)) {
                long from = Math.max(0, size - TAIL_CHARS * 4L);
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate((int) (size - from));
                channel.read(buffer, from);
                String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
                return text.length() > TAIL_CHARS ? "..." + text.substring(text.length() - TAIL_CHARS) : text;
            }
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static String clip(String text) {
        String one = text == null ? "" : text.strip();
        return one.length() > TAIL_CHARS ? "..." + one.substring(one.length() - TAIL_CHARS) : one;
    }
}
