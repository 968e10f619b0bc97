package dev.maze.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A plan as JSON ({@code maze plan --json}) and back ({@code maze plan --verify}): per plan {@code strategy},
 * {@code makespan}, {@code switches} (how many), {@code switchSeconds}, {@code lowerBound}, {@code gap} (makespan over
 * the lower bound, minus 1: 0.12 is 12 % above), {@code utilization} (per GPU, 0..1), {@code utilizationSpread},
 * {@code planningMs}, {@code tasks[{id, model, gpus[], start, end}]} and {@code gpuTimelines[{gpu, tasks[],
 * switches[{at, seconds, from, to, beforeTask}]}]}.
 */
public final class PlanJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlanJson() {}

    /** {@code plan} as JSON; {@code planningMs} how long the strategy took. */
    public static ObjectNode write(Plan plan, LowerBounds bounds, double planningMs) {
        Problem problem = plan.problem();
        ObjectNode out = JSON.createObjectNode();
        out.put("strategy", plan.strategy());
        double makespan = plan.makespan();
        out.put("makespan", makespan);
        List<Plan.Switch> switches = plan.switches();
        out.put("switches", switches.size());
        out.put("switchSeconds", switches.stream().mapToDouble(Plan.Switch::seconds).sum());
        out.put("lowerBound", bounds.best());
        Double gap = gap(makespan, bounds.best());
        if (gap == null) {
            out.putNull("gap");
        } else {
            out.put("gap", gap);
        }
        ArrayNode utilization = out.putArray("utilization");
        Arrays.stream(plan.utilisation()).forEach(utilization::add);
        out.put("utilizationSpread", plan.utilisationSpread());
        out.put("planningMs", planningMs);
        ArrayNode tasks = out.putArray("tasks");
        for (int i = 0; i < problem.size(); i++) {
            ObjectNode task = tasks.addObject();
            task.put("id", problem.task(i).id());
            task.put("model", problem.modelName(problem.model(i)));
            ArrayNode gpus = task.putArray("gpus");
            Arrays.stream(plan.gpus(i)).forEach(gpus::add);
            task.put("start", plan.start(i));
            task.put("end", plan.end(i));
        }
        ArrayNode timelines = out.putArray("gpuTimelines");
        for (int g = 0; g < problem.gpus(); g++) {
            ObjectNode timeline = timelines.addObject();
            timeline.put("gpu", g);
            if (problem.initialModel(g) >= 0) {
                timeline.put("initialModel", problem.modelName(problem.initialModel(g)));
            } else {
                timeline.putNull("initialModel");
            }
            ArrayNode on = timeline.putArray("tasks");
            plan.timeline(g).forEach(i -> on.add(problem.task(i).id()));
            ArrayNode list = timeline.putArray("switches");
            for (Plan.Switch s : switches) {
                if (s.gpu() == g) {
                    ObjectNode item = list.addObject();
                    item.put("at", s.at());
                    item.put("seconds", s.seconds());
                    item.put("from", s.from());
                    item.put("to", s.to());
                    item.put("beforeTask", s.beforeTask());
                }
            }
        }
        return out;
    }

    /** {@code makespan / lowerBound - 1}; 0 when both are 0; null when only the bound is 0. */
    public static Double gap(double makespan, double lowerBound) {
        if (lowerBound <= 0) {
            return makespan <= Verifier.EPSILON ? 0.0 : null;
        }
        return makespan / lowerBound - 1;
    }

    /** What one plan object read back from JSON says, and what is wrong with it against the problem. */
    public record Checked(String strategy, Plan plan, List<String> violations) {}

    /**
     * Reads one plan object as {@link #write} wrote it and checks it against {@code problem}: every task exactly
     * once, on {@code gpusNeeded} consecutive GPUs, ending {@code seconds} after its start; then {@link Verifier}'s
     * rules (dependencies, one task per GPU at a time, switches charged); and the switches, switch seconds and
     * makespan it reports, if it reports them, against those the plan implies.
     *
     * @throws IllegalArgumentException when {@code node} is no plan object at all (naming what is missing)
     */
    public static Checked read(JsonNode node, Problem problem, String where) {
        if (node == null || !node.isObject() || !node.path("tasks").isArray()) {
            throw new IllegalArgumentException(where + ": a plan is an object with tasks[{id, gpus, start, end}]");
        }
        String strategy = node.path("strategy").asText("(unnamed)");
        List<String> found = new ArrayList<>();
        int n = problem.size();
        double[] start = new double[n];
        int[] first = new int[n];
        Arrays.fill(start, Double.NaN);
        Set<String> seen = new HashSet<>();
        JsonNode tasks = node.get("tasks");
        for (int t = 0; t < tasks.size(); t++) {
            JsonNode task = tasks.get(t);
            String id = task.path("id").asText("");
            int i = problem.indexOf(id);
            if (i < 0) {
                found.add("tasks[" + t + "]: '" + id + "' is not a task of the problem");
                continue;
            }
            if (!seen.add(id)) {
                found.add("task " + id + " is placed twice");
                continue;
            }
            JsonNode gpus = task.path("gpus");
            JsonNode at = task.path("start");
            if (!at.isNumber()) {
                found.add("task " + id + ": start must be a number, not " + at);
                continue;
            }
            start[i] = at.asDouble();
            if (!gpus.isArray() || gpus.isEmpty() || !gpus.get(0).canConvertToInt()) {
                found.add("task " + id + ": gpus must be a non-empty list of GPU numbers, not " + gpus);
                first[i] = -1;
                continue;
            }
            first[i] = gpus.get(0).asInt();
            int needed = problem.gpusNeeded(i);
            boolean consecutive = gpus.size() == needed;
            for (int k = 0; consecutive && k < gpus.size(); k++) {
                consecutive = gpus.get(k).canConvertToInt() && gpus.get(k).asInt() == first[i] + k;
            }
            if (!consecutive) {
                found.add("task " + id + " runs on GPUs " + gpus + "; its model "
                        + problem.modelName(problem.model(i)) + " needs " + needed + " consecutive GPU(s)");
            }
            JsonNode end = task.path("end");
            if (end.isNumber() && Math.abs(end.asDouble() - (start[i] + problem.seconds(i))) > Verifier.EPSILON) {
                found.add("task " + id + " ends at " + end.asDouble() + "; starting at " + start[i] + " for "
                        + problem.seconds(i) + " s it ends at " + (start[i] + problem.seconds(i)));
            }
        }
        for (int i = 0; i < n; i++) {
            if (!seen.contains(problem.task(i).id())) {
                found.add("task " + problem.task(i).id() + " is not in the plan");
                start[i] = Double.NaN;
            }
        }
        Plan plan = new Plan(strategy, problem, start, first);
        boolean placed = found.isEmpty();
        found.addAll(Verifier.violations(plan));
        if (placed) {
            List<Plan.Switch> switches = plan.switches();
            JsonNode count = node.path("switches");
            if (count.isNumber() && count.asInt() != switches.size()) {
                found.add("the plan reports " + count.asInt() + " switches; its timelines have " + switches.size());
            }
            double seconds = switches.stream().mapToDouble(Plan.Switch::seconds).sum();
            JsonNode charged = node.path("switchSeconds");
            if (charged.isNumber() && Math.abs(charged.asDouble() - seconds) > 1e-6 * Math.max(1, seconds)) {
                found.add("the plan reports " + charged.asDouble() + " switch seconds; its switches take " + seconds);
            }
            JsonNode makespan = node.path("makespan");
            if (makespan.isNumber() && Math.abs(makespan.asDouble() - plan.makespan()) > Verifier.EPSILON) {
                found.add("the plan reports makespan " + makespan.asDouble() + "; its tasks end at " + plan.makespan());
            }
        }
        return new Checked(strategy, plan, found);
    }
}
