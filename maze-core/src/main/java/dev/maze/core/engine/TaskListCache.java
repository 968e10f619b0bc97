package dev.maze.core.engine;

import dev.maze.core.workflow.IdentityCache;
import dev.maze.core.workflow.TaskSpec;
import java.util.List;

/**
 * Facts an engine computes once per immutable task list: its DAG's shape, and that it passed validation. Each engine
 * owns one by default, bounded, so a long-running engine does not grow with the lists it sees; engines that live
 * briefly and see the same lists (the runs of one simulation) may share one through {@link Engine.Builder#taskLists}.
 * Thread-safe.
 */
public final class TaskListCache {

    final IdentityCache<List<TaskSpec>, WorkflowShape> shapes;
    final IdentityCache<List<TaskSpec>, Object> validated;

    /** @param capacity task lists kept, per fact (least recently used evicted) */
    public TaskListCache(int capacity) {
        this.shapes = new IdentityCache<>(capacity);
        this.validated = new IdentityCache<>(capacity);
    }
}
