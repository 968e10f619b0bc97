package dev.maze.core.workflow;

import dev.maze.core.clock.Clock;
import dev.maze.core.node.Resources;
import dev.maze.core.node.NodeSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Graph-level checks run before anything executes: ids, dependencies, cycles, templates, executor kinds and
 * whether any node could ever run each task. Reports every problem at once.
 */
public final class WorkflowValidator {

    private final Map<String, InputCheck> kinds;
    private final List<NodeSpec> nodes;
    /**
     * Task lists (by identity) that passed every task-level check against this validator's kinds and nodes: arrivals
     * that share a list (a simulated workflow type) are checked once. Owned by the validator and bounded, so a
     * long-running engine does not grow with the lists it has seen.
     */
    private final IdentityCache<List<TaskSpec>, Object> validTaskLists;
    /** What a remembered list was checked against: a list valid for other kinds or nodes is checked again. */
    private final CheckedAgainst context;
    private static final int MAX_REMEMBERED = 4096;

    private record CheckedAgainst(Map<String, InputCheck> kinds, List<NodeSpec> nodes) {}

    /**
     * @param kinds executor kinds the engine can run, each with the check of its inputs (a map of
     *     {@code TaskExecutor}s will do)
     * @param nodes the cluster; a task that fits none of them is rejected; empty = skip that check
     */
    public WorkflowValidator(Map<String, ? extends InputCheck> kinds, List<NodeSpec> nodes) {
        this(kinds, nodes, new IdentityCache<>(MAX_REMEMBERED));
    }

    /**
     * As {@link #WorkflowValidator(Map, List)}, remembering valid task lists in {@code validTaskLists}, which
     * validators of short-lived engines (a simulation's runs) may share; entries name the kinds and nodes they were
     * checked against.
     */
    public WorkflowValidator(Map<String, ? extends InputCheck> kinds, List<NodeSpec> nodes,
            IdentityCache<List<TaskSpec>, Object> validTaskLists) {
        this.kinds = Map.copyOf(kinds);
        this.nodes = List.copyOf(nodes);
        this.validTaskLists = validTaskLists;
        this.context = new CheckedAgainst(this.kinds, this.nodes);
    }

    /** Checks a batch submitted together (workflow ids must also be unique across it). */
    public List<ValidationError> validate(List<WorkflowSpec> workflows) {
        List<ValidationError> errors = new ArrayList<>();
        Map<String, String> seenIds = new HashMap<>();
        for (WorkflowSpec workflow : workflows) {
            if (workflow.id() != null) {
                String previous = seenIds.putIfAbsent(workflow.id(), String.valueOf(workflow.source()));
                if (previous != null) {
                    errors.add(new ValidationError(workflow.source(), workflow.id(), null, "id",
                            "duplicate workflow id (also in " + previous + "); give each workflow its own id or omit it"));
                }
            }
            errors.addAll(validate(workflow));
        }
        return errors;
    }

