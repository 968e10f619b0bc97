package dev.maze.offline;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a WfCommons workflow instance (WfFormat JSON, a real execution of Montage, Epigenomics, 1000Genome, ...) as
 * one request: a task per {@code workflow.specification.tasks[]} entry, its predecessors its {@code parents}, its
 * time the trace's {@code workflow.execution.tasks[].runtimeInSeconds}.
 *
 * <p>Models by task category: a task calls the model named after its {@code command.program} (e.g. {@code mProject});
 * unless a mapping says otherwise, such a model moves {@value #DEFAULT_MEMORY_GB} GB (a switch costs the cluster's
 * fixed overhead only) and needs 1 GPU. Only schema versions {@link #VERSIONS} are read (the
 * specification/execution split); older files (tasks under {@code workflow.tasks} or {@code workflow.jobs}) are
 * refused naming their version.
 */
public final class WfCommonsLoader {

    /** The WfFormat schema versions read. */
    public static final Set<String> VERSIONS = Set.of("1.5");
    /** A category's model size unless mapped: no transfer, so a switch is the fixed overhead. */
    public static final double DEFAULT_MEMORY_GB = 0;
    /** A category's GPUs unless mapped. */
    public static final int DEFAULT_GPUS = 1;

    private WfCommonsLoader() {}

    /** Whether {@code root} looks like a WfCommons instance (any version): it has a {@code workflow} object. */
    public static boolean looksLike(JsonNode root) {
        return root != null && root.isObject() && root.path("workflow").isObject()
                && (root.path("workflow").has("specification") || root.path("workflow").has("tasks")
                        || root.path("workflow").has("jobs"));
    }

    /** The tasks of {@code file} as one request named after the workflow (or the file). */
    public static List<PlanTask> read(Path file) throws IOException {
        return read(file, BatchFile.tree(file));
    }

    /**
     * The problem {@code file} describes on {@code cluster}.
     *
     * @param mapping models by category (program) overriding the default; categories it lacks get the default
     */
    public static Problem problem(Path file, Cluster cluster, Map<String, Model> mapping) throws IOException {
        List<PlanTask> tasks = read(file);
        Map<String, Model> models = new LinkedHashMap<>();
        for (PlanTask task : tasks) {
            models.computeIfAbsent(task.model(), program -> mapping.containsKey(program) ? mapping.get(program)
                    : new Model(program, DEFAULT_MEMORY_GB, DEFAULT_GPUS));
        }
        try {
            return new Problem(tasks, models, cluster);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static List<PlanTask> read(Path file, JsonNode root) {
        String where = file.toString();
        if (!looksLike(root)) {
            throw new IllegalArgumentException(where + ": not a WfCommons instance (no workflow object)");
        }
        String version = root.path("schemaVersion").asText("(none)");
        if (!VERSIONS.contains(version) || !root.path("workflow").path("specification").isObject()) {
            throw new IllegalArgumentException(where + ": WfFormat schemaVersion " + version + " is not read; this "
                    + "loader reads schema " + String.join(", ", VERSIONS)
                    + " (workflow.specification and workflow.execution)");
        }
        JsonNode spec = root.path("workflow").path("specification").path("tasks");
        JsonNode exec = root.path("workflow").path("execution").path("tasks");
        if (!spec.isArray() || spec.isEmpty()) {
            throw new IllegalArgumentException(where + ": workflow.specification.tasks must be a non-empty list");
        }
        if (!exec.isArray()) {
            throw new IllegalArgumentException(where + ": workflow.execution.tasks is missing (task runtimes come "
                    + "from the execution trace)");
        }
        Map<String, JsonNode> runs = new LinkedHashMap<>();
        for (int i = 0; i < exec.size(); i++) {
            JsonNode run = exec.get(i);
            String id = run.path("id").asText("");
            if (id.isEmpty()) {
                throw new IllegalArgumentException(where + ": workflow.execution.tasks[" + i + "]: id is missing");
            }
            runs.put(id, run);
        }
        String request = root.path("name").asText(file.getFileName().toString().replaceFirst("\\.json$", ""));
        List<PlanTask> tasks = new ArrayList<>();
        for (int i = 0; i < spec.size(); i++) {
            JsonNode task = spec.get(i);
            String id = task.path("id").asText("");
            if (id.isEmpty()) {
                throw new IllegalArgumentException(where + ": workflow.specification.tasks[" + i + "]: id is missing");
            }
            String at = where + ": task '" + id + "'";
            JsonNode run = runs.get(id);
            if (run == null) {
                throw new IllegalArgumentException(at + ": no workflow.execution.tasks entry with this id (its "
                        + "runtimeInSeconds)");
            }
            JsonNode runtime = run.path("runtimeInSeconds");
            if (!runtime.isNumber() || !(runtime.asDouble() >= 0) || !Double.isFinite(runtime.asDouble())) {
                throw new IllegalArgumentException(at + ": workflow.execution.tasks[].runtimeInSeconds must be a "
                        + "number of 0 or more, not " + (runtime.isMissingNode() ? "missing" : runtime.toString()));
            }
            String program = run.path("command").path("program").asText("");
            if (program.isBlank()) {
                throw new IllegalArgumentException(at + ": workflow.execution.tasks[].command.program is missing (it "
                        + "is the task's category, which names its model)");
            }
            List<String> after = new ArrayList<>();
            JsonNode parents = task.path("parents");
            if (!parents.isMissingNode() && !parents.isArray()) {
                throw new IllegalArgumentException(at + ": parents must be a list of task ids");
            }
            parents.forEach(p -> after.add(p.asText()));
            tasks.add(new PlanTask(id, request, program, runtime.asDouble(), after));
        }
        return tasks;
    }
}
