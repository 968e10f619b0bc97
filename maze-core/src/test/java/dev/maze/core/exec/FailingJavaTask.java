package dev.maze.core.exec;

import com.fasterxml.jackson.databind.JsonNode;

/** A {@link JavaTask} registered through {@code META-INF/services} in the test resources: always throws. */
public final class FailingJavaTask implements JavaTask {

    @Override
    public String name() {
        return "explode";
    }

    @Override
    public JsonNode run(JsonNode inputs) {
        throw new IllegalArgumentException("cannot handle " + inputs.path("name").asText());
    }
}