    /** Checks one workflow. */
    public List<ValidationError> validate(WorkflowSpec workflow) {
        List<ValidationError> errors = new ArrayList<>();
        String source = workflow.source();
        String label = workflow.label();
        // The parser already refuses these, but workflows built in Java reach the engine through here alone: a
        // workflow without tasks would never finish, and a task without an id or kind cannot be scheduled.
        if (workflow.name() == null || workflow.name().isBlank()) {
            errors.add(new ValidationError(source, label, null, "name", "missing; every workflow needs a name"));
        }
        if (workflow.tasks().isEmpty()) {
            errors.add(new ValidationError(source, label, null, "tasks", "a workflow needs at least one task"));
        }
        positiveSeconds((field, message) -> errors.add(new ValidationError(source, label, null, field, message)),
                "deadline", workflow.deadlineSeconds());
        if (workflow.submitAtSeconds() != null) {
            if (!(workflow.submitAtSeconds() >= 0) || !Double.isFinite(workflow.submitAtSeconds())) {
                errors.add(new ValidationError(source, label, null, "submitAt",
                        "must be 0 or more seconds, found " + workflow.submitAtSeconds()));
            } else {
                atMostMaxDuration((field, message) -> errors.add(new ValidationError(source, label, null, field, message)),
                        "submitAt", workflow.submitAtSeconds());
            }
        }
        // Task lists are immutable, and many workflows share one (every arrival of a simulated workflow type, every
        // copy a client submits): the checks below depend on the tasks alone, so a list found valid once stays valid.
        if (knownValid(workflow.tasks())) {
            return errors;
        }
        int workflowLevelErrors = errors.size();
        Map<String, TaskSpec> byId = new LinkedHashMap<>();
        for (TaskSpec task : workflow.tasks()) {
            if (task.id() == null || task.id().isBlank()) {
                errors.add(new ValidationError(source, label, null, "id", "missing; every task needs an id"));
            } else if (byId.putIfAbsent(task.id(), task) != null) {
                errors.add(new ValidationError(source, label, task.id(), "id",
                        "duplicate task id; every task in a workflow needs its own id"));
            }
        }
        for (TaskSpec task : workflow.tasks()) {
            for (String dependency : task.dependsOn()) {
                if (dependency.equals(task.id())) {
                    errors.add(new ValidationError(source, label, task.id(), "dependsOn", "a task cannot depend on itself"));
                } else if (!byId.containsKey(dependency)) {
                    errors.add(new ValidationError(source, label, task.id(), "dependsOn",
                            "depends on unknown task '" + dependency + "'" + Suggestions.didYouMean(dependency, byId.keySet())));
                }
            }
            InputCheck inputCheck = task.kind() == null ? null : kinds.get(task.kind());
            if (task.kind() == null) {
                errors.add(new ValidationError(source, label, task.id(), "kind", "missing; known kinds: "
                        + String.join(", ", kinds.keySet().stream().sorted().toList())));
            } else if (inputCheck == null) {
                errors.add(new ValidationError(source, label, task.id(), "kind", "unknown kind '" + task.kind() + "'"
                        + Suggestions.didYouMean(task.kind(), kinds.keySet()) + "; known kinds: "
                        + String.join(", ", kinds.keySet().stream().sorted().toList())));
            } else {
                for (InputCheck.Problem problem : inputCheck.check(task)) {
                    errors.add(new ValidationError(source, label, task.id(), problem.field(), problem.message()));
                }
            }
            checkNumbers(source, label, task, errors);
            checkFits(source, label, task, errors);
        }
        List<String> cycle = findCycle(workflow.tasks(), byId);
        if (cycle != null) {
            errors.add(new ValidationError(source, label, cycle.get(0), "dependsOn",
                    "dependency cycle: " + cyclePath(cycle) + " (each task depends on the next)"));
        }
        // A cycle hides only the ancestor checks of the tasks on or behind it; the other template errors are reported.
        checkTemplates(source, label, workflow.tasks(), byId, errors);
        if (errors.size() == workflowLevelErrors) {
            rememberValid(workflow.tasks());
        }
        return errors;
    }

    /**
     * Ranges the parser enforces for files, repeated for workflows built in Java: a negative cpu request would
     * hand cores back to the node on reserve and let other tasks oversubscribe it; a negative timeout kills
     * every attempt at once.
     */
    private static void checkNumbers(String source, String label, TaskSpec task, List<ValidationError> errors) {
        BiConsumer<String, String> report =
                (field, message) -> errors.add(new ValidationError(source, label, task.id(), field, message));
        Resources resources = task.resources();
        notNegative(report, "resources.cpu", resources.cpu());
        notNegative(report, "resources.memoryGb", resources.memoryGb());
        notNegative(report, "resources.gpus", resources.gpus());
        if (resources.gpus() > dev.maze.core.node.NodeSpec.MAX_GPUS) {
            report.accept("resources.gpus", "must be at most " + dev.maze.core.node.NodeSpec.MAX_GPUS
                    + " (the most GPUs a node may have), found " + resources.gpus());
        }
        notNegative(report, "resources.gpuMemoryGb", resources.gpuMemoryGb());
        positiveSeconds(report, "timeoutSeconds", task.timeoutSeconds());
        positiveSeconds(report, "predictedSeconds", task.predictedSeconds());
        RetryPolicy retries = task.retries();
        notNegative(report, "retries.count", retries.count());
        if (retries.count() > RetryPolicy.MAX_COUNT) {
            report.accept("retries.count", "must be at most " + RetryPolicy.MAX_COUNT + ", found " + retries.count());
        }
        notNegative(report, "retries.backoffSeconds", retries.backoffSeconds());
        notNegative(report, "retries.maxBackoffSeconds", retries.maxBackoffSeconds());
        atMostMaxDuration(report, "retries.backoffSeconds", retries.backoffSeconds());
        if (retries.maxBackoffSeconds() != retries.backoffSeconds()) { // else it defaulted to the backoff, reported above
            atMostMaxDuration(report, "retries.maxBackoffSeconds", retries.maxBackoffSeconds());
        }
        if (!(retries.jitter() >= 0 && retries.jitter() <= 1)) {
            report.accept("retries.jitter", "must be from 0 to 1, found " + retries.jitter());
        }
        if (!(retries.multiplier() >= 1) || !Double.isFinite(retries.multiplier())) {
            report.accept("retries.multiplier", "must be at least 1, found " + retries.multiplier());
        }
    }

