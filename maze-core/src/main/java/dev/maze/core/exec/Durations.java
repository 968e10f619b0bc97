package dev.maze.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.clock.Clock;
import dev.maze.core.workflow.WorkflowValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Named duration distributions, written as JSON objects:
 * <ul>
 *   <li>{@code {"distribution": "constant", "seconds": 3}}
 *   <li>{@code {"distribution": "uniform", "min": 1, "max": 5}}
 *   <li>{@code {"distribution": "exponential", "mean": 2}}
 *   <li>{@code {"distribution": "lognormal", "mean": 120, "p95": 165}} (fitted so both hold)
 *   <li>{@code {"distribution": "empirical", "samples": [92.1, 130.4, 101.7]}} (one of the measured samples, each
 *       equally likely: replays measured times without assuming a shape)
 * </ul>
 */
public final class Durations {

    private static final double Z95 = 1.6448536269514722;

    private Durations() {}

    /** Problems with a distribution object, each naming its field under {@code path}. */
    public static List<String> problems(JsonNode spec, String path) {
        List<String> problems = new ArrayList<>();
        if (spec == null || !spec.isObject()) {
            problems.add(path + ": expected an object such as {\"distribution\": \"uniform\", \"min\": 1, \"max\": 3}");
            return problems;
        }
        String name = spec.path("distribution").asText("");
        switch (name) {
            case "constant" -> requirePositive(spec, "seconds", path, problems, true);
            case "uniform" -> {
                requirePositive(spec, "min", path, problems, true);
                requirePositive(spec, "max", path, problems, true);
                if (problems.isEmpty() && spec.get("min").asDouble() > spec.get("max").asDouble()) {
                    problems.add(path + ".min: must not exceed max");
                }
            }
            case "exponential" -> requirePositive(spec, "mean", path, problems, false);
            case "lognormal" -> {
                requirePositive(spec, "mean", path, problems, false);
                requirePositive(spec, "p95", path, problems, false);
                if (problems.isEmpty()) {
                    double ratio = Math.log(spec.get("p95").asDouble() / spec.get("mean").asDouble());
                    if (ratio <= 0 || ratio > Z95 * Z95 / 2) {
                        problems.add(path + ".p95: must lie between mean and " + String.format("%.2f", Math.exp(Z95 * Z95 / 2))
                                + " x mean for a lognormal");
                    }
                }
            }
            case "empirical" -> empiricalProblems(spec, path, problems);
            default -> problems.add(path + ".distribution: expected constant, uniform, exponential, lognormal or "
                    + "empirical, found '" + name + "'");
        }
        return problems;
    }

    /**
     * Draws one duration in seconds; {@code spec} must have passed {@link #problems}. A draw from a tail beyond
     * {@link Clock#MAX_DURATION_SECONDS} is cut to it.
     */
    public static double sample(JsonNode spec, SplittableRandom random) {
        return Math.min(Clock.MAX_DURATION_SECONDS, draw(spec, random));
    }

    private static double draw(JsonNode spec, SplittableRandom random) {
        return switch (spec.get("distribution").asText()) {
            case "constant" -> spec.get("seconds").asDouble();
            case "uniform" -> {
                double min = spec.get("min").asDouble();
                double max = spec.get("max").asDouble();
                yield min == max ? min : random.nextDouble(min, max);
            }
            case "exponential" -> -spec.get("mean").asDouble() * Math.log(1 - random.nextDouble());
            case "lognormal" -> {
                double mean = spec.get("mean").asDouble();
                double sigma = lognormalSigma(mean, spec.get("p95").asDouble());
                double mu = Math.log(mean) - sigma * sigma / 2;
                yield Math.exp(mu + sigma * gaussian(random));
            }
            case "empirical" -> {
                JsonNode samples = spec.get("samples");
                yield samples.get(random.nextInt(samples.size())).asDouble();
            }
            default -> throw new IllegalArgumentException("unknown distribution " + spec.get("distribution"));
        };
    }

    /** sigma of the lognormal whose mean and 95th percentile are given (the smaller root). */
    static double lognormalSigma(double mean, double p95) {
        double gap = Math.log(p95 / mean);
        return Z95 - Math.sqrt(Z95 * Z95 - 2 * gap);
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; SplittableRandom has no nextGaussian of its own on every JDK we support.
        double u1 = 1 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static void empiricalProblems(JsonNode spec, String path, List<String> problems) {
        JsonNode samples = spec.get("samples");
        if (samples == null || !samples.isArray() || samples.isEmpty()) {
            problems.add(path + ".samples: expected a non-empty list of measured durations in seconds, such as [1.2, 3.4]");
            return;
        }
        for (int i = 0; i < samples.size(); i++) {
            JsonNode sample = samples.get(i);
            if (!sample.isNumber() || !(sample.asDouble() >= 0) || !Double.isFinite(sample.asDouble())) {
                problems.add(path + ".samples[" + i + "]: expected a non-negative number of seconds, found " + sample);
            } else if (sample.asDouble() > Clock.MAX_DURATION_SECONDS) {
                problems.add(path + ".samples[" + i + "]: " + WorkflowValidator.tooLong(sample.asDouble()));
            }
        }
    }

    private static void requirePositive(JsonNode spec, String field, String path, List<String> problems, boolean zeroOk) {
        JsonNode value = spec.get(field);
        if (value == null || !value.isNumber() || value.asDouble() < 0 || (!zeroOk && value.asDouble() == 0)) {
            problems.add(path + "." + field + ": expected a " + (zeroOk ? "non-negative" : "positive") + " number of seconds");
        } else if (value.asDouble() > Clock.MAX_DURATION_SECONDS) {
            problems.add(path + "." + field + ": " + WorkflowValidator.tooLong(value.asDouble()));
        }
    }
}
