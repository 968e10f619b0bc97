package dev.maze.core.workflow;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reading the fields of a YAML/JSON input file (a batch backlog, a model, a node list), so that every loader words
 * its errors alike: {@code FILE: PLACE: FIELD must be ..., not VALUE}. Every method throws
 * {@link IllegalArgumentException} with such a message. (Workflow and workload files report through
 * {@link ValidationException} instead: they collect every error at once.)
 */
public final class JsonFields {

    private JsonFields() {}

    /** The file as a tree: YAML for {@code .yaml}/{@code .yml}, JSON otherwise. */
    public static JsonNode tree(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        ObjectMapper mapper = yaml ? new YAMLMapper() : new ObjectMapper();
        try {
            JsonNode root = mapper.readTree(file.toFile());
            if (root == null || root.isMissingNode()) {
                throw new IllegalArgumentException(file + ": the file is empty");
            }
            return root;
        } catch (JacksonException e) {
            throw new IllegalArgumentException(file + ": not valid " + (yaml ? "YAML" : "JSON") + ": "
                    + e.getOriginalMessage() + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                    + ")"), e);
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file", e);
        }
    }

    public static void object(JsonNode node, String where, String at) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(where + ": " + at + " must be a mapping, not " + shown(node));
        }
    }

    /** Refuses a field not in {@code fields}: a misspelt optional field would otherwise be ignored in silence. */
    public static void known(JsonNode node, Set<String> fields, String where, String at) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new IllegalArgumentException(where + ": " + at + ": unknown field '" + name + "' (known: "
                        + String.join(", ", new TreeSet<>(fields)) + ")");
            }
        }
    }

    public static String text(JsonNode node, String field, String where, String at) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || !value.isValueNode() || value.asText().isBlank()) {
            throw new IllegalArgumentException(where + ": " + at + ": " + field + " is missing or empty");
        }
        return value.asText();
    }

    /**
     * A finite number; {@code otherwise} when absent (null: required).
     *
     * @param zeroOk whether 0 is accepted (else it must be above 0)
     */
    public static double number(JsonNode node, String field, String where, String at, Double otherwise, boolean zeroOk) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (otherwise == null) {
                throw new IllegalArgumentException(where + ": " + at + ": " + field + " is missing");
            }
            return otherwise;
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble())
                || (zeroOk ? value.asDouble() < 0 : value.asDouble() <= 0)) {
            throw new IllegalArgumentException(where + ": " + at + ": " + field + " must be a number "
                    + (zeroOk ? "of 0 or more" : "above 0") + ", not " + shown(value));
        }
        return value.asDouble();
    }

    /** A whole number in {@code [min, max]}; {@code otherwise} when absent (null: required). */
    public static long whole(JsonNode node, String field, String where, String at, Long otherwise, long min, long max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (otherwise == null) {
                throw new IllegalArgumentException(where + ": " + at + ": " + field + " is missing");
            }
            return otherwise;
        }
        if (!value.isNumber() || !value.canConvertToExactIntegral() || value.asLong() < min || value.asLong() > max) {
            throw new IllegalArgumentException(where + ": " + at + ": " + field + " must be a whole number from " + min
                    + " to " + max + ", not " + shown(value));
        }
        return value.asLong();
    }

    public static boolean bool(JsonNode node, String field, String where, String at, boolean otherwise) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException(where + ": " + at + ": " + field + " must be true or false, not "
                    + shown(value));
        }
        return value.asBoolean();
    }

    /** A value as a user wrote it, cut so that a huge one cannot flood the message. */
    public static String shown(JsonNode node) {
        String text = node == null ? "nothing" : node.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