    private static void notNegative(BiConsumer<String, String> report, String field, double value) {
        if (value < 0) {
            report.accept(field, "must not be negative, found " + value);
        } else if (!Double.isFinite(value)) {
            report.accept(field, "must be a finite number, found " + value);
        }
    }

    private static void notNegative(BiConsumer<String, String> report, String field, int value) {
        if (value < 0) {
            report.accept(field, "must not be negative, found " + value);
        }
    }

    private static void positiveSeconds(BiConsumer<String, String> report, String field, Double value) {
        if (value != null && (!(value > 0) || !Double.isFinite(value))) {
            report.accept(field, "must be a positive number of seconds, found " + value);
        } else if (value != null) {
            atMostMaxDuration(report, field, value);
        }
    }

    /** Durations above {@link Clock#MAX_DURATION_SECONDS} are refused: nothing Maze times may wrap its clock. */
    private static void atMostMaxDuration(BiConsumer<String, String> report, String field, double seconds) {
        if (seconds > Clock.MAX_DURATION_SECONDS && Double.isFinite(seconds)) {
            report.accept(field, tooLong(seconds));
        }
    }

    /** The message for a duration beyond Maze's longest. */
    public static String tooLong(double seconds) {
        return tooLong(String.valueOf(seconds));
    }

    /** The message for a duration beyond Maze's longest, {@code found} saying what was given. */
    public static String tooLong(String found) {
        return "must be at most " + (long) Clock.MAX_DURATION_SECONDS + " s (about 3 years, the longest duration Maze "
                + "times), found " + found;
    }

    private boolean knownValid(List<TaskSpec> tasks) {
        Object checked = validTaskLists.get(tasks);
        return checked == context || context.equals(checked);
    }

    private void rememberValid(List<TaskSpec> tasks) {
        validTaskLists.put(tasks, context);
    }


    private void checkFits(String source, String label, TaskSpec task, List<ValidationError> errors) {
        if (nodes.isEmpty()) {
            return;
        }
        List<String> reasons = new ArrayList<>();
        for (NodeSpec node : nodes) {
            String why = node.whyNeverFits(task.resources());
            if (why == null) {
                return;
            }
            reasons.add(node.id() + ": " + why);
        }
        String hint = task.resources().gpus() > 0 && nodes.stream().allMatch(n -> n.gpus().isEmpty())
                ? "; no node has a GPU (maze run and validate offer N virtual ones with --gpus N; a simulated workload lists its "
                        + "GPUs under cluster)"
                : "; lower the request or add a larger node";
        errors.add(new ValidationError(source, label, task.id(), "resources",
                "no node can ever run this task (" + String.join("; ", reasons) + ")" + hint));
    }

