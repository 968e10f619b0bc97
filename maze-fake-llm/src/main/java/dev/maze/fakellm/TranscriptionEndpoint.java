package dev.maze.fakellm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * {@code POST /v1/audio/transcriptions} (multipart: {@code file}, {@code model}, optional {@code language} and
 * {@code response_format} json|text|verbose_json): deterministic text of {@value #TOKENS_PER_SECOND} tokens (about as
 * many words) per second of audio, after {@code --audio-ms-per-second} × seconds × the batch slowdown.
 */
final class TranscriptionEndpoint {

    static final double TOKENS_PER_SECOND = 2.5;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final ServerState state;

    TranscriptionEndpoint(ServerState state) {
        this.state = state;
    }

    void handle(Context ctx) throws IOException {
        if (!ctx.isMultipartFormData()) {
            throw ApiError.invalid(null, "A transcription request must be multipart/form-data with 'file' and 'model'.");
        }
        UploadedFile file = ctx.uploadedFile("file");
        if (file == null) {
            throw ApiError.invalid("file", "'file' is required: the audio file to transcribe.");
        }
        String modelName = ctx.formParam("model");
        if (modelName == null || modelName.isBlank()) {
            throw ApiError.invalid("model", "'model' is required.");
        }
        String format = Optional.ofNullable(ctx.formParam("response_format")).orElse("json");
        if (!List.of("json", "text", "verbose_json").contains(format)) {
            throw ApiError.invalid("response_format", "'response_format' must be json, text or verbose_json, not '"
                    + format + "'.");
        }
        String language = ctx.formParam("language");
        byte[] audio;
        try (InputStream in = file.content()) {
            audio = in.readAllBytes();
        }
        ServedModel model = state.model(modelName);
        double seconds = AudioDuration.secondsOf(audio);
        SplittableRandom random = new SplittableRandom(CompletionText.seedOf(state.config.seed(), modelName,
                CompletionText.sha256Hex(audio), language));
        String text = CompletionText.words(random, Math.max(1, (int) Math.ceil(seconds * TOKENS_PER_SECOND)));

        Optional<FaultKind> fault = state.accept(model);
        boolean transcribed = state.serve(ctx, model, fault, false, watch -> {
            long work = state.latency.transcriptionNanos(seconds, model.running());
            Pacing.sleepUntil(System.nanoTime() + work);
            ctx.header("x-fake-llm-transcribe-ms", ChatEndpoint.millis(work));
        });
        if (!transcribed) {
            return;
        }
        String body = switch (format) {
            case "text" -> text + "\n";
            case "verbose_json" -> verbose(text, seconds, language).toString();
            default -> json(text, seconds).toString();
        };
        ctx.status(200).contentType(format.equals("text") ? "text/plain; charset=utf-8" : "application/json");
        if (fault.isPresent() && fault.get() == FaultKind.MALFORMED) {
            ctx.result(body.substring(0, body.length() / 2));
        } else {
            ctx.result(body);
            model.served.increment();
        }
    }

    private static ObjectNode json(String text, double seconds) {
        ObjectNode json = JSON.objectNode();
        json.put("text", text);
        json.set("usage", usage(seconds));
        return json;
    }

    /** Whisper's verbose shape: one segment per sentence, its times spread evenly over the audio. */
    private static ObjectNode verbose(String text, double seconds, String language) {
        ObjectNode json = JSON.objectNode();
        json.put("task", "transcribe");
        json.put("language", language == null ? "english" : language);
        json.put("duration", round(seconds));
        json.put("text", text);
        List<String> sentences = new ArrayList<>();
        for (String sentence : text.split("(?<=\\.) ")) {
            sentences.add(sentence);
        }
        ArrayNode segments = JSON.arrayNode();
        double perCharacter = seconds / Math.max(1, text.length());
        double start = 0;
        for (int i = 0; i < sentences.size(); i++) {
            String sentence = sentences.get(i);
            double end = i == sentences.size() - 1 ? seconds : start + perCharacter * (sentence.length() + 1);
            ObjectNode segment = JSON.objectNode();
            segment.put("id", i);
            segment.put("seek", 0);
            segment.put("start", round(start));
            segment.put("end", round(end));
            segment.put("text", " " + sentence);
            ArrayNode tokens = JSON.arrayNode();
            for (int token : TokenCounter.ids(" " + sentence)) {
                tokens.add(token);
            }
            segment.set("tokens", tokens);
            segment.put("temperature", 0.0);
            segment.put("avg_logprob", -0.25);
            segment.put("compression_ratio", 1.2);
            segment.put("no_speech_prob", 0.01);
            segments.add(segment);
            start = end;
        }
        json.set("segments", segments);
        json.set("usage", usage(seconds));
        return json;
    }

    private static ObjectNode usage(double seconds) {
        ObjectNode usage = JSON.objectNode();
        usage.put("type", "duration");
        usage.put("seconds", Math.ceil(seconds));
        return usage;
    }

    private static BigDecimal round(double seconds) {
        return BigDecimal.valueOf(seconds).setScale(3, RoundingMode.HALF_UP);
    }
}
