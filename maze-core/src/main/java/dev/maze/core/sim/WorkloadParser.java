package dev.maze.core.sim;

import dev.maze.core.workflow.ValidationException;
import java.nio.file.Path;
import java.util.Map;

/** STAND-IN for the real workload parser (being written on another branch); replaced at merge. */
public final class WorkloadParser {

    private WorkloadParser() {}

    /** Reads a workload file, applying {@code overrides} (dotted key = value). */
    public static Workload parseFile(Path file, Map<String, String> overrides) throws ValidationException {
        throw new UnsupportedOperationException("stand-in: the workload parser is not merged yet");
    }
}
