package dev.maze.core.sim;

import dev.maze.core.workflow.Suggestions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.sim.WorkloadSchema.Fields;
import dev.maze.core.sim.WorkloadSchema.Named;
import dev.maze.core.sim.WorkloadSchema.Shape;
import dev.maze.core.workflow.DocumentReader;
import dev.maze.core.workflow.ValidationError;
import dev.maze.core.workflow.ValidationException;
import dev.maze.core.workflow.WorkflowParser.Format;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Applies {@code key=value} overrides to a workload document before it is read, so an overridden value is checked
 * exactly like one written in the file. A key is a dotted path ({@code models.qwen3-32b.loadSeconds}); keys that
 * themselves hold dots ({@code qwen2.5-vl-32b}) are matched whole, longest first; list elements are addressed by
 * index or by their name or id ({@code types.gaia_file.weight}, {@code arrivals.phases.3.rate}). Shortcuts:
 * {@value #LOAD_SECONDS} (every model that states {@code loadSeconds}) and {@value #ARRIVAL_SCALE}
 * (= {@code arrivals.scale}).
 */
final class WorkloadOverrides {

    static final String LOAD_SECONDS = "loadSeconds";
    static final String ARRIVAL_SCALE = "arrivalScale";

    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");

    private final ObjectNode root;
    private final String source;
    private final List<ValidationError> errors = new ArrayList<>();

    private WorkloadOverrides(ObjectNode root, String source) {
        this.root = root;
        this.source = source;
    }

    /** Applies {@code overrides} to {@code root} in their iteration order; returns the problems found. */
    static List<ValidationError> apply(ObjectNode root, Map<String, String> overrides, String source) {
        WorkloadOverrides applier = new WorkloadOverrides(root, source);
        overrides.forEach(applier::apply);
        return applier.errors;
    }

    private void apply(String key, String raw) {
        if (key == null || key.isBlank()) {
            errors.add(new ValidationError(source, null, null, null,
                    "override '" + key + "=" + raw + "' names no key; write key=value, e.g. arrivals.scale=1.5"));
            return;
        }
        JsonNode value;
        try {
            value = parseValue(raw);
        } catch (IllegalArgumentException e) {
            error(key, e.getMessage());
            return;
        }
        switch (key) {
            case LOAD_SECONDS -> everyLoadSeconds(key, value);
            case ARRIVAL_SCALE -> set(key, "arrivals.scale", value);
            default -> set(key, key, value);
        }
    }

    private void error(String key, String message) {
        errors.add(new ValidationError(source, null, null, key, "override: " + message));
    }

    /**
     * Numbers when they look like numbers; a value opening with [ or { is read as a YAML/JSON flow value (a list or
     * an object, e.g. a duration); anything else is text (a rate such as 0.5/45 stays text for the reader to parse).
     */
    static JsonNode parseValue(String raw) {
        String text = raw == null ? "" : raw.strip();
        if (NUMBER.matcher(text).matches()) {
            boolean integral = !text.contains(".") && !text.contains("e") && !text.contains("E");
            if (integral) {
                try {
                    long number = Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
                    return number == (int) number ? IntNode.valueOf((int) number) : LongNode.valueOf(number);
                } catch (NumberFormatException e) {
                    // beyond a long: fall through to a double
                }
            }
            return DoubleNode.valueOf(Double.parseDouble(text));
        }
        if (text.startsWith("[") || text.startsWith("{")) {
            try { // read as files are: no aliases, no NaN or infinities, no repeated keys
                return DocumentReader.read(text, Format.YAML, null, "give one value", "give a value");
            } catch (ValidationException e) {
                throw new IllegalArgumentException("value '" + text + "' opens like a list or object but is not valid "
                        + "YAML/JSON: " + e.errors().get(0));
            }
        }
        return JsonNodeFactory.instance.textNode(raw == null ? "" : raw);
    }

    private void everyLoadSeconds(String key, JsonNode value) {
        JsonNode models = root.get("models");
        int changed = 0;
        if (models != null && models.isObject()) {
            for (Iterator<JsonNode> it = models.elements(); it.hasNext(); ) {
                if (it.next() instanceof ObjectNode model && model.has(LOAD_SECONDS)) {
                    model.set(LOAD_SECONDS, value);
                    changed++;
                }
            }
        }
        if (changed == 0) {
            error(key, "no model states loadSeconds, so the shortcut changes nothing; models whose load cost is "
                    + "sizeGb / bandwidthGbPerSec are changed by path, e.g. models.<name>.bandwidthGbPerSec=2");
        }
    }

    /** Sets {@code path} (for messages, the user wrote {@code key}) to {@code value}. */
    private void set(String key, String path, JsonNode value) {
        String[] segments = path.split("\\.", -1);
        for (String segment : segments) {
            if (segment.isEmpty()) {
                error(key, "empty step in path '" + path + "'; separate keys with single dots");
                return;
            }
        }
        JsonNode node = root;
        Shape shape = WorkloadSchema.ROOT;
        String walked = "";
        int i = 0;
        while (true) {
            if (node instanceof ObjectNode object) {
                int taken = longestKey(object, segments, i);
                String name = taken > 0 ? join(segments, i, i + taken) : segments[i];
                Shape child = child(shape, name);
                if (taken == 0) {
                    String problem = missing(object, shape, name, walked);
                    if (problem != null) {
                        error(key, problem);
                        return;
                    }
                    if (i == segments.length - 1) {
                        object.set(name, value);
                        return;
                    }
                    if (child instanceof Named) {
                        error(key, "'" + extend(walked, name) + "' is not in the file; set the whole list, e.g. "
                                + extend(walked, name) + "=[...]");
                        return;
                    }
                    object.putObject(name);
                    taken = 1;
                }
                if (i + taken == segments.length) {
                    object.set(name, value);
                    return;
                }
                node = object.get(name);
                shape = child;
                walked = extend(walked, name);
                i += taken;
            } else if (node instanceof ArrayNode array) {
                String keyField = shape instanceof Named named ? named.key() : null;
                int[] found;
                try {
                    found = element(array, keyField, shape instanceof Named named ? named.what() : "element", segments, i);
                } catch (IllegalArgumentException ambiguous) {
                    error(key, "'" + extend(walked, segments[i]) + "': " + ambiguous.getMessage()
                            + "; address one by index, e.g. " + extend(walked, "0"));
                    return;
                }
                if (found == null) {
                    error(key, "'" + extend(walked, segments[i]) + "': " + noElement(array, keyField, segments[i]));
                    return;
                }
                int index = found[0];
                int taken = found[1];
                if (i + taken == segments.length) {
                    array.set(index, value);
                    return;
                }
                node = array.get(index);
                shape = shape instanceof Named named ? named.element() : WorkloadSchema.FREE;
                walked = extend(walked, join(segments, i, i + taken));
                i += taken;
            } else {
                error(key, "'" + walked + "' is a single value (" + node + "), so it has no '" + segments[i]
                        + "' inside; set '" + walked + "' itself");
                return;
            }
        }
    }

    /** Why {@code name} may not be created in {@code object}, or null when it may (a known, absent field). */
    private static String missing(ObjectNode object, Shape shape, String name, String walked) {
        List<String> present = new ArrayList<>();
        object.fieldNames().forEachRemaining(present::add);
        String where = walked.isEmpty() ? "the top level" : "'" + walked + "'";
        return switch (shape) {
            case Fields fields -> {
                if (fields.fields().containsKey(name)) {
                    yield null;
                }
                List<String> known = new ArrayList<>(fields.fields().keySet());
                yield "no key '" + name + "' in " + where + Suggestions.didYouMean(name, known) + "; keys there: "
                        + WorkloadSchema.list(known);
            }
            case Named named -> "no " + named.what() + " '" + name + "' in " + where
                    + Suggestions.didYouMean(name, present) + "; " + named.what() + "s there: "
                    + WorkloadSchema.list(present);
            // Inside a free-form object (a duration) any key may be added; the reader checks the result.
            case WorkloadSchema.Free free -> null;
        };
    }

    private static Shape child(Shape shape, String name) {
        return switch (shape) {
            case Fields fields -> fields.fields().getOrDefault(name, WorkloadSchema.FREE);
            case Named named -> named.element();
            case WorkloadSchema.Free free -> WorkloadSchema.FREE;
        };
    }

    /** How many segments from {@code from} form the longest key present in {@code object}; 0 if none. */
    private static int longestKey(ObjectNode object, String[] segments, int from) {
        for (int end = segments.length; end > from; end--) {
            if (object.has(join(segments, from, end))) {
                return end - from;
            }
        }
        return 0;
    }

    /**
     * {index, segments taken} of the element addressed at {@code from}, or null.
     *
     * @throws IllegalArgumentException when several elements have that name: changing the first alone would be a
     *     silent guess (node groups may share an idPrefix)
     */
    private static int[] element(ArrayNode array, String keyField, String what, String[] segments, int from) {
        if (keyField != null) {
            for (int end = segments.length; end > from; end--) {
                String name = join(segments, from, end);
                List<Integer> matches = new ArrayList<>();
                for (int index = 0; index < array.size(); index++) {
                    if (array.get(index).path(keyField).asText("\0").equals(name)) {
                        matches.add(index);
                    }
                }
                if (matches.size() > 1) {
                    throw new IllegalArgumentException(matches.size() + " " + what + "s have " + keyField + " '" + name + "' (indices "
                            + String.join(", ", matches.stream().map(String::valueOf).toList()) + ")");
                }
                if (matches.size() == 1) {
                    return new int[] {matches.get(0), end - from};
                }
            }
        }
        String segment = segments[from];
        if (segment.chars().allMatch(Character::isDigit) && segment.length() < 10) {
            int index = Integer.parseInt(segment);
            if (index < array.size()) {
                return new int[] {index, 1};
            }
        }
        return null;
    }

    private static String noElement(ArrayNode array, String keyField, String segment) {
        String range = array.isEmpty() ? "the list is empty" : "indices 0.." + (array.size() - 1);
        if (keyField == null) {
            return "no element " + segment + "; " + range;
        }
        List<String> names = new ArrayList<>();
        array.forEach(element -> {
            if (element.path(keyField).isTextual()) {
                names.add(element.path(keyField).asText());
            }
        });
        return "no element with " + keyField + " '" + segment + "'" + Suggestions.didYouMean(segment, names) + " and no such index; "
                + keyField + "s: " + WorkloadSchema.list(names) + "; " + range;
    }

    private static String join(String[] segments, int from, int to) {
        return String.join(".", Arrays.copyOfRange(segments, from, to));
    }

    private static String extend(String walked, String name) {
        return walked.isEmpty() ? name : walked + "." + name;
    }
}
