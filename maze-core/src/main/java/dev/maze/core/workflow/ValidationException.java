package dev.maze.core.workflow;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when input is invalid; carries every problem found, not just the first. */
public class ValidationException extends Exception {

    private final List<ValidationError> errors;

    public ValidationException(List<ValidationError> errors) {
        super(errors.stream().map(ValidationError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    /** All problems, in the order found. */
    public List<ValidationError> errors() {
        return errors;
    }
}
