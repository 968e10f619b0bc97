package dev.maze.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputTemplatesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    /** The context the engine builds: finished tasks' outputs under {@code tasks.<id>.output}, plus the workflow. */
    private static Map<String, Object> context(String outputsJson) throws Exception {
        Map<String, Object> tasks = new java.util.HashMap<>();
        json(outputsJson).fields().forEachRemaining(entry ->
                tasks.put(entry.getKey(), Map.of("output", InputTemplates.toTemplateValue(entry.getValue()))));
        return Map.of("tasks", tasks, "workflow", Map.of("id", "rag-7", "name", "rag"));
    }

    @Test
    void rendersAPredecessorsOutput() throws Exception {
        JsonNode rendered = InputTemplates.render(
                json("{\"prompt\": \"Summarise: {{tasks.search.output.text}}\"}"),
                context("{\"search\": {\"text\": \"three results\"}}"));

        assertThat(rendered).isEqualTo(json("{\"prompt\": \"Summarise: three results\"}"));
    }

    @Test
    void rendersTemplatesAtAnyDepthAndLeavesOtherValuesAlone() throws Exception {
        JsonNode inputs = json("""
                {"command": ["echo", "{{tasks.a.output.text}}"],
                 "messages": [{"role": "user", "content": "{{workflow.name}}/{{workflow.id}}: {{tasks.a.output.text}}"}],
                 "seconds": 2, "flag": true, "plain": "no template here", "nothing": null}
                """);

        JsonNode rendered = InputTemplates.render(inputs, context("{\"a\": {\"text\": \"hi\"}}"));

        assertThat(rendered).isEqualTo(json("""
                {"command": ["echo", "hi"],
                 "messages": [{"role": "user", "content": "rag/rag-7: hi"}],
                 "seconds": 2, "flag": true, "plain": "no template here", "nothing": null}
                """));
        assertThat(inputs.get("command").get(1).asText()).as("the input tree is not changed")
                .isEqualTo("{{tasks.a.output.text}}");
    }

    @Test
    void objectsAndListsRenderAsJson() throws Exception {
        JsonNode rendered = InputTemplates.render(
                json("{\"all\": \"{{tasks.a.output}}\", \"items\": \"{{tasks.a.output.items}}\", "
                        + "\"n\": \"{{tasks.a.output.n}}\", \"ok\": \"{{tasks.a.output.ok}}\"}"),
                context("{\"a\": {\"items\": [1, \"two\", {\"k\": true}], \"n\": 2.5, \"ok\": false}}"));

        assertThat(rendered.get("items").asText()).isEqualTo("[1,\"two\",{\"k\":true}]");
        assertThat(json(rendered.get("all").asText()))
                .isEqualTo(json("{\"items\": [1, \"two\", {\"k\": true}], \"n\": 2.5, \"ok\": false}"));
        assertThat(rendered.get("n").asText()).isEqualTo("2.5");
        assertThat(rendered.get("ok").asText()).isEqualTo("false");
        assertThat(rendered.get("items").isTextual()).as("a template always yields a string").isTrue();
    }

    @Test
    void noHtmlEscaping() throws Exception {
        JsonNode rendered = InputTemplates.render(json("{\"html\": \"{{tasks.a.output.text}}\"}"),
                context("{\"a\": {\"text\": \"<b>&\\\"quoted\\\" 'single'</b>\"}}"));

        assertThat(rendered.get("html").asText()).isEqualTo("<b>&\"quoted\" 'single'</b>");
    }

    @Test
    void sectionsIterateOverLists() throws Exception {
        JsonNode rendered = InputTemplates.render(
                json("{\"list\": \"{{#tasks.a.output.docs}}[{{title}}]{{/tasks.a.output.docs}}\", "
                        + "\"none\": \"{{^tasks.a.output.empty}}no results{{/tasks.a.output.empty}}\"}"),
                context("{\"a\": {\"docs\": [{\"title\": \"x\"}, {\"title\": \"y\"}], \"empty\": []}}"));

        assertThat(rendered).isEqualTo(json("{\"list\": \"[x][y]\", \"none\": \"no results\"}"));
    }

    @Test
    void aSectionOverAMissingNameIsEmptyNotAnError() throws Exception {
        JsonNode rendered = InputTemplates.render(
                json("{\"p\": \"[{{#tasks.a.output.gone}}x{{/tasks.a.output.gone}}]\", "
                        + "\"q\": \"{{^tasks.a.output.gone}}fallback{{/tasks.a.output.gone}}\"}"),
                context("{\"a\": {\"text\": \"hi\"}}"));

        assertThat(rendered).isEqualTo(json("{\"p\": \"[]\", \"q\": \"fallback\"}"));
    }

    @Test
    void missingVariableIsAnErrorNamingTheInputPath() throws Exception {
        JsonNode inputs = json("{\"messages\": [{\"content\": \"{{tasks.a.output.missing}}\"}]}");

        assertThatThrownBy(() -> InputTemplates.render(inputs, context("{\"a\": {\"text\": \"hi\"}}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("inputs.messages[0].content: ")
                .hasMessageContaining("tasks.a.output.missing");
    }

    @Test
    void outputOfATaskThatHasNotFinishedIsMissing() throws Exception {
        assertThatThrownBy(() -> InputTemplates.render(json("{\"p\": \"{{tasks.b.output.text}}\"}"),
                        context("{\"a\": {\"text\": \"hi\"}}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("inputs.p: ")
                .hasMessageContaining("tasks.b.output.text");
    }

    @Test
    void aNullValueCountsAsMissing() throws Exception {
        assertThatThrownBy(() -> InputTemplates.render(json("{\"p\": \"{{tasks.a.output.text}}\"}"),
                        context("{\"a\": {\"text\": null}}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("inputs.p: ");
    }

    @Test
    void malformedTemplateNamesThePath() {
        assertThatThrownBy(() -> InputTemplates.references(json("{\"a\": {\"b\": \"{{#open}} unclosed\"}}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("inputs.a.b: malformed template: ");
    }

    @Test
    void partialsAreRejectedNamingThePath() throws Exception {
        JsonNode inputs = json("{\"prompts\": [\"{{> header}} then {{tasks.a.output.text}}\"]}");

        assertThatThrownBy(() -> InputTemplates.references(inputs))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("inputs.prompts[0]: partials ({{> name}}) are not supported in inputs, found {{> header}}");
        // Rendering one fails like any other unresolvable template, never with an unchecked surprise: the
        // engine loop only expects IllegalArgumentException from render.
        assertThatThrownBy(() -> InputTemplates.render(inputs, context("{\"a\": {\"text\": \"hi\"}}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("inputs.prompts[0]: ")
                .hasMessageContaining("partials ({{> name}}) are not supported");
    }

    @Test
    void referencesListEveryVariableWithItsJsonPath() throws Exception {
        List<InputTemplates.Reference> references = InputTemplates.references(json("""
                {"prompt": "{{tasks.search.output.text}} for {{workflow.name}}",
                 "messages": [{"content": "{{#tasks.rank.output.docs}}{{title}}{{/tasks.rank.output.docs}}"}],
                 "seconds": 3, "plain": "text"}
                """));

        assertThat(references).containsExactly(
                new InputTemplates.Reference("inputs.prompt", "tasks.search.output.text"),
                new InputTemplates.Reference("inputs.prompt", "workflow.name"),
                new InputTemplates.Reference("inputs.messages[0].content", "tasks.rank.output.docs"),
                new InputTemplates.Reference("inputs.messages[0].content", "title"));
        assertThat(references).extracting(InputTemplates.Reference::taskId)
                .containsExactly("search", null, "rank", null);
    }

    @Test
    void referencedTasksAreListedOnceInOrderOfAppearance() throws Exception {
        assertThat(InputTemplates.referencedTasks(json("""
                {"a": "{{tasks.z.output}} {{tasks.a.output.x}}", "b": ["{{tasks.z.output.y}}", "{{tasks.m}}"]}
                """))).containsExactly("z", "a", "m");
    }

    @Test
    void referenceTaskIdOfAWholeTaskAndOfOtherVariables() {
        assertThat(new InputTemplates.Reference("inputs.x", "tasks.a").taskId()).isEqualTo("a");
        assertThat(new InputTemplates.Reference("inputs.x", "tasks.a.output.text").taskId()).isEqualTo("a");
        assertThat(new InputTemplates.Reference("inputs.x", "tasks").taskId()).isNull();
        assertThat(new InputTemplates.Reference("inputs.x", "workflow.id").taskId()).isNull();
    }
}
