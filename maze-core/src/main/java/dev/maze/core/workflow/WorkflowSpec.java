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
 * @param submitAtSeconds when the engine accepts it, in seconds of its clock since it was built (a replayed trace:
 *     {@code maze run} of a file written by {@code maze simulate --export-workflows}); null = as soon as submitted.
 *     Submission time, and so latency and deadline, count from then.
 * @param open a dynamic workflow: it stays running, even with no task left to run, until it is closed
 *     ({@code Engine.close(id)}); tasks may be added to it while it runs ({@code Engine.addTasks})
 */
public record WorkflowSpec(String id, String name, PriorityClass priorityClass, Double deadlineSeconds,
        List<TaskSpec> tasks, String source, Double submitAtSeconds, boolean open) {

    /** A workflow accepted as soon as it is submitted. */
    public WorkflowSpec(String id, String name, PriorityClass priorityClass, Double deadlineSeconds, List<TaskSpec> tasks,
            String source) {
        this(id, name, priorityClass, deadlineSeconds, tasks, source, null, false);
    }

    public WorkflowSpec {
        tasks = List.copyOf(tasks);
        if (priorityClass == null) {
            priorityClass = PriorityClass.NORMAL;
        }
    }

    /** The same workflow under another id. */
    public WorkflowSpec withId(String newId) {
        return new WorkflowSpec(newId, name, priorityClass, deadlineSeconds, tasks, source, submitAtSeconds, open);
    }

    /** The same workflow accepted at {@code seconds} on the engine clock. */
    public WorkflowSpec withSubmitAt(Double seconds) {
        return new WorkflowSpec(id, name, priorityClass, deadlineSeconds, tasks, source, seconds, open);
    }

    /** The same workflow with {@code more} tasks after its own. */
    public WorkflowSpec withTasksAdded(List<TaskSpec> more) {
        List<TaskSpec> all = new java.util.ArrayList<>(tasks);
        all.addAll(more);
        return new WorkflowSpec(id, name, priorityClass, deadlineSeconds, all, source, submitAtSeconds, open);
    }

    /** A short label for messages: the id if known, else the name. */
    public String label() {
        return id != null ? id : name;
    }
}
