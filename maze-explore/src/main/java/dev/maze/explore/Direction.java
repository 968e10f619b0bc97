package dev.maze.explore;

import java.util.Locale;

/** Which way an exploration's metric improves, stated once for its whole {@link ExperimentDag}. */
public enum Direction {
    /** A higher score is better (accuracy, AUC). */
    HIGHER,
    /** A lower score is better (loss, RMSE, seconds). */
    LOWER;

    /** Whether score {@code a} is strictly better than score {@code b}. */
    public boolean better(double a, double b) {
        return this == HIGHER ? a > b : a < b;
    }

    /** The word used in files and on the command line: {@code higher} or {@code lower}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The direction named {@code higher} or {@code lower} (any case).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Direction of(String label) {
        for (Direction direction : values()) {
            if (direction.label().equalsIgnoreCase(label)) {
                return direction;
            }
        }
        throw new IllegalArgumentException("direction must be 'higher' or 'lower', not '" + label + "'");
    }
}
