package dev.maze.fakellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIException;
import com.openai.errors.RateLimitException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.audio.AudioResponseFormat;
import com.openai.models.audio.transcriptions.Transcription;
import com.openai.models.audio.transcriptions.TranscriptionCreateParams;
import com.openai.models.audio.transcriptions.TranscriptionVerbose;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official OpenAI Java SDK parses every answer, streamed chunks included, and validates each object it gets. */
class OpenAiSdkTest {

    static FakeLlmServer server;
    static OpenAIClient client;

    @BeforeAll
    static void start() {
        server = FakeLlmServer.start(FakeLlmConfig.builder().models("qwen3-32b", "qwen2.5-vl-32b", "whisper-large-v3")
                .timeScale(0).build());
        client = clientOf(server);
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    static OpenAIClient clientOf(FakeLlmServer server) {
        return OpenAIOkHttpClient.builder().baseUrl(server.baseUrl().toString()).apiKey("not-checked").maxRetries(0)
                .build();
    }

    static ChatCompletionCreateParams.Builder chat(String prompt) {
        return ChatCompletionCreateParams.builder().model("qwen3-32b").addUserMessage(prompt);
    }

    static final FunctionDefinition WEATHER = FunctionDefinition.builder().name("get_weather")
            .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                    .putAdditionalProperty("properties", JsonValue.from(Map.of(
                            "city", Map.of("type", "string"), "days", Map.of("type", "integer", "minimum", 1))))
                    .putAdditionalProperty("required", JsonValue.from(List.of("city", "days"))).build())
            .build();

