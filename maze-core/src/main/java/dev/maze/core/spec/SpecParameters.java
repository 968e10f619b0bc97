package dev.maze.core.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a plug-in chosen by a spec {@code name:key=value,key=value} (ordering policies, placements,
 * profiles). Every parameter must be read: {@link #done} refuses keys nobody asked for, so a misspelt key is an error
 * naming the plug-in and the known keys rather than silently ignored.
 */
public final class SpecParameters {

    private final String kind;
    private final String name;
    private final List<String> known;
    private final Map<String, String> values;

    /**
     * @param kind what the spec chooses, for messages ("policy", "placement")
     * @param name the plug-in's name
     * @param known the keys it takes (for {@link #done(Object)})
     * @param text what follows the colon (may be empty)
     * @throws IllegalArgumentException for a pair that is not {@code key=value}
     */
    public SpecParameters(String kind, String name, List<String> known, String text) {
        this.kind = kind;
        this.name = name;
        this.known = List.copyOf(known);
        this.values = pairs(kind, name, text);
    }

    /**
     * The {@code key=value} pairs of {@code text}, in order. A key given twice is an error: which of {@code w1=1,w1=2}
     * was meant cannot be known, and keeping either silently hides a typo.
     *
     * @throws IllegalArgumentException naming {@code kind name} for a pair that is not {@code key=value}, or a key
     *     given more than once
     */
    public static Map<String, String> pairs(String kind, String name, String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(kind + " " + name + ": expected key=value, got '" + pair.trim() + "'");
            }
            String key = pair.substring(0, equals).trim();
            String value = pair.substring(equals + 1).trim();
            String earlier = values.putIfAbsent(key, value);
            if (earlier != null) {
                throw new IllegalArgumentException(kind + " " + name + ": parameter '" + key + "' is given twice ("
                        + key + "=" + earlier + ", " + key + "=" + value + "); give it once");
            }
        }
        return values;
    }

    /** The plug-in's name. */
    public String name() {
        return name;
    }

    /** The text of {@code key}, or {@code fallback} when absent. */
    public String text(String key, String fallback) {
        String value = values.remove(key);
        return value == null ? fallback : value;
    }

    /** The number of {@code key} (finite, >= 0), or {@code fallback} when absent. */
    public double number(String key, double fallback) {
        String value = values.remove(key);
        if (value == null) {
            return fallback;
        }
        try {
            double number = Double.parseDouble(value);
            if (number < 0 || !Double.isFinite(number)) {
                throw new NumberFormatException();
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(kind + " " + name + ": " + key + " must be a number >= 0, got '" + value + "'");
        }
    }

    /** {@code built}, once every parameter given was read; else an error naming the unknown ones and the known keys. */
    public <T> T done(T built) {
        return done(built, known.toArray(String[]::new));
    }

    /** As {@link #done(Object)}, with the known keys given here. */
    public <T> T done(T built, String... knownKeys) {
        if (!values.isEmpty()) {
            throw new IllegalArgumentException(kind + " " + name + ": unknown parameter(s) " + values.keySet()
                    + (knownKeys.length == 0 ? "; it takes none" : "; known: " + String.join(", ", knownKeys)));
        }
        return built;
    }
}
