package dev.maze.core.workflow;

import java.util.Locale;

/**
 * Strict priority between workflows: every ready task of a higher class is ordered before any task of a
 * lower class; the ordering policy decides within a class.
 */
public enum PriorityClass {
    HIGH,
    NORMAL,
    LOW;

    /** Lower-case name as written in workflow files. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
