package dev.maze.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One executor kind's section of the configuration ({@code executors.<kind>} in a Maze config file), read by its
 * {@link TaskExecutorFactory}. Every key must be read: {@link #done()} refuses keys nobody asked for, so a misspelt
 * setting is an error naming it and the known ones rather than silently ignored. Values are checked as they are read;
 * errors name the path ({@code executors.process.workingDir}).
 */
public final class ExecutorSettings {

    private final String kind;
    private final JsonNode section;
    private final Set<String> known = new LinkedHashSet<>();

    /**
     * @param kind the executor kind (for messages)
     * @param section its settings, an object; null or missing means none
     * @throws IllegalArgumentException when the section is not an object
     */
    public ExecutorSettings(String kind, JsonNode section) {
        this.kind = kind;
        this.section = section == null || section.isNull() || section.isMissingNode()
                ? JsonNodeFactory.instance.objectNode() : section;
        if (!this.section.isObject()) {
            throw new IllegalArgumentException(path(null) + ": expected a map of settings, found " + section);
        }
    }

    /** No settings. */
    public static ExecutorSettings none(String kind) {
        return new ExecutorSettings(kind, null);
    }

    public String kind() {
        return kind;
    }

    /** A string setting, or {@code fallback} when absent. */
    public String text(String key, String fallback) {
        JsonNode value = take(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(path(key) + ": expected a string, found " + value);
        }
        return value.asText();
    }

    /** A number setting of at least {@code min}, or {@code fallback} when absent. */
    public double number(String key, double fallback, double min) {
        JsonNode value = take(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble()) || value.asDouble() < min) {
            throw new IllegalArgumentException(path(key) + ": expected a number >= " + min + ", found " + value);
        }
        return value.asDouble();
    }

    /** A true/false setting, or {@code fallback} when absent. */
    public boolean flag(String key, boolean fallback) {
        JsonNode value = take(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(path(key) + ": expected true or false, found " + value);
        }
        return value.asBoolean();
    }

    /** A map of names to strings (numbers and booleans are written as text), empty when absent. */
    public Map<String, String> strings(String key) {
        JsonNode value = take(key);
        Map<String, String> result = new LinkedHashMap<>();
        if (value == null) {
            return result;
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException(path(key) + ": expected a map of NAME: value, found " + value);
        }
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
                throw new IllegalArgumentException(path(key) + "." + entry.getKey()
                        + ": expected a string, number or boolean, found " + entry.getValue());
            }
            result.put(entry.getKey(), entry.getValue().asText());
        }
        return result;
    }

    /**
     * Checks that every key given was read.
     *
     * @throws IllegalArgumentException naming the unknown keys and the known ones
     */
    public void done() {
        List<String> unknown = new ArrayList<>();
        section.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(path(null) + ": unknown setting(s) " + unknown
                    + (known.isEmpty() ? "; this kind takes none" : "; known: " + String.join(", ", known)));
        }
    }

    private JsonNode take(String key) {
        known.add(key);
        JsonNode value = section.get(key);
        return value == null || value.isNull() ? null : value;
    }

    private String path(String key) {
        return "executors." + kind + (key == null ? "" : "." + key);
    }
}
