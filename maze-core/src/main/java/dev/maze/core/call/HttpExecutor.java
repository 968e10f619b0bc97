package dev.maze.core.call;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.maze.core.exec.ExecutionContext;
import dev.maze.core.exec.ExecutorSettings;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.exec.TaskExecutorFactory;
import dev.maze.core.exec.TaskInvocation;
import dev.maze.core.exec.TaskResult;
import dev.maze.core.node.ModelEndpoint;
import dev.maze.core.workflow.InputCheck;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Kind {@code http}: a generic tool call. Inputs:
 * <ul>
 *   <li>{@code url} (required): an http or https URL, templated like any input;
 *   <li>{@code method}: GET, POST, PUT, PATCH, DELETE or HEAD; default POST with a body, else GET;
 *   <li>{@code query}: a map of query parameters, URL-encoded and appended to the URL (put templated values here:
 *       an output with spaces or {@code &} in it would break a URL it was pasted into);
 *   <li>{@code headers}: a map of header names to values;
 *   <li>{@code body}: a string, sent as is ({@code text/plain} unless a Content-Type header says otherwise), or an
 *       object or list, sent as JSON;
 *   <li>{@code bearerTokenEnv}: the name of an environment variable whose value is sent as
 *       {@code Authorization: Bearer ...}. Only the name is ever written down (files, logs, messages, outputs).
 * </ul>
 * Other inputs are left alone (a tool type may read them as features). A 2xx JSON response becomes the task's output (so successors template its fields); another body becomes
 * {@code {"text": ...}}. A non-2xx response fails the attempt with its status and a body excerpt: 408, 429 and 5xx
 * (and connection errors) are retried by the task's retries, waiting at least what {@code Retry-After} asks; other
 * statuses fail at once. Settings ({@code executors.http}): {@code maxResponseMb} (default 16),
 * {@code connectTimeoutSeconds} (default 10). The task's {@code timeoutSeconds} aborts the request.
 */
public final class HttpExecutor implements TaskExecutor {

    static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");
    private final HttpCall call;
    private final Function<String, String> environment;

    HttpExecutor(double maxResponseMb, double connectTimeoutSeconds, Function<String, String> environment) {
        this.call = new HttpCall(maxResponseMb, connectTimeoutSeconds);
        this.environment = environment;
    }

    /** The factory for {@code executors.http}, registered through {@link java.util.ServiceLoader}. */
    public static final class Factory implements TaskExecutorFactory {
        @Override
        public String kind() {
            return "http";
        }

        @Override
        public TaskExecutor create(ExecutorSettings settings) {
            HttpCall.Limits limits = HttpCall.Limits.read("http", settings);
            settings.done();
            return new HttpExecutor(limits.maxResponseMb(), limits.connectTimeoutSeconds(), System::getenv);
        }
    }

    @Override
    public String kind() {
        return "http";
    }

    @Override
    public List<Problem> check(JsonNode inputs) {
        Inputs in = new Inputs(inputs);
        in.requiredText("url", "the URL to call, e.g. https://api.example.com/search");
        if (in.problems().isEmpty()) {
            in.url("url");
        }
        JsonNode method = inputs.get("method");
        if (method != null && !(method.isTextual() && (METHODS.contains(method.asText().toUpperCase()) || isTemplate(method.asText())))) {
            in.problem("method", "expected one of " + String.join(", ", METHODS.stream().sorted().toList()) + ", found "
                    + method);
        }
        in.stringMap("headers", "a map of header names to values");
        in.stringMap("query", "a map of query parameter names to values");
        in.variableName("bearerTokenEnv");
        return in.problems();
    }

    @Override
    public Execution start(TaskInvocation invocation, ExecutionContext context) {
        HttpRequest request;
        try {
            request = request(invocation.inputs());
        } catch (IllegalArgumentException e) {
            context.complete(new TaskResult.Failure(e.getMessage(), false));
            return () -> {};
        }
        return call.send(request, context.blockingExecutor(), (body, contentType) -> {
            byte[] bytes = call.readCapped(body);
            return new TaskResult.Success(output(bytes, contentType));
        }, context::complete);
    }

    /** The request {@code inputs} describe (templates already rendered). */
    HttpRequest request(JsonNode inputs) {
        StringBuilder url = new StringBuilder(inputs.path("url").asText());
        String why = ModelEndpoint.urlProblem(url.toString());
        if (why != null) {
            throw new IllegalArgumentException("inputs.url: " + why + "; a templated value belongs in inputs.query, "
                    + "which encodes it");
        }
        char separator = url.indexOf("?") < 0 ? '?' : '&';
        for (Map.Entry<String, JsonNode> parameter : inputs.path("query").properties()) {
            url.append(separator).append(URLEncoder.encode(parameter.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(parameter.getValue().asText(), StandardCharsets.UTF_8));
            separator = '&';
        }
        JsonNode body = inputs.get("body");
        String method = inputs.has("method") ? inputs.get("method").asText().toUpperCase()
                : body == null ? "GET" : "POST";
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("inputs.method: expected one of " + String.join(", ", METHODS) + ", found "
                    + method);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url.toString()));
        boolean contentTypeGiven = false;
        for (Map.Entry<String, JsonNode> header : inputs.path("headers").properties()) {
            builder.header(header.getKey(), header.getValue().asText());
            contentTypeGiven |= header.getKey().equalsIgnoreCase("content-type");
        }
        bearer(inputs).ifPresent(token -> builder.header("Authorization", "Bearer " + token));
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            String text;
            try {
                text = body.isTextual() ? body.asText() : JSON.writeValueAsString(body);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("inputs.body: cannot be written as JSON: " + e.getOriginalMessage());
            }
            if (!contentTypeGiven) {
                builder.header("Content-Type", body.isTextual() ? "text/plain; charset=utf-8" : "application/json");
            }
            builder.method(method, HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private java.util.Optional<String> bearer(JsonNode inputs) {
        JsonNode name = inputs.get("bearerTokenEnv");
        if (name == null) {
            return java.util.Optional.empty();
        }
        String token = environment.apply(name.asText());
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("inputs.bearerTokenEnv: the environment variable " + name.asText()
                    + " is not set; export it where maze runs");
        }
        return java.util.Optional.of(token);
    }

    /** A JSON body as itself; any other as {@code {"text": ...}}. */
    static JsonNode output(byte[] body, String contentType) {
        String text = new String(body, StandardCharsets.UTF_8);
        boolean saysJson = contentType.toLowerCase().contains("json");
        if (saysJson || text.stripLeading().startsWith("{") || text.stripLeading().startsWith("[")) {
            try {
                return JSON.readTree(text);
            } catch (JsonProcessingException notJson) {
                // a body that only looked like JSON is text
            }
        }
        return JsonNodeFactory.instance.objectNode().put("text", text);
    }

    private static boolean isTemplate(String text) {
        return text.contains("{{");
    }

    @Override
    public void close() {
        call.close();
    }
}
