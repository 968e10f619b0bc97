package dev.maze.core.workflow;

import java.util.List;

/**
 * A workflow as submitted: a DAG of tasks. Immutable; build one with {@link WorkflowBuilder} or
 * {@link WorkflowParser}, check it with {@link WorkflowValidator}.
 *
 * @param id unique among running workflows; null lets the engine assign one
 * @param name the workflow's type (statistics such as expected run time are kept per name)
 * @param priorityClass {@code high}, {@code normal} (default) or {@code low}
 * @param deadlineSeconds the workflow fails if it has not finished this long after submission; null = none
 * @param tasks the tasks, in the order given
 * @param source where it came from (a file path), for error messages; may be null
 */
public record WorkflowSpec(
        String id, String name, PriorityClass priorityClass, Double deadlineSeconds, List<TaskSpec> tasks, String source) {

    public WorkflowSpec {
        tasks = List.copyOf(tasks);
        if (priorityClass == null) {
            priorityClass = PriorityClass.NORMAL;
        }
    }

    /** The same workflow under another id. */
    public WorkflowSpec withId(String newId) {
        return new WorkflowSpec(newId, name, priorityClass, deadlineSeconds, tasks, source);
    }

    /** A short label for messages: the id if known, else the name. */
    public String label() {
        return id != null ? id : name;
    }
}