    private static void checkTemplates(String source, String label, List<TaskSpec> tasks, Map<String, TaskSpec> byId,
            List<ValidationError> errors) {
        // A reference to a dependency is answered at once; the others are asked of the graph together, so the check
        // stays near-linear in the tasks however long the chains (see TaskGraph). Errors keep the order of the file.
        record Found(ValidationError error, TaskSpec task, InputTemplates.Reference reference, int question) {}
        List<Found> found = new ArrayList<>();
        TaskGraph graph = null;
        List<Integer> ancestors = new ArrayList<>();
        List<Integer> dependents = new ArrayList<>();
        for (TaskSpec task : tasks) {
            List<InputTemplates.Reference> references;
            try {
                references = InputTemplates.references(task.inputs());
            } catch (IllegalArgumentException e) {
                found.add(new Found(new ValidationError(source, label, task.id(), "inputs", e.getMessage()), null, null, -1));
                continue;
            }
            Collection<String> direct = task.dependsOn().size() > 8 ? new HashSet<>(task.dependsOn()) : task.dependsOn();
            for (InputTemplates.Reference reference : references) {
                String target = reference.taskId();
                if (target == null || (direct.contains(target) && !target.equals(task.id()))) {
                    continue;
                }
                if (!byId.containsKey(target)) {
                    found.add(new Found(new ValidationError(source, label, task.id(), reference.path(),
                            "template {{" + reference.variable() + "}} references unknown task '" + target + "'"
                                    + Suggestions.didYouMean(target, byId.keySet())), null, null, -1));
                    continue;
                }
                if (graph == null) {
                    graph = TaskGraph.of(List.copyOf(byId.values()));
                }
                int ancestor = graph.indexOf(target);
                int dependent = graph.indexOf(task.id());
                if (ancestor >= 0 && dependent >= 0) { // else on or behind a cycle, which is reported: checked once fixed
                    found.add(new Found(null, task, reference, ancestors.size()));
                    ancestors.add(ancestor);
                    dependents.add(dependent);
                }
            }
        }
        boolean[] answers = graph == null ? new boolean[0] : graph.isAncestor(
                ancestors.stream().mapToInt(Integer::intValue).toArray(), dependents.stream().mapToInt(Integer::intValue).toArray());
        for (Found f : found) {
            if (f.error() != null) {
                errors.add(f.error());
            } else if (!answers[f.question()]) {
                errors.add(new ValidationError(source, label, f.task().id(), f.reference().path(),
                        "template {{" + f.reference().variable() + "}} references task '" + f.reference().taskId()
                                + "', which is not an ancestor, so its output may not exist yet; add it to dependsOn"));
            }
        }
    }

    /** A cycle to print: a long one shows its start and end and says how many tasks it left out. */
    static String cyclePath(List<String> cycle) {
        int shown = 20;
        if (cycle.size() <= shown + 1) {
            return String.join(" -> ", cycle);
        }
        List<String> head = cycle.subList(0, shown / 2);
        List<String> tail = cycle.subList(cycle.size() - shown / 2, cycle.size());
        return String.join(" -> ", head) + " -> ... (" + (cycle.size() - shown) + " more tasks) -> "
                + String.join(" -> ", tail);
    }

    /** A cycle as a list of ids whose first and last element are the same, or null if the graph is acyclic. */
    static List<String> findCycle(List<TaskSpec> tasks, Map<String, TaskSpec> byId) {
        Map<String, Integer> state = new HashMap<>(); // absent = unvisited, 1 = on stack, 2 = done
        for (TaskSpec start : tasks) {
            if (start.id() == null || state.containsKey(start.id())) {
                continue;
            }
            // Iterative DFS so that deep chains cannot overflow the stack.
            Deque<String> path = new ArrayDeque<>();
            Deque<Integer> nextChild = new ArrayDeque<>();
            path.push(start.id());
            nextChild.push(0);
            state.put(start.id(), 1);
            while (!path.isEmpty()) {
                String current = path.peek();
                int index = nextChild.pop();
                List<String> deps = byId.get(current).dependsOn();
                if (index < deps.size()) {
                    nextChild.push(index + 1);
                    String dep = deps.get(index);
                    if (!byId.containsKey(dep) || dep.equals(current)) {
                        continue; // reported elsewhere
                    }
                    Integer depState = state.get(dep);
                    if (depState == null) {
                        state.put(dep, 1);
                        path.push(dep);
                        nextChild.push(0);
                    } else if (depState == 1) {
                        List<String> cycle = new ArrayList<>();
                        cycle.add(dep);
                        for (String onPath : path) { // from the top of the stack down to dep
                            cycle.add(onPath);
                            if (onPath.equals(dep)) {
                                break;
                            }
                        }
                        // Reversed, each id depends on the next one: "a -> b -> a" reads "a depends on b ...".
                        Collections.reverse(cycle);
                        return cycle;
                    }
                } else {
                    state.put(current, 2);
                    path.pop();
                }
            }
        }
        return null;
    }
}
