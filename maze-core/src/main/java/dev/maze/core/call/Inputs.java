package dev.maze.core.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.exec.Excerpt;
import dev.maze.core.node.ModelEndpoint;
import dev.maze.core.workflow.InputCheck.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checks call kinds make of a task's inputs before anything runs, collecting every problem with its field. A value
 * that is still a template ({@code {{...}}}) is only known at run time and passes.
 */
final class Inputs {

    private final JsonNode inputs;
    private final List<Problem> problems = new ArrayList<>();

    Inputs(JsonNode inputs) {
        this.inputs = inputs;
    }

    List<Problem> problems() {
        return problems;
    }

    void problem(String field, String message) {
        problems.add(new Problem("inputs." + field, message));
    }

    private static boolean isTemplate(JsonNode value) {
        return value.isTextual() && value.asText().contains("{{");
    }

    void requiredText(String field, String what) {
        JsonNode value = inputs.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            problem(field, "required: " + what);
        }
    }

    void text(String field) {
        JsonNode value = inputs.get(field);
        if (value != null && !value.isTextual()) {
            problem(field, "expected a string, found " + Excerpt.of(value.toString()));
        }
    }

    void bool(String field) {
        JsonNode value = inputs.get(field);
        if (value != null && !value.isBoolean() && !isTemplate(value)) {
            problem(field, "expected true or false, found " + Excerpt.of(value.toString()));
        }
    }

    void number(String field, double min, double max) {
        JsonNode value = inputs.get(field);
        if (value != null && !isTemplate(value) && !(value.isNumber() && value.asDouble() >= min && value.asDouble() <= max)) {
            problem(field, "expected a number from " + format(min) + " to " + format(max) + ", found "
                    + Excerpt.of(value.toString()));
        }
    }

    void wholeNumber(String field, long min, long max) {
        JsonNode value = inputs.get(field);
        if (value != null && !isTemplate(value) && !(value.isIntegralNumber() && value.canConvertToLong()
                && value.asLong() >= min && value.asLong() <= max)) {
            problem(field, "expected a whole number" + (min == Long.MIN_VALUE ? "" : " from " + min + " to " + max)
                    + ", found " + Excerpt.of(value.toString()));
        }
    }

    void url(String field) {
        JsonNode value = inputs.get(field);
        if (value == null || isTemplate(value)) {
            return;
        }
        String why = value.isTextual() ? ModelEndpoint.urlProblem(value.asText()) : "expected a URL, found " + Excerpt.of(value.toString());
        if (why != null) {
            problem(field, why);
        }
    }

    /** A map of names to strings (numbers and booleans pass as text), e.g. headers. */
    void stringMap(String field, String expected) {
        JsonNode map = inputs.get(field);
        if (map == null) {
            return;
        }
        if (!map.isObject()) {
            problem(field, "expected " + expected + ", found " + map);
            return;
        }
        for (Map.Entry<String, JsonNode> entry : map.properties()) {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                problem(field + "." + entry.getKey(), "expected a string, found " + entry.getValue());
            }
        }
    }

    void variableName(String field) {
        JsonNode value = inputs.get(field);
        if (value != null && !(value.isTextual() && isVariableName(value.asText()))) {
            problem(field, "expected the name of an environment variable (the secret itself never goes in a file), found "
                    + Excerpt.of(value.toString()));
        }
    }

    static boolean isVariableName(String name) {
        return name.matches("[A-Za-z_][A-Za-z0-9_]*");
    }

    static boolean isUrl(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
