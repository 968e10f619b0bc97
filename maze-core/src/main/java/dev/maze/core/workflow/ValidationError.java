package dev.maze.core.workflow;

/**
 * One problem found in a workflow before anything ran.
 *
 * @param source file (or other origin) of the workflow; may be null
 * @param workflow workflow id or name; may be null when the file itself is broken
 * @param task task id; null for workflow-level problems
 * @param field the offending field (e.g. {@code dependsOn}, {@code resources.cpu}); may be null
 * @param message what is wrong and, where possible, what to do
 */
public record ValidationError(String source, String workflow, String task, String field, String message) {

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (source != null) {
            text.append(source).append(": ");
        }
        if (workflow != null) {
            text.append("workflow '").append(workflow).append("'");
        }
        if (task != null) {
            text.append(text.isEmpty() || text.toString().endsWith(": ") ? "" : ", ").append("task '").append(task).append("'");
        }
        if (field != null) {
            text.append(text.isEmpty() || text.toString().endsWith(": ") ? "" : ", ").append("field '").append(field).append("'");
        }
        if (!text.isEmpty() && !text.toString().endsWith(": ")) {
            text.append(": ");
        }
        return text.append(message).toString();
    }
}
