package dev.maze.explore.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.maze.core.exec.JavaTask;
import java.nio.file.Files;
import java.nio.file.Path;

/** A Java plug-in proposer (kind java, found by ServiceLoader): writes its idea into the child's workspace. */
public final class TestProposer implements JavaTask {

    @Override
    public String name() {
        return "test-proposer";
    }

    @Override
    public JsonNode run(JsonNode inputs) throws Exception {
        String idea = "idea " + inputs.path("experiment").asText() + " after '" + inputs.path("base").asText() + "'";
        Files.writeString(Path.of(inputs.path("workspace").asText()).resolve("idea.txt"), idea);
        return JsonMapper.builder().build().createObjectNode().put("text", idea);
    }
}
