package dev.maze.fakellm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ImagesAndAudioTest {

    static FakeLlmServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = FakeLlmServer.start(FakeLlmConfig.builder().models("qwen2.5-vl-32b", "whisper-large-v3")
                .timeScale(0.01).audioMillisPerSecond(100).build());
        http = new Http(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Http.Response withImage(String url, String detail) {
        ObjectNode body = Http.JSON.createObjectNode().put("model", "qwen2.5-vl-32b").put("max_tokens", 5);
        ArrayNode content = body.putArray("messages").addObject().put("role", "user").putArray("content");
        content.addObject().put("type", "text").put("text", "What is in the picture?");
        ObjectNode image = content.addObject().put("type", "image_url").putObject("image_url").put("url", url);
        if (detail != null) {
            image.put("detail", detail);
        }
        return http.post("/v1/chat/completions", body);
    }

    static int imageTokens(String url, String detail) {
        Http.Response response = withImage(url, detail);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().at("/usage/prompt_tokens").asInt()
                - ChatCompletionTest.promptTokens("user", "What is in the picture?");
    }

    @Test
    void anImagesTokensFollowItsPixelSizeByOpenAisTileRule() {
        assertThat(imageTokens(Media.pngDataUrl(512, 512), null)).as("one tile").isEqualTo(85 + 170);
        assertThat(imageTokens(Media.pngDataUrl(1024, 1024), "high")).as("768 x 768: four tiles").isEqualTo(765);
        assertThat(imageTokens(Media.pngDataUrl(1024, 2048), "auto")).as("768 x 1536: six tiles").isEqualTo(1105);
        assertThat(imageTokens(Media.pngDataUrl(100, 30), null)).isEqualTo(255);
        assertThat(imageTokens(Media.pngDataUrl(1024, 2048), "low")).isEqualTo(85);
        assertThat(imageTokens("https://example.com/cat.png", null)).as("not fetched: taken as 1024 x 1024").isEqualTo(765);
        assertThat(imageTokens("data:image/webp;base64,UklGRiQAAABXRUJQVlA4IBgAAAAwAQCdASoBAAEAAwA0JaQAA3AA/vuUAAA=",
                null)).as("WebP, which the JDK cannot read").isEqualTo(765);
    }

    @Test
    void aDataUrlThatIsNotABase64ImageIsA400() {
        Http.Response notBase64 = withImage("data:image/png;base64,!!!", null);
        assertThat(notBase64.status()).isEqualTo(400);
        assertThat(notBase64.json().at("/error/param").asText()).isEqualTo("messages[0].content[1].image_url.url");
        assertThat(withImage("data:image/png;base64,aGVsbG8gd29ybGQ=", null).json().at("/error/message").asText())
                .contains("no image");
        assertThat(withImage(Media.pngDataUrl(8, 8), "ultra").status()).isEqualTo(400);
    }

    static Http.Response transcribe(Map<String, Object> fields) {
        Media.Multipart multipart = Media.multipart(fields);
        return http.send(HttpRequest.newBuilder(server.baseUrl().resolve("/v1/audio/transcriptions"))
                .header("Content-Type", multipart.contentType()).POST(multipart.publisher()).build());
    }

    static Map<String, Object> fields(Object... keyValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            fields.put((String) keyValues[i], keyValues[i + 1]);
        }
        return fields;
    }

    @Test
    void transcribesAWavFileWithItsDurationFromTheHeaderAndALatencyProportionalToIt() {
        byte[] audio = Media.wav(4.0, 16_000);
        Http.Response response = transcribe(fields("file", audio, "model", "whisper-large-v3",
                "response_format", "verbose_json", "language", "fr"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode verbose = response.json();
        assertThat(verbose.get("duration").asDouble()).isEqualTo(4.0);
        assertThat(verbose.get("language").asText()).isEqualTo("fr");
        assertThat(verbose.get("text").asText().split("[ .]+")).hasSizeBetween(8, 12);
        assertThat(verbose.get("segments")).isNotEmpty().allSatisfy(segment -> {
            assertThat(segment.get("end").asDouble()).isGreaterThan(segment.get("start").asDouble());
            assertThat(segment.get("tokens")).isNotEmpty();
        });
        assertThat(verbose.get("segments").get(verbose.get("segments").size() - 1).get("end").asDouble()).isEqualTo(4.0);
        assertThat(response.headerMillis("x-fake-llm-transcribe-ms")).as("100 ms per audio second x 0.01")
                .isCloseTo(4.0, within(1e-6));

        JsonNode json = transcribe(fields("file", audio, "model", "whisper-large-v3")).json();
        assertThat(json.get("text").asText()).as("deterministic").isEqualTo(
                transcribe(fields("file", audio, "model", "whisper-large-v3")).json().get("text").asText());
        assertThat(json.get("text").asText()).as("the language is part of the seed").isNotEqualTo(
                verbose.get("text").asText());
        assertThat(json.at("/usage/type").asText()).isEqualTo("duration");
        assertThat(json.at("/usage/seconds").asDouble()).isEqualTo(4.0);

        Http.Response text = transcribe(fields("file", audio, "model", "whisper-large-v3", "response_format", "text"));
        assertThat(text.headers().firstValue("content-type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(text.body()).isEqualTo(json.get("text").asText() + "\n");
    }

    @Test
    void anotherFileTakesItsDurationFromItsSizeAt128KilobitsPerSecond() {
        byte[] mp3ish = new byte[64_000];
        mp3ish[0] = 'I';
        JsonNode verbose = transcribe(fields("file", mp3ish, "model", "whisper-large-v3",
                "response_format", "verbose_json")).json();
        assertThat(verbose.get("duration").asDouble()).isEqualTo(4.0);
    }

    @Test
    void aTranscriptionWithoutFileOrModelOrForAnUnknownModelIsRefused() {
        assertThat(transcribe(fields("model", "whisper-large-v3")).json().at("/error/param").asText()).isEqualTo("file");
        assertThat(transcribe(fields("file", Media.wav(1, 8000))).json().at("/error/param").asText()).isEqualTo("model");
        assertThat(transcribe(fields("file", Media.wav(1, 8000), "model", "whisper-1")).status()).isEqualTo(404);
        assertThat(transcribe(fields("file", Media.wav(1, 8000), "model", "whisper-large-v3", "response_format", "srt"))
                .json().at("/error/param").asText()).isEqualTo("response_format");
        assertThat(http.post("/v1/audio/transcriptions", "{}").status()).isEqualTo(400);
    }
}
