package dev.maze.core.call;

import com.fasterxml.jackson.databind.JsonNode;
import dev.maze.core.exec.ExecutorSettings;
import dev.maze.core.node.ModelEndpoint;
import dev.maze.core.node.NodeSpec;
import dev.maze.core.workflow.InputCheck;
import dev.maze.core.workflow.TaskSpec;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Where a model call goes and with which key: the task's {@code baseUrl} and {@code apiKeyEnv}, else the model
 * endpoint the call was placed on (the registry's {@code url} and {@code apiKeyEnv}), else the kind's configuration
 * ({@code executors.<kind>.baseUrl}, {@code .apiKeyEnv}), else {@value #BASE_URL_ENV}. A key is only ever held as the
 * name of an environment variable until the request is built.
 */
final class Endpoints {

    /** The environment variable naming the endpoint when neither the task nor the configuration does. */
    static final String BASE_URL_ENV = "MAZE_LLM_BASE_URL";

    private final String kind;
    private final String baseUrl;
    private final String apiKeyEnv;
    private final Function<String, String> environment;

    Endpoints(String kind, String baseUrl, String apiKeyEnv, Function<String, String> environment) {
        this.kind = kind;
        this.baseUrl = baseUrl;
        this.apiKeyEnv = apiKeyEnv;
        this.environment = environment;
    }

    /** Reads {@code baseUrl} and {@code apiKeyEnv} of a kind's settings (the caller reads the rest, then done()). */
    static Endpoints fromSettings(String kind, ExecutorSettings settings, Function<String, String> environment) {
        String baseUrl = settings.text("baseUrl", null);
        String apiKeyEnv = settings.text("apiKeyEnv", null);
        if (baseUrl != null && ModelEndpoint.urlProblem(baseUrl) != null) {
            throw new IllegalArgumentException("executors." + kind + ".baseUrl: " + ModelEndpoint.urlProblem(baseUrl));
        }
        if (apiKeyEnv != null && !Inputs.isVariableName(apiKeyEnv)) {
            throw new IllegalArgumentException("executors." + kind + ".apiKeyEnv: expected the name of an environment "
                    + "variable, found '" + apiKeyEnv + "'");
        }
        return new Endpoints(kind, baseUrl, apiKeyEnv, environment);
    }

    /**
     * What validation says when nothing would tell a call of {@code task} where to go: no {@code inputs.baseUrl}, no
     * model endpoint (a call the registry routes asks for its model in {@code resources.model}), no
     * {@code executors.<kind>.baseUrl}, no {@value #BASE_URL_ENV}; null when one of them will.
     */
    InputCheck.Problem missingFor(TaskSpec task) {
        if (task.inputs().hasNonNull("baseUrl") || task.resources().model() != null || baseUrl != null) {
            return null;
        }
        String fromEnvironment = environment.apply(BASE_URL_ENV);
        return fromEnvironment != null && !fromEnvironment.isBlank() ? null
                : new InputCheck.Problem("inputs.baseUrl", noEndpoint(task.inputs().path("model").asText()));
    }

    /** A model call's problems: its inputs' ({@code ofInputs}), and {@link #missingFor} its task. */
    List<InputCheck.Problem> check(TaskSpec task, List<InputCheck.Problem> ofInputs) {
        InputCheck.Problem noEndpoint = missingFor(task);
        if (noEndpoint == null) {
            return ofInputs;
        }
        List<InputCheck.Problem> problems = new ArrayList<>(ofInputs);
        problems.add(noEndpoint);
        return problems;
    }

    private String noEndpoint(String model) {
        return "no endpoint for model '" + model + "': give the task inputs.baseUrl, list the model in a registry "
                + "(--models FILE), set executors." + kind + ".baseUrl in --config, or export " + BASE_URL_ENV
                + " (e.g. http://127.0.0.1:8000/v1; maze run and demo take --llm-base-url URL)";
    }

    /** An endpoint chosen for one request. */
    record Target(String baseUrl, String apiKey) {
        String url(String path) {
            return (baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl) + path;
        }

        void authorize(HttpRequest.Builder request) {
            if (apiKey != null) {
                request.header("Authorization", "Bearer " + apiKey);
            }
        }
    }

    /**
     * The endpoint for a task's (rendered) inputs, placed on {@code node} (null: not known).
     *
     * @throws IllegalArgumentException when none is configured, or its key's variable is not set (the message says what
     *     to do and never holds a key)
     */
    Target resolve(JsonNode inputs, NodeSpec node) {
        ModelEndpoint placed = node == null ? null : node.endpoint();
        boolean ownUrl = inputs.hasNonNull("baseUrl");
        String base = ownUrl ? inputs.get("baseUrl").asText()
                : placed != null ? placed.url()
                : baseUrl != null ? baseUrl : environment.apply(BASE_URL_ENV);
        if (base == null || base.isBlank()) {
            throw new IllegalArgumentException(noEndpoint(inputs.path("model").asText()));
        }
        String why = ModelEndpoint.urlProblem(base);
        if (why != null) {
            throw new IllegalArgumentException("baseUrl: " + why);
        }
        // The endpoint's key goes only to the endpoint's URL: a task that names its own baseUrl names its own key.
        String keyEnv = inputs.hasNonNull("apiKeyEnv") ? inputs.get("apiKeyEnv").asText()
                : placed != null && !ownUrl ? placed.apiKeyEnv() : apiKeyEnv;
        String key = null;
        if (keyEnv != null) {
            key = environment.apply(keyEnv);
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("apiKeyEnv: the environment variable " + keyEnv
                        + " is not set; export it where maze runs");
            }
        }
        return new Target(base, key);
    }
}
