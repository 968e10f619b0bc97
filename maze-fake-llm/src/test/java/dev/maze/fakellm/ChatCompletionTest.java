package dev.maze.fakellm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ChatCompletionTest {

    static final Encoding O200K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    static FakeLlmServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = FakeLlmServer.start(FakeLlmConfig.builder().models("qwen3-32b", "qwen2.5-vl-32b").timeScale(0).build());
        http = new Http(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static ObjectNode chat(String model, String... userMessages) {
        ObjectNode body = Http.JSON.createObjectNode();
        body.put("model", model);
        var messages = body.putArray("messages");
        for (String message : userMessages) {
            messages.addObject().put("role", "user").put("content", message);
        }
        return body;
    }

    /** The prompt count of the README's rule, computed here from jtokkit directly. */
    static int promptTokens(String... roleContentPairs) {
        int tokens = 3;
        for (int i = 0; i < roleContentPairs.length; i += 2) {
            tokens += 3 + O200K.countTokensOrdinary(roleContentPairs[i]) + O200K.countTokensOrdinary(roleContentPairs[i + 1]);
        }
        return tokens;
    }

    @Test
    void answersInTheShapeOfAChatCompletion() {
        Http.Response response = http.post("/v1/chat/completions", chat("qwen3-32b", "Hello there"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode completion = response.json();
        assertThat(completion.get("id").asText()).startsWith("chatcmpl-");
        assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.get("model").asText()).isEqualTo("qwen3-32b");
        assertThat(completion.get("created").asLong()).isPositive();
        JsonNode choice = completion.get("choices").get(0);
        assertThat(choice.get("index").asInt()).isZero();
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isNotBlank();
        assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void usageIsTrueToTheO200kTokenizer() {
        ObjectNode body = Http.JSON.createObjectNode().put("model", "qwen3-32b").put("max_tokens", 37);
        body.putArray("messages").add(Http.JSON.createObjectNode().put("role", "system").put("content", "You are terse."))
                .add(Http.JSON.createObjectNode().put("role", "user").put("content", "Summarise the plan in two lines."));
        JsonNode completion = http.post("/v1/chat/completions", body).json();
        String content = completion.at("/choices/0/message/content").asText();
        JsonNode usage = completion.get("usage");
        assertThat(usage.get("prompt_tokens").asInt())
                .isEqualTo(promptTokens("system", "You are terse.", "user", "Summarise the plan in two lines."));
        assertThat(usage.get("completion_tokens").asInt()).isEqualTo(O200K.countTokensOrdinary(content)).isEqualTo(37);
        assertThat(usage.get("total_tokens").asInt())
                .isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
        assertThat(completion.at("/choices/0/finish_reason").asText()).as("cut at max_tokens").isEqualTo("length");
    }

    @Test
    void maxCompletionTokensWinsOverMaxTokens() {
        ObjectNode body = chat("qwen3-32b", "Count").put("max_tokens", 50).put("max_completion_tokens", 12);
        assertThat(http.post("/v1/chat/completions", body).json().at("/usage/completion_tokens").asInt()).isEqualTo(12);
    }

    @Test
    void withoutMaxTokensTheLengthIsTwentyToTwoHundredTokensAndTheModelStops() {
        for (int i = 0; i < 20; i++) {
            JsonNode completion = http.post("/v1/chat/completions", chat("qwen3-32b", "Question number " + i)).json();
            assertThat(completion.at("/usage/completion_tokens").asInt()).isBetween(20, 200);
            assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        }
    }

    @Test
    void theTextIsAFunctionOfSeedModelAndPrompt() {
        String first = content(chat("qwen3-32b", "Plan a trip"));
        assertThat(content(chat("qwen3-32b", "Plan a trip"))).as("same request").isEqualTo(first);
        assertThat(content(chat("qwen2.5-vl-32b", "Plan a trip"))).as("other model").isNotEqualTo(first);
        assertThat(content(chat("qwen3-32b", "Plan a trip!"))).as("other prompt").isNotEqualTo(first);
        String seeded = content(chat("qwen3-32b", "Plan a trip").put("seed", 7));
        assertThat(seeded).as("a request seed").isNotEqualTo(first);
        assertThat(content(chat("qwen3-32b", "Plan a trip").put("seed", 7))).as("the same request seed")
                .isEqualTo(seeded);
        assertThat(content(chat("qwen3-32b", "Plan a trip").put("seed", 0))).as("seed 0 is the server's default")
                .isEqualTo(first);
        try (FakeLlmServer other = FakeLlmServer.start(server.config().toBuilder().seed(5).build())) {
            Http otherHttp = new Http(other);
            String otherText = otherHttp.post("/v1/chat/completions", chat("qwen3-32b", "Plan a trip")).json()
                    .at("/choices/0/message/content").asText();
            assertThat(otherText).as("another --seed").isNotEqualTo(first);
            assertThat(otherText).as("--seed 5 is request seed 5")
                    .isEqualTo(content(chat("qwen3-32b", "Plan a trip").put("seed", 5)));
        }
    }

    @Test
    void stopSequencesCutTheTextBeforeTheirFirstOccurrence() {
        ObjectNode body = chat("qwen3-32b", "Tell a story").put("max_tokens", 60);
        String text = content(body);
        String[] words = text.split(" ");
        String stop = " " + words[words.length / 2];
        int cut = text.indexOf(stop);
        body.putArray("stop").add("never-in-the-vocabulary").add(stop);
        JsonNode completion = http.post("/v1/chat/completions", body).json();
        String content = completion.at("/choices/0/message/content").asText();
        assertThat(content).isEqualTo(text.substring(0, cut));
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(completion.at("/usage/completion_tokens").asInt()).isEqualTo(O200K.countTokensOrdinary(content));
        body.put("stop", stop);
        assertThat(content(body)).as("stop as one string").isEqualTo(content);
    }

    @Test
    void anUnknownModelIsA404InOpenAisErrorShape() {
        Http.Response response = http.post("/v1/chat/completions", chat("gpt-9", "Hi"));
        assertThat(response.status()).isEqualTo(404);
        JsonNode error = response.json().get("error");
        assertThat(error.get("message").asText()).contains("gpt-9").contains("qwen3-32b");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("code").asText()).isEqualTo("model_not_found");
        assertThat(http.get("/v1/models/gpt-9").status()).isEqualTo(404);
    }

    @Test
    void malformedJsonAndInvalidFieldsAre400s() {
        Http.Response broken = http.post("/v1/chat/completions", "{\"model\": \"qwen3-32b\", \"messages\": [");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(broken.json().at("/error/code").asText()).isEqualTo("invalid_json");
        assertThat(broken.json().at("/error/message").asText()).contains("parse");

        assertThat(http.post("/v1/chat/completions", "").json().at("/error/message").asText()).contains("empty");
        assertThat(http.post("/v1/chat/completions", "[1]").status()).isEqualTo(400);
        assertError(Http.JSON.createObjectNode().put("model", "qwen3-32b"), "messages");
        assertError(chat("qwen3-32b", "x").put("max_tokens", 0), "max_tokens");
        assertError(chat("qwen3-32b", "x").put("n", 2), "n");
        assertError(chat("qwen3-32b", "x").put("stream", "yes"), "stream");
        assertError(chat("qwen3-32b", "x").put("seed", 1.5), "seed");
        ObjectNode badRole = chat("qwen3-32b", "x");
        ((ObjectNode) badRole.get("messages").get(0)).put("role", "robot");
        assertError(badRole, "messages[0].role");
        ObjectNode badPart = chat("qwen3-32b");
        badPart.withArray("messages").addObject().put("role", "user").putArray("content").addObject().put("type", "video");
        assertError(badPart, "messages[0].content[0].type");
    }

    @Test
    void aPromptAndMaxTokensBeyondTheContextWindowAre400s() {
        try (FakeLlmServer small = FakeLlmServer.start(server.config().toBuilder().contextTokens(100).build())) {
            Http smallHttp = new Http(small);
            Http.Response response = smallHttp.post("/v1/chat/completions", chat("qwen3-32b", "Hi").put("max_tokens", 95));
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.json().at("/error/code").asText()).isEqualTo("context_length_exceeded");
            assertThat(response.json().at("/error/message").asText()).contains("maximum context length is 100 tokens");
            assertThat(smallHttp.post("/v1/chat/completions", chat("qwen3-32b", "Hi")).json()
                    .at("/usage/completion_tokens").asInt()).as("without max_tokens it fits the rest").isLessThanOrEqualTo(100 - 12);
        }
    }

    @Test
    void listsTheServedModels() {
        JsonNode list = http.get("/v1/models").json();
        assertThat(list.get("object").asText()).isEqualTo("list");
        assertThat(list.get("data")).extracting(model -> model.get("id").asText())
                .containsExactly("qwen3-32b", "qwen2.5-vl-32b");
        assertThat(list.get("data")).allSatisfy(model -> {
            assertThat(model.get("object").asText()).isEqualTo("model");
            assertThat(model.get("owned_by").asText()).isEqualTo("maze-fake-llm");
        });
        assertThat(http.get("/v1/models/qwen3-32b").json().get("id").asText()).isEqualTo("qwen3-32b");
        Http.Response missing = http.get("/v1/nothing");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().at("/error/message").asText()).contains("/v1/nothing");
    }

    static String content(ObjectNode body) {
        Http.Response response = http.post("/v1/chat/completions", body);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().at("/choices/0/message/content").asText();
    }

    private static void assertError(ObjectNode body, String param) {
        Http.Response response = http.post("/v1/chat/completions", body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().at("/error/param").asText()).isEqualTo(param);
        assertThat(response.json().at("/error/message").asText()).isNotBlank();
    }
}
