package dev.maze.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.clock.Clock;
import dev.maze.core.workflow.InputCheck;
import dev.maze.core.workflow.WorkflowValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Kind {@code sim}: stands in for a model call or tool by waiting on the engine's clock. Inputs:
 * <ul>
 *   <li>{@code seconds}: how long to wait; or {@code duration}: a distribution (see {@link Durations});
 *   <li>{@code failAttempts} (optional): the first N attempts fail, to exercise retries and cascade cancel;
 *   <li>{@code output} (optional): the JSON to return; default {@code {"text": "...", "seconds": s}}.
 * </ul>
 * When the task's model must first be loaded onto its GPU, the load time is waited before the duration. On the
 * wall clock it really waits; on a virtual clock it costs no real time. Setting {@code executors.sim.timeScale}
 * multiplies every duration (e.g. 0.1 to run a demo ten times faster).
 */
public final class SimExecutor implements TaskExecutor {

    private final double timeScale;

    /** Durations as given. */
    public SimExecutor() {
        this(1);
    }

    /** @param timeScale factor applied to every duration (and model load), > 0 */
    public SimExecutor(double timeScale) {
        if (!(timeScale > 0) || !Double.isFinite(timeScale)) {
            throw new IllegalArgumentException("executors.sim.timeScale: expected a number > 0, found " + timeScale);
        }
        this.timeScale = timeScale;
    }

    /** From {@code executors.sim}: {@code timeScale} (default 1). */
    static SimExecutor create(ExecutorSettings settings) {
        double scale = settings.number("timeScale", 1, Double.MIN_VALUE);
        settings.done();
        return new SimExecutor(scale);
    }

    @Override
    public String kind() {
        return "sim";
    }

    @Override
    public boolean clockDriven() {
        return true;
    }

    @Override
    public List<InputCheck.Problem> check(JsonNode inputs) {
        List<InputCheck.Problem> problems = new ArrayList<>();
        JsonNode seconds = inputs.get("seconds");
        JsonNode duration = inputs.get("duration");
        if (seconds == null && duration == null) {
            problems.add(new InputCheck.Problem("inputs.seconds", "a sim task needs inputs.seconds or inputs.duration"));
        } else if (seconds != null && !isTemplate(seconds) && (!seconds.isNumber() || seconds.asDouble() < 0)) {
            problems.add(new InputCheck.Problem("inputs.seconds", "expected a number of seconds >= 0, found " + seconds));
        } else if (seconds != null && !isTemplate(seconds) && seconds.asDouble() > Clock.MAX_DURATION_SECONDS) {
            problems.add(new InputCheck.Problem("inputs.seconds", WorkflowValidator.tooLong(seconds.asDouble())));
        } else if (seconds == null) {
            for (String problem : Durations.problems(duration, "inputs.duration")) {
                int colon = problem.indexOf(": ");
                problems.add(new InputCheck.Problem(problem.substring(0, colon), problem.substring(colon + 2)));
            }
        }
        JsonNode failAttempts = inputs.get("failAttempts");
        if (failAttempts != null && (!failAttempts.isIntegralNumber() || !failAttempts.canConvertToInt() || failAttempts.asInt() < 0)) {
            problems.add(new InputCheck.Problem("inputs.failAttempts", "expected a whole number >= 0, found " + failAttempts));
        }
        return problems;
    }

    private static boolean isTemplate(JsonNode node) {
        return node.isTextual() && node.asText().contains("{{");
    }

    @Override
    public Execution start(TaskInvocation invocation, ExecutionContext context) {
        JsonNode inputs = invocation.inputs();
        double seconds;
        if (inputs.has("seconds")) {
            seconds = inputs.get("seconds").asDouble(Double.NaN);
            if (seconds > Clock.MAX_DURATION_SECONDS) {
                context.complete(new TaskResult.Failure("inputs.seconds resolved to " + seconds + ": "
                        + WorkflowValidator.tooLong(seconds), false));
                return () -> {};
            }
            if (!(seconds >= 0)) {
                context.complete(new TaskResult.Failure("inputs.seconds resolved to '" + inputs.get("seconds").asText()
                        + "', not a number of seconds", false)); // the same inputs resolve the same way next time
                return () -> {};
            }
        } else {
            seconds = Durations.sample(inputs.get("duration"), new SplittableRandom(invocation.seed()));
        }
        seconds *= invocation.sharingSlowdown();
        boolean fail = invocation.attempt() <= inputs.path("failAttempts").asInt(0);
        double waited = seconds;
        // A model that is not resident on the GPU is loaded first (the engine tells how long that takes).
        double wait = timeScale == 1 ? invocation.modelLoadSeconds() + seconds
                : (invocation.modelLoadSeconds() + seconds) * timeScale;
        return context.schedule(wait, () -> context.complete(fail
                ? new TaskResult.Failure("simulated failure on attempt " + invocation.attempt())
                : new TaskResult.Success(output(invocation, waited)))) ::run;
    }

    private static JsonNode output(TaskInvocation invocation, double seconds) {
        JsonNode given = invocation.inputs().get("output");
        if (given != null) {
            return given;
        }
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        output.put("text", "output of " + invocation.spec().id());
        output.put("seconds", seconds);
        return output;
    }
}
