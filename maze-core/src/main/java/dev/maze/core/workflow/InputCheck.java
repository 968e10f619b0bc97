package dev.maze.core.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Checks a task's inputs for one executor kind before anything runs. */
@FunctionalInterface
public interface InputCheck {

    /**
     * Problems with {@code inputs}, empty when they are fine. Values that are templates ({@code {{...}}}) are
     * resolved only at run time and should be accepted here.
     */
    List<Problem> check(JsonNode inputs);

    /**
     * Problems with a task as a whole; by default those of its inputs. A kind whose checks need more of the task than
     * its inputs (the model calls: whether a model endpoint will serve it) overrides this one.
     */
    default List<Problem> check(TaskSpec task) {
        return check(task.inputs());
    }

    /**
     * One problem.
     *
     * @param field the input's path, e.g. {@code inputs.command}
     * @param message what is wrong and what to do
     */
    record Problem(String field, String message) {}

    /** Accepts any inputs. */
    InputCheck ANY = inputs -> List.of();
}
