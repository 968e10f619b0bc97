package dev.maze.core.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.exec.ExecutionContext;
import dev.maze.core.exec.Excerpt;
import dev.maze.core.exec.ExecutorSettings;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.exec.TaskExecutorFactory;
import dev.maze.core.exec.TaskInvocation;
import dev.maze.core.exec.TaskResult;
import dev.maze.core.workflow.TaskSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Kind {@code speech}: a transcription, {@code POST <baseUrl>/audio/transcriptions} with the audio file as a multipart
 * upload (OpenAI's shape, which whisper servers and vLLM serve). Inputs: {@code model}, {@code audio} (a local file),
 * {@code language}, {@code prompt}, {@code temperature}, {@code baseUrl}, {@code apiKeyEnv}. Output: {@code text},
 * {@code language} and {@code durationSeconds} when the server says, {@code totalSeconds}, and {@code curr_task_feat}
 * (the file's size and, when the server states it, the audio's duration).
 */
public final class TranscriptionExecutor implements TaskExecutor {

    /** Files above this are refused before upload: servers cap uploads near 25 MB. */
    static final long MAX_AUDIO_BYTES = 512L * 1024 * 1024;
    private static final Set<String> AUDIO_SUFFIXES = Set.of(".wav", ".mp3", ".m4a", ".flac", ".ogg", ".webm", ".mp4", ".mpeg", ".mpga");

    private final Endpoints endpoints;
    private final HttpCall call;

    TranscriptionExecutor(Endpoints endpoints, double maxResponseMb, double connectTimeoutSeconds) {
        this.endpoints = endpoints;
        this.call = new HttpCall(maxResponseMb, connectTimeoutSeconds);
    }

    /** {@code executors.speech}, registered through {@link java.util.ServiceLoader}. */
    public static final class Factory implements TaskExecutorFactory {
        @Override
        public String kind() {
            return "speech";
        }

        @Override
        public TaskExecutor create(ExecutorSettings settings) {
            Endpoints endpoints = Endpoints.fromSettings("speech", settings, System::getenv);
            HttpCall.Limits limits = HttpCall.Limits.read("speech", settings);
            settings.done();
            return new TranscriptionExecutor(endpoints, limits.maxResponseMb(), limits.connectTimeoutSeconds());
        }
    }

    @Override
    public String kind() {
        return "speech";
    }

    /** The inputs' problems, and a call that nothing tells where to go (see {@link Endpoints#missingFor}). */
    @Override
    public List<Problem> check(TaskSpec task) {
        return endpoints.check(task, check(task.inputs()));
    }

    @Override
    public List<Problem> check(JsonNode inputs) {
        Inputs in = new Inputs(inputs);
        in.requiredText("model", "the transcription model, e.g. whisper-large-v3");
        JsonNode audio = inputs.get("audio");
        if (audio == null || !audio.isTextual() || audio.asText().isBlank()) {
            in.problem("audio", "required: the audio file to transcribe");
        } else if (!audio.asText().contains("{{")) {
            String why = audioProblem(Path.of(audio.asText()));
            if (why != null) {
                in.problem("audio", why);
            }
        }
        in.text("language");
        in.text("prompt");
        in.number("temperature", 0, 1);
        in.url("baseUrl");
        in.variableName("apiKeyEnv");
        return in.problems();
    }

    private static String audioProblem(Path file) {
        if (!Files.isRegularFile(file)) {
            return "no such audio file: " + file;
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (AUDIO_SUFFIXES.stream().noneMatch(name::endsWith)) {
            return "not an audio file a transcription server takes (" + String.join(", ", AUDIO_SUFFIXES.stream().sorted().toList())
                    + "): " + file;
        }
        try {
            if (Files.size(file) > MAX_AUDIO_BYTES) {
                return "the audio file is " + Files.size(file) / (1024 * 1024) + " MB, more than the "
                        + MAX_AUDIO_BYTES / (1024 * 1024) + " MB Maze uploads: " + file;
            }
        } catch (IOException e) {
            return "cannot read " + file + ": " + e.getMessage();
        }
        return null;
    }

    @Override
    public Execution start(TaskInvocation invocation, ExecutionContext context) {
        JsonNode inputs = invocation.inputs();
        HttpRequest request;
        Path audio = Path.of(inputs.path("audio").asText());
        long bytes;
        try {
            String why = audioProblem(audio);
            if (why != null) {
                throw new IllegalArgumentException("inputs.audio: " + why);
            }
            bytes = Files.size(audio);
            request = request(inputs, audio, invocation.node());
        } catch (IllegalArgumentException e) {
            context.complete(new TaskResult.Failure(e.getMessage(), false));
            return () -> {};
        } catch (IOException e) {
            context.complete(new TaskResult.Failure("inputs.audio: cannot read " + audio + ": " + e.getMessage(), false));
            return () -> {};
        }
        long sentAt = System.nanoTime();
        String where = HttpCall.describe(request);
        return call.send(request, context.blockingExecutor(), (body, contentType) -> {
            byte[] reply = call.readCapped(body);
            JsonNode parsed = HttpExecutor.output(reply, contentType);
            if (!parsed.has("text")) {
                return new TaskResult.Failure("malformed reply from " + where + ": no text in "
                        + Excerpt.of(new String(reply, StandardCharsets.UTF_8)), true);
            }
            ObjectNode output = JsonNodeFactory.instance.objectNode();
            output.put("text", parsed.get("text").asText());
            ObjectNode features = JsonNodeFactory.instance.objectNode().put("file_bytes", bytes);
            if (parsed.hasNonNull("language")) {
                output.put("language", parsed.get("language").asText());
            }
            if (parsed.path("duration").isNumber()) {
                output.put("durationSeconds", parsed.get("duration").asDouble());
                features.put("audio_duration", parsed.get("duration").asDouble());
            }
            output.put("totalSeconds", (System.nanoTime() - sentAt) / 1e9);
            output.set("curr_task_feat", features);
            return new TaskResult.Success(output);
        }, context::complete);
    }

    private HttpRequest request(JsonNode inputs, Path audio, dev.maze.core.node.NodeSpec node) throws IOException {
        Endpoints.Target target = endpoints.resolve(inputs, node);
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("model", inputs.path("model").asText());
        fields.put("response_format", "verbose_json");
        for (String optional : List.of("language", "prompt", "temperature")) {
            if (inputs.hasNonNull(optional)) {
                fields.put(optional, inputs.get(optional).asText());
            }
        }
        String boundary = "maze-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> field : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.getKey() + "\"\r\n\r\n"
                    + field.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + audio.getFileName().toString().replace("\"", "") + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(Files.readAllBytes(audio));
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target.url("/audio/transcriptions")))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        target.authorize(builder);
        return builder.build();
    }

    @Override
    public void close() {
        call.close();
    }
}
