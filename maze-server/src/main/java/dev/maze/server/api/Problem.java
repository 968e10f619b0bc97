package dev.maze.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.workflow.ValidationError;
import java.util.List;

/**
 * An RFC 9457 problem document ({@code application/problem+json}): what went wrong, for people ({@code title},
 * {@code detail}) and programs ({@code status}, {@code errors} with each invalid workflow, task, field and reason).
 * Thrown by handlers; the server writes it.
 */
public final class Problem extends RuntimeException {

    /** The media type of a problem document. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private final int status;
    private final String title;
    private final List<ValidationError> errors;

    public Problem(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public Problem(int status, String title, String detail, List<ValidationError> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
    }

    public int status() {
        return status;
    }

    /** The document. */
    public ObjectNode body() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", getMessage());
        if (!errors.isEmpty()) {
            ArrayNode list = body.putArray("errors");
            for (ValidationError error : errors) {
                ObjectNode entry = list.addObject();
                putIfPresent(entry, "workflow", error.workflow());
                putIfPresent(entry, "task", error.task());
                putIfPresent(entry, "field", error.field());
                entry.put("message", error.message());
            }
        }
        return body;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