    @Test
    void aChatCompletion() {
        ChatCompletion completion = client.chat().completions().create(chat("Hello").maxCompletionTokens(25).build())
                .validate();
        assertThat(completion.choices()).hasSize(1);
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.message().content()).hasValueSatisfying(text -> assertThat(text).isNotBlank());
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        CompletionUsage usage = completion.usage().orElseThrow();
        assertThat(usage.completionTokens()).isEqualTo(25);
        assertThat(usage.promptTokens()).isEqualTo(ChatCompletionTest.promptTokens("user", "Hello"));
        assertThat(completion.model()).isEqualTo("qwen3-32b");
    }

    @Test
    void streamingChunksEveryDeltaAndTheUsage() {
        String whole = client.chat().completions().create(chat("Stream it").build()).choices().get(0).message().content()
                .orElseThrow();
        ChatCompletionCreateParams params = chat("Stream it").streamOptions(ChatCompletionStreamOptions.builder()
                .includeUsage(true).build()).build();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunks.add(chunk.validate()));
        }
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();
        for (ChatCompletionChunk chunk : chunks) {
            for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                choice.delta().content().ifPresent(text::append);
                choice.finishReason().ifPresent(finishes::add);
            }
        }
        assertThat(text.toString()).isEqualTo(whole);
        assertThat(finishes).containsExactly(ChatCompletionChunk.Choice.FinishReason.STOP);
        assertThat(chunks.get(0).choices().get(0).delta().role()).hasValue(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage()).hasValueSatisfying(usage -> assertThat(usage.completionTokens())
                .isEqualTo(ChatCompletionTest.O200K.countTokensOrdinary(whole)));
    }

    @Test
    void toolCallsPlainAndStreamed() throws IOException {
        ChatCompletionCreateParams params = chat("Weather in Rome?").addFunctionTool(WEATHER).build();
        ChatCompletion completion = client.chat().completions().create(params).validate();
        assertThat(completion.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = completion.choices().get(0).message().toolCalls().orElseThrow()
                .get(0).asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        JsonNode arguments = Http.JSON.readTree(call.function().arguments());
        assertThat(arguments.get("city").isTextual()).isTrue();
        assertThat(arguments.get("days").asInt()).isGreaterThanOrEqualTo(1);

        StringBuilder streamedArguments = new StringBuilder();
        List<String> names = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().map(ChatCompletionChunk::validate).flatMap(chunk -> chunk.choices().stream())
                    .flatMap(choice -> choice.delta().toolCalls().stream().flatMap(List::stream))
                    .forEach(toolCall -> toolCall.function().ifPresent(function -> {
                        function.name().ifPresent(names::add);
                        function.arguments().ifPresent(streamedArguments::append);
                    }));
        }
        assertThat(names).containsExactly("get_weather");
        assertThat(streamedArguments.toString()).isEqualTo(call.function().arguments());

        ChatCompletionCreateParams named = chat("Weather?").addFunctionTool(WEATHER)
                .addFunctionTool(FunctionDefinition.builder().name("noop").build())
                .toolChoice(ChatCompletionNamedToolChoice.builder()
                        .function(ChatCompletionNamedToolChoice.Function.builder().name("noop").build()).build())
                .build();
        assertThat(client.chat().completions().create(named).choices().get(0).message().toolCalls().orElseThrow().get(0)
                .asFunction().function().arguments()).isEqualTo("{}");
    }

    @Test
    void jsonModeAndJsonSchema() throws IOException {
        String object = client.chat().completions().create(chat("JSON please")
                .responseFormat(ResponseFormatJsonObject.builder().build()).build()).choices().get(0).message().content()
                .orElseThrow();
        assertThat(Http.JSON.readTree(object).isObject()).isTrue();

        Map<String, Object> schema = Map.of("type", "object", "additionalProperties", false,
                "properties", Map.of("name", Map.of("type", "string"), "age", Map.of("type", "integer", "minimum", 0)),
                "required", List.of("name", "age"));
        ResponseFormatJsonSchema format = ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema
                .builder().name("person").strict(true).schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                        .additionalProperties(Map.of("type", JsonValue.from("object"), "additionalProperties",
                                JsonValue.from(false), "properties", JsonValue.from(schema.get("properties")),
                                "required", JsonValue.from(schema.get("required")))).build()).build()).build();
        String person = client.chat().completions().create(chat("A person").responseFormat(format).build()).choices()
                .get(0).message().content().orElseThrow();
        assertThat(SchemaCheck.problems(Http.JSON.valueToTree(schema), Http.JSON.readTree(person))).isEmpty();
    }

    @Test
    void anImageAsADataUrl() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("qwen2.5-vl-32b")
                .addUserMessageOfArrayOfContentParts(List.of(
                        ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder().text("What is it?").build()),
                        ChatCompletionContentPart.ofImageUrl(ChatCompletionContentPartImage.builder()
                                .imageUrl(ChatCompletionContentPartImage.ImageUrl.builder()
                                        .url(Media.pngDataUrl(1024, 1024)).build()).build())))
                .build();
        assertThat(client.chat().completions().create(params).validate().usage().orElseThrow().promptTokens())
                .isEqualTo(ChatCompletionTest.promptTokens("user", "What is it?") + 765);
    }

    @Test
    void transcriptionsAsJsonAndVerboseJson(@TempDir Path temp) throws IOException {
        Path audio = Files.write(temp.resolve("speech.wav"), Media.wav(3.0, 16_000));
        Transcription transcription = client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                .file(audio).model("whisper-large-v3").build()).asTranscription().validate();
        assertThat(transcription.text()).isNotBlank();

        TranscriptionVerbose verbose = client.audio().transcriptions().create(TranscriptionCreateParams.builder()
                .file(audio).model("whisper-large-v3").responseFormat(AudioResponseFormat.VERBOSE_JSON).language("en")
                .build()).asVerbose().validate();
        assertThat(verbose.duration()).isEqualTo(3.0);
        assertThat(verbose.language()).isEqualTo("en");
        assertThat(verbose.segments()).hasValueSatisfying(segments -> assertThat(segments).isNotEmpty());
    }

    @Test
    void errorsReachTheSdkAsItsOwnExceptions() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder().model("gpt-9")
                .addUserMessage("x").build())).isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.getMessage()).contains("gpt-9");
                });
        assertFault("429:1", e -> assertThat(e).isInstanceOfSatisfying(RateLimitException.class,
                rateLimited -> assertThat(rateLimited.headers().values("retry-after")).containsExactly("1")));
        assertFault("500:1", e -> assertThat(e).isInstanceOf(InternalServerException.class));
        assertFault("malformed:1", e -> assertThat(e).isInstanceOf(OpenAIException.class));
    }

    private static void assertFault(String faults, java.util.function.Consumer<Throwable> check) {
        try (FakeLlmServer faulty = FakeLlmServer.start(FakeLlmConfig.builder().models("qwen3-32b")
                .faults(FaultPlan.parse(faults)).timeScale(0).build())) {
            OpenAIClient faultyClient = clientOf(faulty);
            try {
                Function<ChatCompletionCreateParams, ChatCompletion> create = faultyClient.chat().completions()::create;
                assertThatThrownBy(() -> create.apply(chat("x").build()).validate()).satisfies(check::accept);
            } finally {
                faultyClient.close();
            }
        }
    }
}
