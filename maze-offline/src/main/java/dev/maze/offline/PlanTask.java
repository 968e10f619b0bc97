package dev.maze.offline;

import java.util.List;

/**
 * One task of the backlog: the request (workflow) it belongs to, the model it calls, its estimated execution time, and
 * the tasks (ids in the same problem) that must end before it starts.
 */
public record PlanTask(String id, String request, String model, double seconds, List<String> after) {

    public PlanTask {
        after = List.copyOf(after);
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("task " + id + ": seconds must be 0 or more, not " + seconds);
        }
    }
}
