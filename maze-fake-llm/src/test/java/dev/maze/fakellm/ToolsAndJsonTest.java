package dev.maze.fakellm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ToolsAndJsonTest {

    static FakeLlmServer server;
    static Http http;

    static final String WEATHER = """
            {"type": "function", "function": {"name": "get_weather", "description": "Weather at a place",
              "parameters": {"type": "object", "properties": {
                "city": {"type": "string"}, "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 1, "maximum": 7}, "hourly": {"type": "boolean"},
                "note": {"type": "string"}},
              "required": ["city", "unit", "days", "hourly"]}}}""";
    static final String SEARCH = """
            {"type": "function", "function": {"name": "search", "parameters": {"type": "object",
              "properties": {"query": {"type": "string"}, "limit": {"type": "number", "minimum": 0, "maximum": 1}}}}}""";

    @BeforeAll
    static void start() {
        server = FakeLlmServer.start(FakeLlmConfig.builder().models("qwen3-32b").timeScale(0).build());
        http = new Http(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ObjectNode withTools(String prompt) throws IOException {
        ObjectNode body = ChatCompletionTest.chat("qwen3-32b", prompt);
        body.putArray("tools").add(Http.JSON.readTree(WEATHER)).add(Http.JSON.readTree(SEARCH));
        return body;
    }

    @Test
    void withToolsTheModelCallsTheFirstWithArgumentsForItsRequiredParameters() throws IOException {
        JsonNode completion = http.post("/v1/chat/completions", withTools("Weather in Paris?")).json();
        JsonNode choice = completion.at("/choices/0");
        assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.at("/message/content").isNull()).isTrue();
        JsonNode call = choice.at("/message/tool_calls/0");
        assertThat(call.get("id").asText()).startsWith("call_");
        assertThat(call.get("type").asText()).isEqualTo("function");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        String argumentsText = call.at("/function/arguments").asText();
        JsonNode arguments = Http.JSON.readTree(argumentsText);
        assertThat(arguments.fieldNames()).toIterable().containsExactly("city", "unit", "days", "hourly");
        assertThat(arguments.get("city").isTextual()).isTrue();
        assertThat(arguments.get("unit").asText()).isIn("celsius", "fahrenheit");
        assertThat(arguments.get("days").isIntegralNumber()).isTrue();
        assertThat(arguments.get("days").asInt()).isBetween(1, 7);
        assertThat(arguments.get("hourly").isBoolean()).isTrue();
        assertThat(completion.at("/usage/completion_tokens").asInt()).isEqualTo(
                ChatCompletionTest.O200K.countTokensOrdinary("get_weather")
                        + ChatCompletionTest.O200K.countTokensOrdinary(argumentsText));
        assertThat(completion.at("/usage/prompt_tokens").asInt()).as("the tools count in the prompt")
                .isGreaterThan(ChatCompletionTest.promptTokens("user", "Weather in Paris?") + 40);
    }

    @Test
    void aNamedToolChoiceCallsThatFunctionWithEveryPropertyWhenNoneIsRequired() throws IOException {
        ObjectNode body = withTools("Find it");
        body.putObject("tool_choice").put("type", "function").putObject("function").put("name", "search");
        JsonNode call = http.post("/v1/chat/completions", body).json().at("/choices/0/message/tool_calls/0");
        assertThat(call.at("/function/name").asText()).isEqualTo("search");
        JsonNode arguments = Http.JSON.readTree(call.at("/function/arguments").asText());
        assertThat(arguments.fieldNames()).toIterable().containsExactly("query", "limit");
        assertThat(arguments.get("limit").asDouble()).isBetween(0.0, 1.0);

        body.with("tool_choice").with("function").put("name", "nope");
        Http.Response unknown = http.post("/v1/chat/completions", body);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().at("/error/param").asText()).isEqualTo("tool_choice");
    }

    @Test
    void afterAToolResultOrWithToolChoiceNoneTheModelAnswersWithText() throws IOException {
        ObjectNode body = withTools("Weather in Paris?");
        JsonNode call = http.post("/v1/chat/completions", body).json().at("/choices/0/message/tool_calls/0");
        ObjectNode assistant = body.withArray("messages").addObject().put("role", "assistant");
        assistant.putNull("content");
        assistant.putArray("tool_calls").add(call);
        body.withArray("messages").addObject().put("role", "tool").put("tool_call_id", call.get("id").asText())
                .put("content", "{\"temperature\": 21}");
        JsonNode answer = http.post("/v1/chat/completions", body).json().at("/choices/0");
        assertThat(answer.get("finish_reason").asText()).isEqualTo("stop");
        assertThat(answer.at("/message/content").asText()).isNotBlank();
        assertThat(answer.at("/message").has("tool_calls")).isFalse();

        ObjectNode none = withTools("Just talk").put("tool_choice", "none");
        assertThat(http.post("/v1/chat/completions", none).json().at("/choices/0/finish_reason").asText())
                .isEqualTo("stop");
    }

    @Test
    void streamedToolCallsCarryTheIdAndNameFirstThenTheArgumentsInPieces() throws IOException {
        ObjectNode body = withTools("Weather in Oslo?");
        JsonNode whole = http.post("/v1/chat/completions", body).json().at("/choices/0/message/tool_calls/0");
        List<JsonNode> chunks = StreamingTest.chunks(http.events("/v1/chat/completions", body.put("stream", true)));
        JsonNode first = chunks.get(0).at("/choices/0/delta/tool_calls/0");
        assertThat(first.get("index").asInt()).isZero();
        assertThat(first.get("id").asText()).isEqualTo(whole.get("id").asText());
        assertThat(first.at("/function/name").asText()).isEqualTo("get_weather");
        String arguments = chunks.stream().map(chunk -> chunk.at("/choices/0/delta/tool_calls/0/function/arguments"))
                .filter(JsonNode::isTextual).map(JsonNode::asText).reduce("", String::concat);
        assertThat(arguments).isEqualTo(whole.at("/function/arguments").asText());
        assertThat(chunks.get(chunks.size() - 1).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    }

    @Test
    void jsonObjectModeAnswersWithAJsonObjectSizedByMaxTokens() throws IOException {
        ObjectNode body = ChatCompletionTest.chat("qwen3-32b", "Answer in JSON").put("max_tokens", 60);
        body.putObject("response_format").put("type", "json_object");
        JsonNode completion = http.post("/v1/chat/completions", body).json();
        JsonNode content = Http.JSON.readTree(completion.at("/choices/0/message/content").asText());
        assertThat(content.isObject()).isTrue();
        assertThat(completion.at("/usage/completion_tokens").asInt()).isBetween(50, 60);
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void jsonSchemaModeAnswersWithAnObjectValidAgainstTheSchema() throws IOException {
        String schema = """
                {"type": "object", "properties": {
                   "title": {"type": "string", "minLength": 3, "maxLength": 40},
                   "score": {"type": "number", "minimum": 0, "maximum": 10},
                   "count": {"type": "integer", "minimum": 5, "maximum": 9, "multipleOf": 2},
                   "status": {"enum": ["open", "closed"]},
                   "when": {"type": "string", "format": "date-time"},
                   "tags": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 4},
                   "owner": {"$ref": "#/$defs/person"},
                   "maybe": {"type": ["null", "boolean"]},
                   "optional": {"type": "string"}},
                 "required": ["title", "score", "count", "status", "when", "tags", "owner", "maybe"],
                 "additionalProperties": false,
                 "$defs": {"person": {"type": "object", "properties": {"name": {"type": "string"},
                   "age": {"type": "integer"}}, "required": ["name", "age"]}}}""";
        ObjectNode body = ChatCompletionTest.chat("qwen3-32b", "Fill the form");
        body.putObject("response_format").put("type", "json_schema").putObject("json_schema").put("name", "form")
                .put("strict", true).set("schema", Http.JSON.readTree(schema));
        for (int seed = 0; seed < 10; seed++) {
            body.put("seed", seed);
            JsonNode completion = http.post("/v1/chat/completions", body).json();
            JsonNode value = Http.JSON.readTree(completion.at("/choices/0/message/content").asText());
            assertThat(SchemaCheck.problems(Http.JSON.readTree(schema), value)).as(value.toString()).isEmpty();
            assertThat(value.has("optional")).isFalse();
            assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        }
    }
}
