package dev.maze.fakellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A JSON value valid against a JSON schema, drawn with a seeded generator: {@code const} and {@code enum} first; then
 * by {@code type} (the first non-null one of a list) — objects with every required property (every property when none
 * is required), arrays of {@code minItems}..{@code maxItems} (default 1..3) items, strings of vocabulary words within
 * {@code minLength}/{@code maxLength} (or a fixed value for the formats date-time, date, time, email, uri, uuid),
 * integers and numbers within the bounds (default 0..100; {@code multipleOf} honoured), booleans, null;
 * {@code anyOf}/{@code oneOf} take their first choice, {@code allOf} merges its object parts, {@code $ref} resolves
 * to {@code #/$defs/...} or {@code #/definitions/...}. {@code pattern} is not honoured.
 */
final class SchemaValues {

    private static final int MAX_DEPTH = 12;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final JsonNode root;
    private final SplittableRandom random;

    private SchemaValues(JsonNode root, SplittableRandom random) {
        this.root = root;
        this.random = random;
    }

    /** A value valid against {@code schema}. */
    static JsonNode valueOf(JsonNode schema, SplittableRandom random) {
        return new SchemaValues(schema, random).value(schema, 0);
    }

    private JsonNode value(JsonNode schema, int depth) {
        if (schema == null || !schema.isObject()) {
            return JSON.textNode(words(1, 3));
        }
        if (schema.has("$ref")) {
            JsonNode target = resolve(schema.get("$ref").asText());
            return depth >= MAX_DEPTH || target == null ? JSON.nullNode() : value(target, depth + 1);
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        JsonNode choices = schema.get("enum");
        if (choices != null && choices.isArray() && !choices.isEmpty()) {
            return choices.get(random.nextInt(choices.size()));
        }
        for (String key : List.of("anyOf", "oneOf")) {
            JsonNode options = schema.get(key);
            if (options != null && options.isArray() && !options.isEmpty()) {
                return value(firstNotNull(options), depth + 1);
            }
        }
        if (schema.has("allOf") && schema.get("allOf").isArray()) {
            return value(merged(schema), depth + 1);
        }
        String type = type(schema);
        return switch (type) {
            case "object" -> object(schema, depth);
            case "array" -> array(schema, depth);
            case "integer" -> integer(schema);
            case "number" -> number(schema);
            case "boolean" -> JSON.booleanNode(random.nextBoolean());
            case "null" -> JSON.nullNode();
            default -> string(schema);
        };
    }

    private ObjectNode object(JsonNode schema, int depth) {
        ObjectNode object = JSON.objectNode();
        JsonNode properties = schema.path("properties");
        List<String> names = new ArrayList<>();
        JsonNode required = schema.get("required");
        if (required != null && required.isArray() && !required.isEmpty()) {
            required.forEach(name -> names.add(name.asText()));
        } else {
            properties.fieldNames().forEachRemaining(names::add);
        }
        for (String name : names) {
            object.set(name, depth >= MAX_DEPTH ? JSON.nullNode() : value(properties.get(name), depth + 1));
        }
        return object;
    }

    private ArrayNode array(JsonNode schema, int depth) {
        int min = Math.max(0, schema.path("minItems").asInt(1));
        int max = Math.max(min, schema.path("maxItems").asInt(Math.max(min, 3)));
        int count = depth >= MAX_DEPTH ? min : min + random.nextInt(Math.min(max, min + 2) - min + 1);
        ArrayNode array = JSON.arrayNode();
        JsonNode prefix = schema.get("prefixItems");
        for (int i = 0; i < count; i++) {
            JsonNode items = prefix != null && prefix.isArray() && i < prefix.size() ? prefix.get(i) : schema.get("items");
            array.add(value(items, depth + 1));
        }
        return array;
    }

    private JsonNode integer(JsonNode schema) {
        long min = schema.has("minimum") ? (long) Math.ceil(schema.get("minimum").asDouble())
                : schema.has("exclusiveMinimum") ? (long) Math.floor(schema.get("exclusiveMinimum").asDouble()) + 1 : 0;
        long max = schema.has("maximum") ? (long) Math.floor(schema.get("maximum").asDouble())
                : schema.has("exclusiveMaximum") ? (long) Math.ceil(schema.get("exclusiveMaximum").asDouble()) - 1
                : Math.max(min, 0) + 100;
        long value = max <= min ? min : min + random.nextLong(max - min + 1);
        long step = schema.path("multipleOf").asLong(1);
        if (step > 1) {
            long multiple = Math.ceilDiv(min, step) * step;
            value = multiple + Math.floorDiv(Math.max(0, value - multiple), step) * step;
            if (value > max) {
                value = multiple;
            }
        }
        return JSON.numberNode(value);
    }

    private JsonNode number(JsonNode schema) {
        double min = schema.has("minimum") ? schema.get("minimum").asDouble()
                : schema.has("exclusiveMinimum") ? schema.get("exclusiveMinimum").asDouble() + 0.01 : 0;
        double max = schema.has("maximum") ? schema.get("maximum").asDouble()
                : schema.has("exclusiveMaximum") ? schema.get("exclusiveMaximum").asDouble() - 0.01 : Math.max(min, 0) + 100;
        double step = schema.path("multipleOf").asDouble(0);
        double value = max <= min ? min : min + random.nextDouble() * (max - min);
        if (step > 0) {
            value = Math.ceil(min / step) * step + Math.floor(Math.max(0, value - Math.ceil(min / step) * step) / step) * step;
            return JSON.numberNode(BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros());
        }
        BigDecimal rounded = BigDecimal.valueOf(value).setScale(2, RoundingMode.DOWN);
        if (rounded.doubleValue() < min) {
            rounded = BigDecimal.valueOf(min);
        }
        return JSON.numberNode(rounded);
    }

    private JsonNode string(JsonNode schema) {
        String format = schema.path("format").asText("");
        String value = switch (format) {
            case "date-time" -> "2025-01-" + twoDigits(1 + random.nextInt(28)) + "T" + twoDigits(random.nextInt(24))
                    + ":00:00Z";
            case "date" -> "2025-01-" + twoDigits(1 + random.nextInt(28));
            case "time" -> twoDigits(random.nextInt(24)) + ":00:00Z";
            case "email" -> CompletionText.VOCABULARY.get(random.nextInt(CompletionText.VOCABULARY.size()))
                    + "@example.com";
            case "uri", "url" -> "https://example.com/"
                    + CompletionText.VOCABULARY.get(random.nextInt(CompletionText.VOCABULARY.size()));
            case "uuid" -> CompletionText.hex(random, 8) + "-" + CompletionText.hex(random, 4) + "-4"
                    + CompletionText.hex(random, 3) + "-a" + CompletionText.hex(random, 3) + "-"
                    + CompletionText.hex(random, 12);
            default -> words(1, 4);
        };
        int minLength = schema.path("minLength").asInt(0);
        int maxLength = schema.path("maxLength").asInt(Integer.MAX_VALUE);
        StringBuilder text = new StringBuilder(value);
        while (text.length() < minLength) {
            text.append(' ').append(words(1, 1));
        }
        return JSON.textNode(text.length() > maxLength ? text.substring(0, maxLength) : text.toString());
    }

    private String words(int min, int max) {
        String text = CompletionText.words(random, min + random.nextInt(max - min + 1));
        return text.isEmpty() ? "a" : text;
    }

    private static String type(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isTextual()) {
            return type.asText();
        }
        if (type != null && type.isArray()) {
            for (JsonNode option : type) {
                if (!option.asText().equals("null")) {
                    return option.asText();
                }
            }
            return "null";
        }
        if (schema.has("properties")) {
            return "object";
        }
        if (schema.has("items") || schema.has("prefixItems")) {
            return "array";
        }
        return "string";
    }

    private static JsonNode firstNotNull(JsonNode options) {
        for (JsonNode option : options) {
            if (!option.path("type").asText("").equals("null")) {
                return option;
            }
        }
        return options.get(0);
    }

    /** allOf with the schema's own keywords, merged: properties and required lists joined, other keywords kept. */
    private static JsonNode merged(JsonNode schema) {
        ObjectNode merged = ((ObjectNode) schema).deepCopy();
        merged.remove("allOf");
        ObjectNode properties = merged.get("properties") instanceof ObjectNode own ? own : JSON.objectNode();
        ArrayNode required = merged.get("required") instanceof ArrayNode own ? own : JSON.arrayNode();
        for (JsonNode part : schema.get("allOf")) {
            for (Iterator<String> names = part.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                JsonNode keyword = part.get(name);
                switch (name) {
                    case "properties" -> {
                        if (keyword instanceof ObjectNode more) {
                            properties.setAll(more);
                        }
                    }
                    case "required" -> {
                        if (keyword instanceof ArrayNode more) {
                            required.addAll(more);
                        }
                    }
                    default -> {
                        if (!merged.has(name)) {
                            merged.set(name, keyword);
                        }
                    }
                }
            }
        }
        if (!properties.isEmpty()) {
            merged.set("properties", properties);
        }
        if (!required.isEmpty()) {
            merged.set("required", required);
        }
        return merged;
    }

    private JsonNode resolve(String ref) {
        if (!ref.startsWith("#")) {
            return null;
        }
        JsonNode target = root.at(ref.substring(1));
        return target.isMissingNode() ? null : target;
    }

    private static String twoDigits(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }
}
