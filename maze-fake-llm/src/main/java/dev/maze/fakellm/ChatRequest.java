package dev.maze.fakellm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A checked {@code POST /v1/chat/completions} body: what the answer depends on, and the prompt's token count.
 *
 * @param model the model asked for
 * @param messages the conversation, as sent
 * @param stream answer with server-sent events
 * @param includeUsage {@code stream_options.include_usage}: a last chunk with the usage
 * @param maxTokens {@code max_completion_tokens}, else {@code max_tokens}; null when neither is given
 * @param stop stop sequences (possibly empty)
 * @param seed the request's {@code seed}, null when absent
 * @param tools the functions offered (possibly empty)
 * @param toolChoice how a tool is chosen
 * @param toolChoiceName the function named by {@code tool_choice}, when it names one
 * @param format {@code response_format}
 * @param schema the JSON schema of {@code json_schema} format, else null
 * @param promptTokens the prompt's tokens by the rule of maze-fake-llm/README.md
 * @param lastIsToolResult the last message has role {@code tool} (or {@code function})
 * @param unloadAfter {@code keep_alive} is zero (Ollama's field): an on-demand server unloads the model once no request
 *     uses it
 */
record ChatRequest(
        String model,
        ArrayNode messages,
        boolean stream,
        boolean includeUsage,
        Integer maxTokens,
        List<String> stop,
        Long seed,
        List<Tool> tools,
        ToolChoice toolChoice,
        String toolChoiceName,
        Format format,
        JsonNode schema,
        int promptTokens,
        boolean lastIsToolResult,
        boolean unloadAfter) {

    /** A function offered in {@code tools}. */
    record Tool(String name, JsonNode parameters) {}

    /** {@code tool_choice}. */
    enum ToolChoice { NONE, AUTO, REQUIRED, NAMED }

    /** {@code response_format.type}. */
    enum Format { TEXT, JSON_OBJECT, JSON_SCHEMA }

    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool", "function");

    /** Tokens every message costs besides its values, and the reply's priming (OpenAI's published count). */
    static final int TOKENS_PER_MESSAGE = 3;
    static final int TOKENS_OF_REPLY_PRIMING = 3;

    /**
     * Checks a request body.
     *
     * @throws ApiError a 400 naming the parameter at fault
     */
    static ChatRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiError.invalid(null, "The request body must be a JSON object.");
        }
        String model = requiredString(body, "model");
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiError.invalid("messages", "'messages' must be a non-empty array of messages.");
        }
        int promptTokens = TOKENS_OF_REPLY_PRIMING;
        for (int i = 0; i < messages.size(); i++) {
            promptTokens += messageTokens(messages.get(i), "messages[" + i + "]");
        }
        String lastRole = messages.get(messages.size() - 1).path("role").asText();

        boolean stream = optionalBoolean(body, "stream");
        boolean includeUsage = false;
        JsonNode streamOptions = body.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull()) {
            if (!streamOptions.isObject()) {
                throw ApiError.invalid("stream_options", "'stream_options' must be an object.");
            }
            if (!stream) {
                throw ApiError.invalid("stream_options", "'stream_options' is only allowed when 'stream' is true.");
            }
            includeUsage = optionalBoolean(streamOptions, "include_usage");
        }
        Integer maxTokens = optionalPositiveInt(body, "max_completion_tokens");
        if (maxTokens == null) {
            maxTokens = optionalPositiveInt(body, "max_tokens");
        }
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && !(n.canConvertToInt() && n.isIntegralNumber() && n.asInt() == 1)) {
            throw ApiError.invalid("n", "maze fake-llm answers with one choice: 'n' must be 1.");
        }
        List<String> stop = stop(body.get("stop"));
        Long seed = null;
        JsonNode seedNode = body.get("seed");
        if (seedNode != null && !seedNode.isNull()) {
            if (!seedNode.isIntegralNumber() || !seedNode.canConvertToLong()) {
                throw ApiError.invalid("seed", "'seed' must be an integer.");
            }
            seed = seedNode.asLong();
        }

        List<Tool> tools = tools(body.get("tools"));
        if (!tools.isEmpty()) {
            promptTokens += TokenCounter.count(body.get("tools").toString());
        }
        ToolChoice toolChoice = tools.isEmpty() ? ToolChoice.NONE : ToolChoice.AUTO;
        String toolChoiceName = null;
        JsonNode choice = body.get("tool_choice");
        if (choice != null && !choice.isNull()) {
            if (choice.isTextual()) {
                toolChoice = switch (choice.asText()) {
                    case "none" -> ToolChoice.NONE;
                    case "auto" -> tools.isEmpty() ? ToolChoice.NONE : ToolChoice.AUTO;
                    case "required" -> ToolChoice.REQUIRED;
                    default -> throw ApiError.invalid("tool_choice",
                            "'tool_choice' must be none, auto, required or {\"type\": \"function\", \"function\": "
                                    + "{\"name\": ...}}, not '" + choice.asText() + "'.");
                };
            } else if (choice.isObject() && choice.path("function").path("name").isTextual()) {
                toolChoice = ToolChoice.NAMED;
                toolChoiceName = choice.path("function").path("name").asText();
                String wanted = toolChoiceName;
                if (tools.stream().noneMatch(tool -> tool.name().equals(wanted))) {
                    throw ApiError.invalid("tool_choice", "'tool_choice' names function '" + wanted
                            + "', which is not in 'tools'.");
                }
            } else {
                throw ApiError.invalid("tool_choice", "'tool_choice' must be a string or "
                        + "{\"type\": \"function\", \"function\": {\"name\": ...}}.");
            }
            if (tools.isEmpty() && toolChoice != ToolChoice.NONE) {
                throw ApiError.invalid("tool_choice", "'tool_choice' is only allowed when 'tools' are given.");
            }
        }

        Format format = Format.TEXT;
        JsonNode schema = null;
        JsonNode responseFormat = body.get("response_format");
        if (responseFormat != null && !responseFormat.isNull()) {
            String type = responseFormat.path("type").asText("");
            switch (type) {
                case "text" -> format = Format.TEXT;
                case "json_object" -> format = Format.JSON_OBJECT;
                case "json_schema" -> {
                    JsonNode jsonSchema = responseFormat.get("json_schema");
                    if (jsonSchema == null || !jsonSchema.isObject()) {
                        throw ApiError.invalid("response_format.json_schema",
                                "'response_format' of type json_schema needs a 'json_schema' object.");
                    }
                    schema = jsonSchema.has("schema") ? jsonSchema.get("schema") : JsonNodeFactory.instance.objectNode();
                    if (!schema.isObject()) {
                        throw ApiError.invalid("response_format.json_schema.schema", "'schema' must be a JSON object.");
                    }
                    format = Format.JSON_SCHEMA;
                }
                default -> throw ApiError.invalid("response_format.type",
                        "'response_format.type' must be text, json_object or json_schema, not '" + type + "'.");
            }
        }
        return new ChatRequest(model, (ArrayNode) messages, stream, includeUsage, maxTokens, stop, seed, tools,
                toolChoice, toolChoiceName, format, schema, promptTokens,
                lastRole.equals("tool") || lastRole.equals("function"), keepAliveIsZero(body.get("keep_alive")));
    }

    /** The key the answer's text is seeded by: everything the prompt says. */
    String promptKey() {
        ObjectNode key = JsonNodeFactory.instance.objectNode();
        key.set("messages", messages);
        key.put("format", format.name());
        if (schema != null) {
            key.set("schema", schema);
        }
        key.put("tools", tools.toString());
        return key.toString();
    }

    private static int messageTokens(JsonNode message, String where) {
        if (!message.isObject()) {
            throw ApiError.invalid(where, where + " must be an object with a 'role'.");
        }
        JsonNode role = message.get("role");
        if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
            throw ApiError.invalid(where + ".role", where + ".role must be one of system, developer, user, "
                    + "assistant, tool, not " + (role == null ? "missing" : role) + ".");
        }
        int tokens = TOKENS_PER_MESSAGE + TokenCounter.count(role.asText());
        JsonNode content = message.get("content");
        if (content == null || content.isNull()) {
            if (!role.asText().equals("assistant")) {
                throw ApiError.invalid(where + ".content", where + ".content is required for role " + role.asText()
                        + ".");
            }
        } else if (content.isTextual()) {
            tokens += TokenCounter.count(content.asText());
        } else if (content.isArray()) {
            for (int i = 0; i < content.size(); i++) {
                tokens += partTokens(content.get(i), where + ".content[" + i + "]");
            }
        } else {
            throw ApiError.invalid(where + ".content", where + ".content must be a string or an array of parts.");
        }
        JsonNode name = message.get("name");
        if (name != null && name.isTextual()) {
            tokens += TokenCounter.count(name.asText()) + 1;
        }
        JsonNode toolCallId = message.get("tool_call_id");
        if (toolCallId != null && toolCallId.isTextual()) {
            tokens += TokenCounter.count(toolCallId.asText());
        }
        JsonNode toolCalls = message.get("tool_calls");
        if (toolCalls != null && toolCalls.isArray()) {
            for (JsonNode call : toolCalls) {
                tokens += TokenCounter.count(call.path("function").path("name").asText())
                        + TokenCounter.count(call.path("function").path("arguments").asText());
            }
        }
        return tokens;
    }

    private static int partTokens(JsonNode part, String where) {
        String type = part.path("type").asText("");
        return switch (type) {
            case "text" -> {
                JsonNode text = part.get("text");
                if (text == null || !text.isTextual()) {
                    throw ApiError.invalid(where + ".text", where + " of type text needs a 'text' string.");
                }
                yield TokenCounter.count(text.asText());
            }
            case "image_url" -> {
                JsonNode imageUrl = part.get("image_url");
                JsonNode url = imageUrl == null ? null : imageUrl.isTextual() ? imageUrl : imageUrl.get("url");
                if (url == null || !url.isTextual() || url.asText().isEmpty()) {
                    throw ApiError.invalid(where + ".image_url", where + " of type image_url needs "
                            + "'image_url': {'url': ...}.");
                }
                String detail = imageUrl.isObject() ? imageUrl.path("detail").asText("auto") : "auto";
                yield ImageTokens.of(url.asText(), detail, where + ".image_url");
            }
            default -> throw ApiError.invalid(where + ".type", where + ": content parts of type '" + type
                    + "' are not supported by maze fake-llm (it reads text and image_url).");
        };
    }

    private static List<Tool> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw ApiError.invalid("tools", "'tools' must be an array.");
        }
        List<Tool> result = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            JsonNode function = tool.get("function");
            if (!tool.path("type").asText("function").equals("function") || function == null
                    || !function.path("name").isTextual() || function.path("name").asText().isEmpty()) {
                throw ApiError.invalid("tools[" + i + "]", "tools[" + i + "] must be {\"type\": \"function\", "
                        + "\"function\": {\"name\": ..., \"parameters\": {...}}}.");
            }
            JsonNode parameters = function.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw ApiError.invalid("tools[" + i + "].function.parameters",
                        "tools[" + i + "].function.parameters must be a JSON schema object.");
            }
            // A function's arguments are always an object; "parameters" omitted means it takes none.
            ObjectNode schema = parameters == null || parameters.isNull() ? JsonNodeFactory.instance.objectNode()
                    : ((ObjectNode) parameters).deepCopy();
            if (!schema.has("type")) {
                schema.put("type", "object");
            }
            result.add(new Tool(function.get("name").asText(), schema));
        }
        return List.copyOf(result);
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return stop.asText().isEmpty() ? List.of() : List.of(stop.asText());
        }
        if (stop.isArray()) {
            List<String> result = new ArrayList<>();
            for (JsonNode item : stop) {
                if (!item.isTextual()) {
                    throw ApiError.invalid("stop", "'stop' must be a string or an array of strings.");
                }
                if (!item.asText().isEmpty()) {
                    result.add(item.asText());
                }
            }
            return List.copyOf(result);
        }
        throw ApiError.invalid("stop", "'stop' must be a string or an array of strings.");
    }

    private static String requiredString(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw ApiError.invalid(field, "'" + field + "' is required and must be a string.");
        }
        return value.asText();
    }

    /**
     * Ollama's {@code keep_alive}: seconds as a number, or a duration such as {@code "0"}, {@code "0s"}, {@code "5m"},
     * {@code "-1"}. Only whether it is zero matters here: this server keeps a model until it needs the room (no timer).
     */
    private static boolean keepAliveIsZero(JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isNumber()) {
            return value.asDouble() == 0;
        }
        if (value.isTextual() && value.asText().strip().matches("-?\\d+(\\.\\d+)?(ms|s|m|h)?")) {
            return value.asText().strip().replaceAll("[^0-9.]", "").matches("0*(\\.0*)?");
        }
        throw ApiError.invalid("keep_alive", "'keep_alive' must be a number of seconds or a duration such as \"0\", "
                + "\"30s\", \"5m\" or \"-1\", not " + value + ".");
    }

    private static boolean optionalBoolean(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw ApiError.invalid(field, "'" + field + "' must be true or false.");
        }
        return value.asBoolean();
    }

    private static Integer optionalPositiveInt(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
            throw ApiError.invalid(field, "'" + field + "' must be an integer >= 1, not " + value + ".");
        }
        return value.asInt();
    }
}
