package dev.maze.cli;

import picocli.CommandLine;

/**
 * The range a numeric option accepts, checked before anything is allocated or run: a count a user types
 * ({@code --seeds 1000000000}) is refused with exit 2 naming the option and its range, not met minutes later as an
 * {@code OutOfMemoryError} or a run that never ends.
 */
final class OptionRange {

    private OptionRange() {}

    /**
     * Fails with a usage error (exit 2) unless {@code min <= value <= max}.
     *
     * @param option the option as the user types it, e.g. {@code --seeds}
     */
    static void whole(CommandLine.Model.CommandSpec spec, String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    option + " must be from " + min + " to " + max + ", was " + value);
        }
    }

    /** Fails with a usage error (exit 2) unless {@code value} is a number above 0 and at most {@code max}. */
    static void positive(CommandLine.Model.CommandSpec spec, String option, double value, double max, String unit) {
        if (!(value > 0) || !(value <= max)) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be a positive number of " + unit
                    + " up to " + String.format(java.util.Locale.ROOT, "%,d", (long) max) + ", was " + value);
        }
    }
}
