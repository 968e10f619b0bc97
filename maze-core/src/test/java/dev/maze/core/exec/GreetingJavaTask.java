package dev.maze.core.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A {@link JavaTask} registered through {@code META-INF/services} in the test resources: greets {@code inputs.name}. */
public final class GreetingJavaTask implements JavaTask {

    @Override
    public String name() {
        return "greet";
    }

    @Override
    public JsonNode run(JsonNode inputs) {
        ObjectNode output = JsonNodeFactory.instance.objectNode();
        output.put("text", "hello " + inputs.path("name").asText());
        output.put("thread", Thread.currentThread().isVirtual() ? "virtual" : "platform");
        return output;
    }
}
