package dev.maze.explore.run;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in a configuration: {@code 90}, {@code 90s}, {@code 10m}, {@code 1.5h},
 * {@code 1h30m}, {@code 2d} (a bare number is seconds). Anything else is an error naming the field.
 */
public final class DurationText {

    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final Pattern BARE = Pattern.compile("\\d+(?:\\.\\d+)?");
    /** The longest duration accepted: a year. */
    static final double MAX_SECONDS = 366 * 86_400.0;

    private DurationText() {}

    /**
     * Seconds, above 0.
     *
     * @param field what the error names (e.g. {@code explore.yaml: budget.time})
     * @throws IllegalArgumentException for anything that is not a positive duration of at most a year
     */
    public static double seconds(String text, String field) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace(" ", "");
        double seconds;
        if (BARE.matcher(value).matches()) {
            seconds = Double.parseDouble(value);
        } else {
            Matcher part = PART.matcher(value);
            seconds = 0;
            int at = 0;
            while (part.find() && part.start() == at) {
                double amount = Double.parseDouble(part.group(1));
                seconds += switch (part.group(2)) {
                    case "ms" -> amount / 1000;
                    case "s" -> amount;
                    case "m" -> amount * 60;
                    case "h" -> amount * 3600;
                    default -> amount * 86_400;
                };
                at = part.end();
            }
            if (at == 0 || at != value.length()) {
                throw new IllegalArgumentException(field + ": '" + text + "' is not a duration: write seconds (90) or "
                        + "amounts with units ms, s, m, h, d (90s, 10m, 1h30m)");
            }
        }
        if (!(seconds > 0) || seconds > MAX_SECONDS) {
            throw new IllegalArgumentException(field + ": '" + text + "' must be above 0 and at most a year");
        }
        return seconds;
    }

    /** Seconds as the shortest of these forms: {@code 45s}, {@code 12m 5s}, {@code 3h 20m}. */
    public static String format(double seconds) {
        if (Double.isInfinite(seconds)) {
            return "no limit";
        }
        long s = Math.max(0, Math.round(seconds));
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : " " + s % 60 + "s");
        }
        return (s / 3600) + "h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + "m");
    }
}
