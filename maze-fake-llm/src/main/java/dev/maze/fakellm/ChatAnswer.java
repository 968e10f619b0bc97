package dev.maze.fakellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.SplittableRandom;

/**
 * What the fake model answers to a chat request, decided before any waiting: the text (or tool call), how it is
 * streamed, why it ended and the token counts. The rules are in maze-fake-llm/README.md ("What it answers").
 *
 * @param id the completion's id
 * @param created seconds since the epoch
 * @param model the model name, as requested
 * @param content the message text; null for a tool call
 * @param toolCall the tool call, or null
 * @param pieces the streamed pieces, one token each: of the content, or of the tool call's arguments
 * @param finishReason {@code stop}, {@code length} or {@code tool_calls}
 * @param promptTokens tokens of the prompt
 * @param completionTokens tokens of the answer: of the content, or of the function's name and arguments
 */
record ChatAnswer(
        String id,
        long created,
        String model,
        String content,
        ToolCall toolCall,
        List<String> pieces,
        String finishReason,
        int promptTokens,
        int completionTokens) {

    /** A function call: its id, the function's name and the arguments as a JSON string. */
    record ToolCall(String id, String name, String arguments) {}

    /** Length of an answer without max_tokens: 20 to 200 tokens, by the prompt's hash. */
    static final int NATURAL_MIN_TOKENS = 20;
    static final int NATURAL_MAX_TOKENS = 200;

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String FINGERPRINT = "fp_maze_fake_llm";

    /**
     * The answer to {@code request}.
     *
     * @param serverSeed the seed used when the request has none
     * @param contextTokens the context window
     * @param id the completion's id
     * @throws ApiError a 400 when the prompt and max_tokens do not fit the context window
     */
    static ChatAnswer of(ChatRequest request, long serverSeed, int contextTokens, String id, long createdSeconds) {
        long seed = request.seed() != null ? request.seed() : serverSeed;
        SplittableRandom random = new SplittableRandom(CompletionText.seedOf(seed, request.model(), request.promptKey()));
        int natural = NATURAL_MIN_TOKENS + random.nextInt(NATURAL_MAX_TOKENS - NATURAL_MIN_TOKENS + 1);
        int prompt = request.promptTokens();
        Integer max = request.maxTokens();
        if (prompt + (max == null ? 1 : max) > contextTokens) {
            throw new ApiError(400, "invalid_request_error", "messages", "context_length_exceeded",
                    "This model's maximum context length is " + contextTokens + " tokens. However, you requested "
                            + (prompt + (max == null ? 0 : max)) + " tokens (" + prompt + " in the messages, "
                            + (max == null ? 0 : max) + " in the completion). Please reduce the length of the "
                            + "messages or completion.");
        }
        int target = max != null ? max : Math.min(natural, contextTokens - prompt);

        boolean callsTool = switch (request.toolChoice()) {
            case NONE -> false;
            case AUTO -> !request.lastIsToolResult();
            case REQUIRED, NAMED -> true;
        };
        if (callsTool) {
            ChatRequest.Tool tool = request.toolChoice() == ChatRequest.ToolChoice.NAMED
                    ? request.tools().stream().filter(t -> t.name().equals(request.toolChoiceName())).findFirst()
                            .orElseThrow()
                    : request.tools().get(0);
            String arguments = SchemaValues.valueOf(tool.parameters(), random).toString();
            String finish = "tool_calls";
            if (max != null && TokenCounter.count(arguments) > max) {
                arguments = TokenCounter.prefix(arguments, max);
                finish = "length";
            }
            ToolCall call = new ToolCall("call_" + CompletionText.hex(random, 24), tool.name(), arguments);
            return new ChatAnswer(id, createdSeconds, request.model(), null, call, TokenCounter.pieces(arguments),
                    finish, prompt, TokenCounter.count(tool.name()) + TokenCounter.count(arguments));
        }

        String content;
        String finish;
        switch (request.format()) {
            case JSON_OBJECT -> {
                content = jsonObjectOf(random, target);
                finish = "stop";
                if (TokenCounter.count(content) > target) {
                    content = TokenCounter.prefix(content, target);
                    finish = "length";
                }
            }
            case JSON_SCHEMA -> {
                content = SchemaValues.valueOf(request.schema(), random).toString();
                finish = "stop";
                if (max != null && TokenCounter.count(content) > max) {
                    content = TokenCounter.prefix(content, max);
                    finish = "length";
                }
            }
            default -> {
                content = CompletionText.words(random, target);
                finish = max != null ? "length" : "stop";
            }
        }
        int cut = -1;
        for (String stop : request.stop()) {
            int at = content.indexOf(stop);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
            }
        }
        if (cut >= 0) {
            content = content.substring(0, cut);
            finish = "stop";
        }
        return new ChatAnswer(id, createdSeconds, request.model(), content, null, TokenCounter.pieces(content), finish,
                prompt, TokenCounter.count(content));
    }

    /** {@code {"answer": "..."}} with as many words as fit in {@code target} tokens (at least one word). */
    private static String jsonObjectOf(SplittableRandom random, int target) {
        int overhead = TokenCounter.count("{\"answer\":\"\"}");
        String words = CompletionText.words(random, Math.max(1, target - overhead));
        ObjectNode object = JSON.objectNode();
        object.put("answer", words);
        String json = object.toString();
        while (TokenCounter.count(json) > target && words.contains(" ")) {
            words = words.substring(0, words.lastIndexOf(' '));
            object.put("answer", words);
            json = object.toString();
        }
        return json;
    }

    /** The {@code chat.completion} object. */
    ObjectNode completion() {
        ObjectNode message = JSON.objectNode();
        message.put("role", "assistant");
        message.put("content", content);
        message.putNull("refusal");
        if (toolCall != null) {
            ObjectNode function = JSON.objectNode();
            function.put("name", toolCall.name());
            function.put("arguments", toolCall.arguments());
            ObjectNode call = JSON.objectNode();
            call.put("id", toolCall.id());
            call.put("type", "function");
            call.set("function", function);
            message.set("tool_calls", JSON.arrayNode().add(call));
        }
        ObjectNode choice = JSON.objectNode();
        choice.put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        ObjectNode completion = header("chat.completion");
        completion.set("choices", JSON.arrayNode().add(choice));
        completion.set("usage", usage());
        return completion;
    }

    /** The first chunk: the role, and for a tool call its id and name. */
    ObjectNode firstChunk(boolean withUsageField) {
        ObjectNode delta = JSON.objectNode();
        delta.put("role", "assistant");
        if (toolCall == null) {
            delta.put("content", "");
            delta.putNull("refusal");
        } else {
            delta.putNull("content");
            ObjectNode function = JSON.objectNode();
            function.put("name", toolCall.name());
            function.put("arguments", "");
            ObjectNode call = JSON.objectNode();
            call.put("index", 0);
            call.put("id", toolCall.id());
            call.put("type", "function");
            call.set("function", function);
            delta.set("tool_calls", JSON.arrayNode().add(call));
        }
        return chunk(delta, null, withUsageField);
    }

    /** The chunk carrying piece {@code i}. */
    ObjectNode pieceChunk(int i, boolean withUsageField) {
        ObjectNode delta = JSON.objectNode();
        if (toolCall == null) {
            delta.put("content", pieces.get(i));
        } else {
            ObjectNode function = JSON.objectNode();
            function.put("arguments", pieces.get(i));
            ObjectNode call = JSON.objectNode();
            call.put("index", 0);
            call.set("function", function);
            delta.set("tool_calls", JSON.arrayNode().add(call));
        }
        return chunk(delta, null, withUsageField);
    }

    /** The last chunk of the choice: an empty delta and the finish reason. */
    ObjectNode finishChunk(boolean withUsageField) {
        return chunk(JSON.objectNode(), finishReason, withUsageField);
    }

    /** The chunk {@code stream_options.include_usage} asks for: no choices, the usage. */
    ObjectNode usageChunk() {
        ObjectNode chunk = header("chat.completion.chunk");
        chunk.set("choices", JSON.arrayNode());
        chunk.set("usage", usage());
        return chunk;
    }

    private ObjectNode chunk(ObjectNode delta, String finish, boolean withUsageField) {
        ObjectNode choice = JSON.objectNode();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finish);
        ObjectNode chunk = header("chat.completion.chunk");
        ArrayNode choices = JSON.arrayNode().add(choice);
        chunk.set("choices", choices);
        if (withUsageField) {
            chunk.putNull("usage");
        }
        return chunk;
    }

    private ObjectNode header(String object) {
        ObjectNode header = JSON.objectNode();
        header.put("id", id);
        header.put("object", object);
        header.put("created", created);
        header.put("model", model);
        header.put("system_fingerprint", FINGERPRINT);
        return header;
    }

    private JsonNode usage() {
        ObjectNode usage = JSON.objectNode();
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);
        return usage;
    }
}
