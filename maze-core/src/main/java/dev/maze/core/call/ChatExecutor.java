package dev.maze.core.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.maze.core.exec.ExecutionContext;
import dev.maze.core.exec.Excerpt;
import dev.maze.core.exec.ExecutorSettings;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.exec.TaskExecutorFactory;
import dev.maze.core.exec.TaskInvocation;
import dev.maze.core.exec.TaskResult;
import dev.maze.core.node.ModelEndpoint;
import dev.maze.core.workflow.TaskSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Kinds {@code llm} and {@code vlm}: an OpenAI-compatible chat completion ({@code POST <baseUrl>/chat/completions}),
 * which vLLM, SGLang, Ollama, llama.cpp, TGI and hosted APIs all serve. {@code vlm} adds images to the user message.
 * Streams by default (server-sent events), so that the time to the first token is measured; a server that answers a
 * streaming request with a plain JSON body is read as such. Inputs, output and failures: docs/workflow-format.md §6.5.
 */
public final class ChatExecutor implements TaskExecutor {

    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "tool", "developer");
    private static final String IMAGE_TYPES = "png, jpeg, gif, webp";

    private final String kind;
    private final Endpoints endpoints;
    private final boolean streamByDefault;
    private final HttpCall call;

    ChatExecutor(String kind, Endpoints endpoints, boolean streamByDefault, double maxResponseMb,
            double connectTimeoutSeconds) {
        this.kind = kind;
        this.endpoints = endpoints;
        this.streamByDefault = streamByDefault;
        this.call = new HttpCall(maxResponseMb, connectTimeoutSeconds);
    }

    private static ChatExecutor create(String kind, ExecutorSettings settings) {
        Endpoints endpoints = Endpoints.fromSettings(kind, settings, System::getenv);
        boolean stream = settings.flag("stream", true);
        HttpCall.Limits limits = HttpCall.Limits.read(kind, settings);
        settings.done();
        return new ChatExecutor(kind, endpoints, stream, limits.maxResponseMb(), limits.connectTimeoutSeconds());
    }

    /** The factory of one chat kind; {@link java.util.ServiceLoader} needs a class per kind with a public constructor. */
    private abstract static class ChatFactory implements TaskExecutorFactory {
        private final String kind;

        ChatFactory(String kind) {
            this.kind = kind;
        }

        @Override
        public String kind() {
            return kind;
        }

        @Override
        public TaskExecutor create(ExecutorSettings settings) {
            return ChatExecutor.create(kind, settings);
        }
    }

    /** {@code executors.llm}, registered through {@link java.util.ServiceLoader}. */
    public static final class LlmFactory extends ChatFactory {
        public LlmFactory() {
            super("llm");
        }
    }

    /** {@code executors.vlm}, registered through {@link java.util.ServiceLoader}. */
    public static final class VlmFactory extends ChatFactory {
        public VlmFactory() {
            super("vlm");
        }
    }

    @Override
    public String kind() {
        return kind;
    }

    // ------------------------------------------------------------------ validation

    /** The inputs' problems, and a call that nothing tells where to go (see {@link Endpoints#missingFor}). */
    @Override
    public List<Problem> check(TaskSpec task) {
        return endpoints.check(task, check(task.inputs()));
    }

    @Override
    public List<Problem> check(JsonNode inputs) {
        Inputs in = new Inputs(inputs);
        in.requiredText("model", "the model to call, e.g. qwen3-32b");
        boolean hasPrompt = inputs.has("prompt");
        boolean hasMessages = inputs.has("messages");
        if (hasPrompt == hasMessages) {
            in.problem(hasPrompt ? "messages" : "prompt", hasPrompt ? "give prompt or messages, not both"
                    : "required: prompt (a string) or messages (a list of {role, content})");
        }
        if (hasPrompt) {
            in.text("prompt");
        }
        if (hasMessages) {
            checkMessages(in, inputs.get("messages"));
        }
        in.text("system");
        in.wholeNumber("maxTokens", 1, 10_000_000);
        in.number("temperature", 0, 2);
        in.number("topP", 0, 1);
        in.wholeNumber("seed", Long.MIN_VALUE, Long.MAX_VALUE);
        in.bool("stream");
        JsonNode stop = inputs.get("stop");
        if (stop != null && !stop.isTextual() && !(stop.isArray() && stop.size() <= 4
                && iterable(stop).stream().allMatch(JsonNode::isTextual))) {
            in.problem("stop", "expected a string or a list of up to 4 strings, found " + Excerpt.of(stop.toString()));
        }
        JsonNode tools = inputs.get("tools");
        if (tools != null && !(tools.isArray() && iterable(tools).stream().allMatch(JsonNode::isObject))) {
            in.problem("tools", "expected a list of tool objects ({type: function, function: {name, parameters}}), found "
                    + Excerpt.of(tools.toString()));
        }
        JsonNode toolChoice = inputs.get("toolChoice");
        if (toolChoice != null && !toolChoice.isTextual() && !toolChoice.isObject()) {
            in.problem("toolChoice", "expected auto, none, required or {type: function, function: {name}}, found "
                    + Excerpt.of(toolChoice.toString()));
        }
        checkResponseFormat(in, inputs.get("responseFormat"));
        JsonNode extra = inputs.get("extraBody");
        if (extra != null && !extra.isObject()) {
            in.problem("extraBody", "expected an object of fields to add to the request, found " + Excerpt.of(extra.toString()));
        }
        in.url("baseUrl");
        in.variableName("apiKeyEnv");
        if (kind.equals("vlm")) {
            checkImages(in, inputs);
        } else if (inputs.has("images") || inputs.has("image")) {
            in.problem(inputs.has("images") ? "images" : "image", "images are for kind vlm; use kind: vlm");
        }
        return in.problems();
    }

    private static void checkMessages(Inputs in, JsonNode messages) {
        if (messages.isTextual() && messages.asText().contains("{{")) {
            return; // a template that renders a list
        }
        if (!messages.isArray() || messages.isEmpty()) {
            in.problem("messages", "expected a non-empty list of {role, content}, found " + Excerpt.of(messages.toString()));
            return;
        }
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            String at = "messages[" + i + "]";
            if (!message.isObject()) {
                in.problem(at, "expected {role, content}, found " + Excerpt.of(message.toString()));
                continue;
            }
            JsonNode role = message.get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                in.problem(at + ".role", "expected one of " + String.join(", ", ROLES.stream().sorted().toList())
                        + ", found " + role);
            }
            if (!message.has("content") && !message.has("tool_calls")) {
                in.problem(at + ".content", "required: the message's text (or a list of content parts)");
            }
        }
    }

    private static void checkResponseFormat(Inputs in, JsonNode format) {
        if (format == null) {
            return;
        }
        if (format.isTextual() && Set.of("text", "json").contains(format.asText())) {
            return;
        }
        String type = format.path("type").asText("");
        if (format.isObject() && (type.equals("text") || type.equals("json_object")
                || type.equals("json_schema") && format.path("json_schema").isObject())) {
            return;
        }
        in.problem("responseFormat", "expected json, text, {type: json_object} or {type: json_schema, json_schema: "
                + "{name, schema}}, found " + Excerpt.of(format.toString()));
    }

    private static void checkImages(Inputs in, JsonNode inputs) {
        List<JsonNode> images = images(inputs);
        if (images.isEmpty()) {
            in.problem("images", "required for kind vlm: an image (a file path or an http(s) URL), or a list of them");
        }
        for (int i = 0; i < images.size(); i++) {
            JsonNode image = images.get(i);
            String at = inputs.has("image") ? "image" : "images[" + i + "]";
            if (!image.isTextual() || image.asText().isBlank()) {
                in.problem(at, "expected a file path or an http(s) URL, found " + Excerpt.of(image.toString()));
            } else if (!image.asText().contains("{{") && !Inputs.isUrl(image.asText()) && !image.asText().startsWith("data:")) {
                String why = imageFileProblem(Path.of(image.asText()));
                if (why != null) {
                    in.problem(at, why);
                }
            }
        }
    }

    private static List<JsonNode> images(JsonNode inputs) {
        if (inputs.has("image")) {
            return List.of(inputs.get("image"));
        }
        JsonNode images = inputs.get("images");
        return images == null ? List.of() : images.isArray() ? iterable(images) : List.of(images);
    }

    private static String imageFileProblem(Path file) {
        if (!Files.isRegularFile(file)) {
            return "no such image file: " + file;
        }
        if (mediaType(file) == null) {
            return "not an image Maze can send (" + IMAGE_TYPES + "): " + file;
        }
        return null;
    }

    // ------------------------------------------------------------------ the call

    @Override
    public Execution start(TaskInvocation invocation, ExecutionContext context) {
        JsonNode inputs = invocation.inputs();
        HttpRequest request;
        boolean stream;
        ObjectNode body;
        try {
            body = body(inputs);
            unloadWhenDone(body, invocation);
            stream = body.path("stream").asBoolean(false);
            request = request(inputs, body, invocation.node());
        } catch (IllegalArgumentException e) {
            context.complete(new TaskResult.Failure(e.getMessage(), false));
            return () -> {};
        }
        long sentAt = System.nanoTime();
        String where = HttpCall.describe(request);
        return call.send(request, context.blockingExecutor(), (response, contentType) -> {
            try {
                ChatReply reply = stream && contentType.toLowerCase(Locale.ROOT).contains("text/event-stream")
                        ? ChatReply.fromStream(response, sentAt, where)
                        : ChatReply.fromBody(call.readCapped(response), sentAt, where);
                return reply.result(body);
            } catch (MalformedReply e) {
                return new TaskResult.Failure(e.getMessage(), true);
            }
        }, context::complete);
    }

    /**
     * When the scheduler drops the call's model once it ends ({@link TaskInvocation#unloadModelAfter}) and the call
     * goes to an on-demand endpoint, asks the server to do the same: {@code keep_alive: 0}, the field Ollama's API and
     * {@code maze fake-llm} read (docs/model-registry.md). A {@code keep_alive} the task sets in {@code extraBody} wins.
     */
    private static void unloadWhenDone(ObjectNode body, TaskInvocation invocation) {
        ModelEndpoint endpoint = invocation.node() == null ? null : invocation.node().endpoint();
        if (invocation.unloadModelAfter() && endpoint != null && !endpoint.alwaysLoaded()
                && !invocation.inputs().hasNonNull("baseUrl") && !body.has("keep_alive")) {
            body.put("keep_alive", 0);
        }
    }

    /** The request body {@code inputs} describe (templates rendered), in the OpenAI chat-completions shape. */
    ObjectNode body(JsonNode inputs) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("model", inputs.path("model").asText());
        ArrayNode messages = body.putArray("messages");
        if (inputs.hasNonNull("system")) {
            messages.addObject().put("role", "system").put("content", inputs.get("system").asText());
        }
        if (inputs.has("prompt")) {
            messages.addObject().put("role", "user").put("content", inputs.get("prompt").asText());
        } else {
            JsonNode given = inputs.get("messages");
            if (given.isTextual()) { // a template rendered a list of messages as JSON
                try {
                    given = HttpExecutor.JSON.readTree(given.asText());
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("inputs.messages: the template rendered text that is not a JSON "
                            + "list of messages: " + Excerpt.of(given.asText()));
                }
            }
            for (JsonNode message : given) {
                messages.add(message.deepCopy());
            }
        }
        if (kind.equals("vlm")) {
            addImages(messages, inputs);
        }
        copy(inputs, "maxTokens", body, "max_tokens");
        copy(inputs, "temperature", body, "temperature");
        copy(inputs, "topP", body, "top_p");
        copy(inputs, "stop", body, "stop");
        copy(inputs, "seed", body, "seed");
        copy(inputs, "tools", body, "tools");
        copy(inputs, "toolChoice", body, "tool_choice");
        JsonNode format = inputs.get("responseFormat");
        if (format != null) {
            body.set("response_format", format.isTextual()
                    ? JsonNodeFactory.instance.objectNode().put("type", format.asText().equals("json") ? "json_object" : "text")
                    : format);
        }
        boolean stream = inputs.has("stream") ? inputs.get("stream").asBoolean() : streamByDefault;
        body.put("stream", stream);
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        JsonNode extra = inputs.get("extraBody");
        if (extra != null && extra.isObject()) {
            extra.properties().forEach(field -> body.set(field.getKey(), field.getValue()));
        }
        return body;
    }

    /** Appends the images to the last user message as image parts (a file becomes a data URL). */
    private static void addImages(ArrayNode messages, JsonNode inputs) {
        ObjectNode user = null;
        for (JsonNode message : messages) {
            if ("user".equals(message.path("role").asText())) {
                user = (ObjectNode) message;
            }
        }
        if (user == null) {
            user = messages.addObject().put("role", "user");
        }
        ArrayNode parts = JsonNodeFactory.instance.arrayNode();
        JsonNode content = user.get("content");
        if (content != null && content.isArray()) {
            parts.addAll((ArrayNode) content);
        } else if (content != null && !content.isNull()) {
            parts.addObject().put("type", "text").put("text", content.asText());
        }
        for (JsonNode image : images(inputs)) {
            parts.addObject().put("type", "image_url").putObject("image_url").put("url", imageUrl(image.asText()));
        }
        user.set("content", parts);
    }

    private static String imageUrl(String image) {
        if (Inputs.isUrl(image) || image.startsWith("data:")) {
            return image;
        }
        Path file = Path.of(image);
        String why = imageFileProblem(file);
        if (why != null) {
            throw new IllegalArgumentException("inputs.images: " + why);
        }
        try {
            return "data:" + mediaType(file) + ";base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("inputs.images: cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String mediaType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return "image/png";
        }
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return "image/jpeg";
        }
        if (name.endsWith(".gif")) {
            return "image/gif";
        }
        return name.endsWith(".webp") ? "image/webp" : null;
    }

    private HttpRequest request(JsonNode inputs, ObjectNode body, dev.maze.core.node.NodeSpec node) {
        Endpoints.Target target = endpoints.resolve(inputs, node);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target.url("/chat/completions")))
                .header("Content-Type", "application/json")
                .header("Accept", body.path("stream").asBoolean() ? "text/event-stream" : "application/json");
        target.authorize(builder);
        try {
            return builder.POST(HttpRequest.BodyPublishers.ofString(HttpExecutor.JSON.writeValueAsString(body),
                    StandardCharsets.UTF_8)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the request cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private static void copy(JsonNode from, String name, ObjectNode to, String as) {
        if (from.hasNonNull(name)) {
            to.set(as, from.get(name));
        }
    }

    static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> elements = new ArrayList<>(array.size());
        array.forEach(elements::add);
        return elements;
    }

    @Override
    public void close() {
        call.close();
    }

    // ------------------------------------------------------------------ reading the reply

    /** A chat completion as read, streamed or not. */
    record ChatReply(String text, String finishReason, ArrayNode toolCalls, JsonNode usage, String model,
            double firstTokenSeconds, double totalSeconds) {

        static ChatReply fromBody(byte[] bytes, long sentAt, String where) {
            JsonNode reply;
            try {
                reply = HttpExecutor.JSON.readTree(bytes);
            } catch (IOException e) {
                throw new MalformedReply(where, "not JSON: " + Excerpt.of(new String(bytes, StandardCharsets.UTF_8)));
            }
            JsonNode choice = reply.path("choices").path(0);
            JsonNode message = choice.path("message");
            if (!message.isObject()) {
                throw new MalformedReply(where, "no choices[0].message in " + Excerpt.of(reply.toString()));
            }
            double total = (System.nanoTime() - sentAt) / 1e9;
            JsonNode calls = message.path("tool_calls");
            return new ChatReply(message.path("content").asText(""), choice.path("finish_reason").asText(null),
                    calls.isArray() ? (ArrayNode) calls : JsonNodeFactory.instance.arrayNode(), reply.get("usage"),
                    reply.path("model").asText(null), Double.NaN, total);
        }

        /** Reads server-sent events until {@code data: [DONE]}; a stream that ends before it is a failure. */
        static ChatReply fromStream(InputStream body, long sentAt, String where) throws IOException {
            StringBuilder text = new StringBuilder();
            List<ObjectNode> calls = new ArrayList<>();
            String finish = null;
            JsonNode usage = null;
            String model = null;
            double firstToken = Double.NaN;
            BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            boolean done = false;
            long chars = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.startsWith("data:")) {
                    continue; // comments, event names and the blank lines between events
                }
                String data = line.substring(5).trim();
                if (data.equals("[DONE]")) {
                    done = true;
                    break;
                }
                chars += data.length();
                if (chars > MAX_STREAM_CHARS) {
                    throw new MalformedReply(where, "the stream exceeded " + MAX_STREAM_CHARS / 1_000_000 + " million characters");
                }
                JsonNode chunk;
                try {
                    chunk = HttpExecutor.JSON.readTree(data);
                } catch (IOException e) {
                    throw new MalformedReply(where, "a stream chunk is not JSON: " + Excerpt.of(data));
                }
                if (chunk.has("error")) {
                    throw new MalformedReply(where, "the server reported an error mid-stream: " + Excerpt.of(chunk.get("error").toString()));
                }
                model = chunk.path("model").asText(model);
                if (chunk.hasNonNull("usage")) {
                    usage = chunk.get("usage");
                }
                JsonNode choice = chunk.path("choices").path(0);
                JsonNode delta = choice.path("delta");
                String content = delta.path("content").asText("");
                if ((!content.isEmpty() || delta.has("tool_calls")) && Double.isNaN(firstToken)) {
                    firstToken = (System.nanoTime() - sentAt) / 1e9;
                }
                text.append(content);
                for (JsonNode part : delta.path("tool_calls")) {
                    mergeToolCall(calls, part);
                }
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.get("finish_reason").asText();
                }
            }
            if (!done) {
                throw new MalformedReply(where, "the stream ended before data: [DONE] (" + text.length()
                        + " characters received)");
            }
            ArrayNode toolCalls = JsonNodeFactory.instance.arrayNode();
            calls.forEach(toolCalls::add);
            return new ChatReply(text.toString(), finish, toolCalls, usage, model, firstToken,
                    (System.nanoTime() - sentAt) / 1e9);
        }

        /** Tool calls stream in pieces keyed by index: the name once, the arguments a fragment at a time. */
        private static void mergeToolCall(List<ObjectNode> calls, JsonNode part) {
            int index = part.path("index").asInt(calls.size());
            while (calls.size() <= index) {
                ObjectNode call = JsonNodeFactory.instance.objectNode().put("type", "function");
                call.putObject("function").put("name", "").put("arguments", "");
                calls.add(call);
            }
            ObjectNode call = calls.get(index);
            if (part.hasNonNull("id")) {
                call.put("id", part.get("id").asText());
            }
            ObjectNode function = (ObjectNode) call.get("function");
            JsonNode given = part.path("function");
            if (given.hasNonNull("name")) {
                function.put("name", function.get("name").asText() + given.get("name").asText());
            }
            if (given.hasNonNull("arguments")) {
                function.put("arguments", function.get("arguments").asText() + given.get("arguments").asText());
            }
        }

        /**
         * The task's output: {@code text}, {@code json} (the parsed object when JSON was asked for), {@code toolCalls}
         * (with {@code arguments} parsed), {@code finishReason}, {@code usage}, {@code model}, the timings, and
         * {@code curr_task_feat} — what the predictor learns from.
         */
        TaskResult result(ObjectNode request) {
            ObjectNode output = JsonNodeFactory.instance.objectNode();
            output.put("text", text);
            String format = request.path("response_format").path("type").asText("text");
            if (!format.equals("text")) {
                try {
                    output.set("json", HttpExecutor.JSON.readTree(stripFence(text)));
                } catch (IOException e) {
                    return new TaskResult.Failure("the model was asked for JSON (" + format + ") and answered text that "
                            + "is not: " + Excerpt.of(text), true);
                }
            }
            ArrayNode parsedCalls = output.putArray("toolCalls");
            for (JsonNode call : toolCalls) {
                ObjectNode copy = call.deepCopy();
                String arguments = call.path("function").path("arguments").asText("");
                try {
                    copy.set("arguments", arguments.isBlank() ? JsonNodeFactory.instance.objectNode()
                            : HttpExecutor.JSON.readTree(arguments));
                } catch (IOException e) {
                    copy.put("arguments", arguments); // passed on as the model wrote it
                }
                copy.put("name", call.path("function").path("name").asText());
                parsedCalls.add(copy);
            }
            output.put("finishReason", finishReason);
            if (model != null) {
                output.put("model", model);
            }
            ObjectNode usageOut = output.putObject("usage");
            if (usage != null && usage.isObject()) {
                usageOut.put("promptTokens", usage.path("prompt_tokens").asLong());
                usageOut.put("completionTokens", usage.path("completion_tokens").asLong());
            }
            if (!Double.isNaN(firstTokenSeconds)) {
                output.put("timeToFirstTokenSeconds", firstTokenSeconds);
            }
            output.put("totalSeconds", totalSeconds);
            output.set("curr_task_feat", measured(request, usageOut));
            return new TaskResult.Success(output);
        }

        /** Features of the call as it was sent: text sizes after templating, and the server's token counts. */
        private static ObjectNode measured(ObjectNode request, ObjectNode usage) {
            long chars = 0;
            long images = 0;
            String lastUser = "";
            for (JsonNode message : request.path("messages")) {
                JsonNode content = message.path("content");
                String text = content.isArray() ? partsText(content) : content.asText("");
                chars += text.length();
                if (content.isArray()) {
                    for (JsonNode part : content) {
                        images += "image_url".equals(part.path("type").asText()) ? 1 : 0;
                    }
                }
                if ("user".equals(message.path("role").asText())) {
                    lastUser = text;
                }
            }
            ObjectNode features = JsonNodeFactory.instance.objectNode();
            features.put("text_length", chars);
            features.put("prompt_length", lastUser.length());
            if (usage.has("promptTokens")) {
                features.put("token_count", usage.get("promptTokens").asLong());
                features.put("prompt_token_count", usage.get("promptTokens").asLong());
                features.put("completion_tokens", usage.get("completionTokens").asLong());
            }
            if (images > 0) {
                features.put("batch_size", images);
            }
            return features;
        }

        private static String partsText(JsonNode parts) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : parts) {
                if ("text".equals(part.path("type").asText())) {
                    text.append(part.path("text").asText(""));
                }
            }
            return text.toString();
        }

        /** Models often wrap JSON in a Markdown fence even when asked not to. */
        private static String stripFence(String text) {
            String trimmed = text.strip();
            if (trimmed.startsWith("```")) {
                int start = trimmed.indexOf('\n');
                int end = trimmed.lastIndexOf("```");
                if (start > 0 && end > start) {
                    return trimmed.substring(start + 1, end);
                }
            }
            return trimmed;
        }
    }

    /** At most this many characters of stream data are read (a runaway stream must not fill the heap). */
    static final long MAX_STREAM_CHARS = 64_000_000;

    /** A reply that does not read as a chat completion: worth another attempt (servers do recover). */
    static final class MalformedReply extends RuntimeException {
        MalformedReply(String where, String what) {
            super("malformed reply from " + where + ": " + what);
        }
    }
}
