package dev.maze.explore.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.maze.core.exec.TaskExecutors;
import dev.maze.core.workflow.InputCheck;
import dev.maze.core.workflow.JsonFields;
import dev.maze.core.workflow.TaskSpec;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser;
import dev.maze.explore.Direction;
import dev.maze.explore.TraceSchedulers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An exploration as its YAML/JSON file states it (maze-explore/README.md, "Configuration"). Every field is checked
 * when the file is read; an error names the file, the field and what to write instead, and nothing runs.
 *
 * @param directory where the journal, budget, experiments and reports go
 * @param seedWorkspace copied into every new trace's first workspace; null for an empty one
 * @param propose the command that writes a child's workspace from its parent's; empty: the child starts as a copy
 * @param proposeTask instead of a command, any Maze task (a model call, say) whose output text is the proposal; or null
 * @param debugCommand run first under the debug timeout when not empty
 * @param evaluate the command whose output is the score, empty to read the run's own output
 * @param scoreFile a JSON file the run (or evaluate) writes in its workspace: {@code {"score": 0.9, "accepted": true}}
 * @param scorePattern the score as the first group of the last match in the run's (or evaluate's) stdout
 * @param acceptImproves whether only a score better than the parent's is accepted (else every run that ends OK)
 */
public record ExploreConfig(Path file, String name, Direction direction, String scheduler, int maxTraces, long seed,
        int loops, Integer maxExperiments, double timeBudgetSeconds, Path directory, Path seedWorkspace,
        List<String> propose, ObjectNode proposeTask, List<String> run, List<String> debugCommand, List<String> evaluate,
        double proposeTimeoutSeconds, double debugTimeoutSeconds, double fullTimeoutSeconds, String scoreFile,
        Pattern scorePattern, boolean acceptImproves, Sandbox.Limits sandbox) {

    /** The default per-experiment timeouts of the issue: 600 s for a debug run, 3600 s for a full one. */
    public static final double DEFAULT_DEBUG_SECONDS = 600;
    public static final double DEFAULT_FULL_SECONDS = 3600;
    /** A line such as {@code score: 0.91} or {@code score=0.91}. */
    static final String DEFAULT_PATTERN = "(?im)^\\s*score\\s*[=:]\\s*([-+0-9.eE]+)\\s*$";

    private static final Set<String> TOP = Set.of("name", "direction", "scheduler", "maxTraces", "seed", "loops",
            "budget", "directory", "workspace", "propose", "run", "evaluate", "timeouts", "accept", "sandbox");

    /** Reads and checks the file. */
    public static ExploreConfig read(Path file) throws IOException {
        String where = file.toString();
        JsonNode root = JsonFields.tree(file);
        JsonFields.object(root, where, "the file");
        JsonFields.known(root, TOP, where, "the file");
        Path base = file.toAbsolutePath().getParent();
        String fileName = file.getFileName().toString();
        String stem = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        String name = root.has("name") ? JsonFields.text(root, "name", where, "the file") : stem;
        Direction direction;
        try {
            direction = Direction.of(JsonFields.text(root, "direction", where, "the file"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith(where) ? e.getMessage()
                    : where + ": direction: " + e.getMessage() + " (is a higher or a lower score better?)");
        }
        String scheduler = root.has("scheduler") ? JsonFields.text(root, "scheduler", where, "the file") : "round-robin";
        try {
            TraceSchedulers.policy(scheduler);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": scheduler: " + e.getMessage());
        }
        int maxTraces = (int) JsonFields.whole(root, "maxTraces", where, "the file", 3L, 1, 1000);
        long seed = JsonFields.whole(root, "seed", where, "the file", 42L, Long.MIN_VALUE, Long.MAX_VALUE);
        int loops = (int) JsonFields.whole(root, "loops", where, "the file", 1L, 1, 64);

        JsonNode budget = root.get("budget");
        JsonFields.object(budget, where, "budget");
        JsonFields.known(budget, Set.of("experiments", "time"), where, "budget");
        Integer experiments = budget.has("experiments")
                ? (int) JsonFields.whole(budget, "experiments", where, "budget", null, 1, 1_000_000) : null;
        double time = budget.has("time") ? duration(budget, "time", where + ": budget") : Double.POSITIVE_INFINITY;
        if (experiments == null && Double.isInfinite(time)) {
            throw new IllegalArgumentException(where + ": budget: give experiments (a count), time (e.g. 2h), or both");
        }

        Path directory = root.has("directory") ? base.resolve(JsonFields.text(root, "directory", where, "the file"))
                : base.resolve(stem + ".explore");
        Path workspace = null;
        if (root.has("workspace")) {
            workspace = base.resolve(JsonFields.text(root, "workspace", where, "the file"));
            if (!Files.isDirectory(workspace)) {
                throw new IllegalArgumentException(where + ": workspace: '" + workspace + "' is not a directory (the "
                        + "files every new trace starts from)");
            }
        }
        List<String> propose = List.of();
        ObjectNode proposeTask = null;
        if (root.has("propose")) {
            JsonNode node = root.get("propose");
            JsonFields.object(node, where, "propose");
            JsonFields.known(node, Set.of("command", "task"), where, "propose");
            if (node.has("command") == node.has("task")) {
                throw new IllegalArgumentException(where + ": propose: give either command (a program that writes the "
                        + "child's workspace) or task (a Maze task, e.g. a model call, whose output text is the proposal)");
            }
            if (node.has("command")) {
                propose = command(node, "command", where, "propose", base);
            } else {
                proposeTask = task(node.get("task"), where);
            }
        }
        JsonNode run = root.get("run");
        JsonFields.object(run, where, "run");
        JsonFields.known(run, Set.of("command", "debugCommand"), where, "run");
        List<String> command = command(run, "command", where, "run", base);
        List<String> debug = run.has("debugCommand") ? command(run, "debugCommand", where, "run", base) : List.of();

        List<String> evaluate = List.of();
        String scoreFile = null;
        Pattern pattern = Pattern.compile(DEFAULT_PATTERN);
        if (root.has("evaluate")) {
            JsonNode node = root.get("evaluate");
            JsonFields.object(node, where, "evaluate");
            JsonFields.known(node, Set.of("command", "file", "pattern"), where, "evaluate");
            if (node.has("command")) {
                evaluate = command(node, "command", where, "evaluate", base);
            }
            if (node.has("file")) {
                scoreFile = JsonFields.text(node, "file", where, "evaluate");
                if (Path.of(scoreFile).isAbsolute() || scoreFile.contains("..")) {
                    throw new IllegalArgumentException(where + ": evaluate: file must be a path inside the experiment's "
                            + "workspace, not '" + scoreFile + "'");
                }
            }
            if (node.has("pattern")) {
                String text = JsonFields.text(node, "pattern", where, "evaluate");
                try {
                    pattern = Pattern.compile(text);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException(where + ": evaluate: pattern is not a regular expression: "
                            + e.getDescription());
                }
                if (pattern.matcher("").groupCount() < 1) {
                    throw new IllegalArgumentException(where + ": evaluate: pattern needs a group around the score, "
                            + "e.g. 'accuracy=([0-9.]+)'");
                }
            }
        }
        double proposeTimeout = DEFAULT_DEBUG_SECONDS;
        double debugTimeout = DEFAULT_DEBUG_SECONDS;
        double fullTimeout = DEFAULT_FULL_SECONDS;
        if (root.has("timeouts")) {
            JsonNode node = root.get("timeouts");
            JsonFields.object(node, where, "timeouts");
            JsonFields.known(node, Set.of("propose", "debug", "full"), where, "timeouts");
            proposeTimeout = node.has("propose") ? duration(node, "propose", where + ": timeouts") : proposeTimeout;
            debugTimeout = node.has("debug") ? duration(node, "debug", where + ": timeouts") : debugTimeout;
            fullTimeout = node.has("full") ? duration(node, "full", where + ": timeouts") : fullTimeout;
        }
        boolean improves = true;
        if (root.has("accept")) {
            String accept = JsonFields.text(root, "accept", where, "the file");
            improves = switch (accept) {
                case "improves" -> true;
                case "ok" -> false;
                default -> throw new IllegalArgumentException(where + ": accept must be 'improves' (a score better "
                        + "than the parent's) or 'ok' (every run that ends OK), not '" + accept + "'");
            };
        }
        Sandbox.Limits limits = root.has("sandbox") ? sandbox(root.get("sandbox"), where) : Sandbox.Limits.none();
        return new ExploreConfig(file, name, direction, scheduler, maxTraces, seed, loops, experiments, time, directory,
                workspace, propose, proposeTask, command, debug, evaluate, proposeTimeout, debugTimeout, fullTimeout, scoreFile,
                pattern, improves, limits);
    }

    /** A task of the workflow format without id or dependsOn, checked as the engine would check it. */
    private static ObjectNode task(JsonNode task, String where) {
        JsonFields.object(task, where, "propose: task");
        for (String field : List.of("id", "dependsOn")) {
            if (task.has(field)) {
                throw new IllegalArgumentException(where + ": propose: task: " + field + " is given by the runner; "
                        + "leave it out");
            }
        }
        ObjectNode copy = ((ObjectNode) task)
                .deepCopy().put("id", "propose");
        ObjectNode workflow = JsonNodeFactory.instance.objectNode().put("name", "propose");
        workflow.putArray("tasks").add(copy);
        try {
            TaskSpec spec = WorkflowParser.parse(workflow.toString(),
                    WorkflowParser.Format.JSON, where).get(0).tasks().get(0);
            var executors = TaskExecutors.defaults();
            var executor = executors.get(spec.kind());
            if (executor == null) {
                throw new IllegalArgumentException(where + ": propose: task: no kind '" + spec.kind() + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(executors.keySet())) + ")");
            }
            for (InputCheck.Problem problem : executor.check(spec)) {
                throw new IllegalArgumentException(where + ": propose: task: " + problem.field() + ": "
                        + problem.message());
            }
        } catch (ValidationException e) {
            throw new IllegalArgumentException(where + ": propose: task: " + e.getMessage()
                    .replace("tasks[0].", "").replace("tasks[0]", "the task"));
        }
        copy.remove("id");
        return copy;
    }

    /** The same exploration kept in another directory. */
    public ExploreConfig withDirectory(Path other) {
        return new ExploreConfig(file, name, direction, scheduler, maxTraces, seed, loops, maxExperiments,
                timeBudgetSeconds, other.toAbsolutePath(), seedWorkspace, propose, proposeTask, run, debugCommand, evaluate,
                proposeTimeoutSeconds, debugTimeoutSeconds, fullTimeoutSeconds, scoreFile, scorePattern, acceptImproves,
                sandbox);
    }

    private static Sandbox.Limits sandbox(JsonNode node, String where) {
        JsonFields.object(node, where, "sandbox");
        JsonFields.known(node, Set.of("memory", "cpus", "pids", "network", "passEnv", "env", "container"), where,
                "sandbox");
        String image = null;
        String host = null;
        if (node.has("container")) {
            JsonNode container = node.get("container");
            JsonFields.object(container, where, "sandbox: container");
            JsonFields.known(container, Set.of("image", "host"), where, "sandbox: container");
            image = JsonFields.text(container, "image", where, "sandbox: container");
            if (container.has("host")) {
                host = JsonFields.text(container, "host", where, "sandbox: container");
                if (!host.matches("(unix|tcp|npipe)://.+")) {
                    throw new IllegalArgumentException(where + ": sandbox: container: host must be unix:///PATH or "
                            + "tcp://HOST:PORT, not '" + host + "'");
                }
            }
        }
        long memory = node.has("memory") ? bytes(node.get("memory"), where + ": sandbox: memory") : 0;
        double cpus = JsonFields.number(node, "cpus", where, "sandbox", 0.0, true);
        if (cpus > 1024) {
            throw new IllegalArgumentException(where + ": sandbox: cpus must be at most 1024, not " + cpus);
        }
        int pids = (int) JsonFields.whole(node, "pids", where, "sandbox", 0L, 0, 1_000_000);
        boolean network = JsonFields.bool(node, "network", where, "sandbox", true);
        List<String> pass = Sandbox.Limits.DEFAULT_PASS_ENV;
        if (node.has("passEnv")) {
            JsonNode list = node.get("passEnv");
            if (!list.isArray()) {
                throw new IllegalArgumentException(where + ": sandbox: passEnv must be a list of variable names");
            }
            pass = new ArrayList<>();
            for (JsonNode item : list) {
                pass.add(variable(item, where + ": sandbox: passEnv"));
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (node.has("env")) {
            JsonNode map = node.get("env");
            JsonFields.object(map, where, "sandbox: env");
            map.fields().forEachRemaining(entry -> {
                variable(new TextNode(entry.getKey()), where + ": sandbox: env");
                if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                    throw new IllegalArgumentException(where + ": sandbox: env." + entry.getKey()
                            + " must be a string, number or boolean");
                }
                env.put(entry.getKey(), entry.getValue().asText());
            });
        }
        return new Sandbox.Limits(memory, cpus, pids, network, pass, env, image, host);
    }

    private static String variable(JsonNode item, String where) {
        if (item == null || !item.isTextual() || !item.asText().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException(where + ": " + JsonFields.shown(item) + " is not a variable name");
        }
        return item.asText();
    }

    /** {@code 512m}, {@code 2g}, {@code 1.5GB}, {@code 800MiB}: binary units (as Docker's); a bare number is bytes. */
    static long bytes(JsonNode node, String where) {
        String text = node.asText().strip().toLowerCase(Locale.ROOT);
        java.util.regex.Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?")
                .matcher(text);
        if (!node.isValueNode() || !m.matches()) {
            throw new IllegalArgumentException(where + ": '" + node.asText() + "' is not a size: write e.g. 512m or 2g");
        }
        String unit = m.group(2) == null ? "b" : m.group(2).substring(0, 1);
        double factor = switch (unit) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            default -> 1;
        };
        double value = Double.parseDouble(m.group(1)) * factor;
        if (value < 1 << 20 || value > (double) (1L << 50)) {
            throw new IllegalArgumentException(where + ": '" + node.asText() + "' must be from 1m to 1024t");
        }
        return (long) value;
    }

    private static double duration(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isValueNode() || value.isNull() || value.isBoolean()) {
            throw new IllegalArgumentException(where + ": " + field + " must be a duration such as 90s, 10m or 1h30m");
        }
        return DurationText.seconds(value.asText(), where + ": " + field);
    }

    private static List<String> command(JsonNode node, String field, String where, String at, Path base) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw new IllegalArgumentException(where + ": " + at + ": " + field + " must be a non-empty list: the "
                    + "program and its arguments, e.g. [python3, train.py]");
        }
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode part = value.get(i);
            if (!part.isValueNode() || part.isNull() || part.asText().contains("{{")) {
                throw new IllegalArgumentException(where + ": " + at + ": " + field + "[" + i + "] must be a string "
                        + "without {{ }} (the experiment's paths come as MAZE_* environment variables), not "
                        + JsonFields.shown(part));
            }
            String text = part.asText();
            // ./x and ../x name files next to the configuration; anything else is as written (run in the workspace)
            parts.add(text.startsWith("./") || text.startsWith("../") ? base.resolve(text).normalize().toString() : text);
        }
        return List.copyOf(parts);
    }
}
