package dev.maze.core.node;

import java.util.Map;

/**
 * A model server a node stands for (an entry of the model registry, {@code --models}): where its calls go, and how
 * it holds models. A node with an endpoint takes only calls of the endpoint's models; its one GPU slot is the server:
 * up to {@code maxConcurrency} calls of one model share it, and its memory bounds the models resident there.
 *
 * @param id the endpoint's id in the registry (the node's id is {@code endpoint:<id>})
 * @param url the OpenAI-compatible base URL ({@code http://host:port/v1})
 * @param apiKeyEnv the name of the environment variable holding its key, or null (never the key itself)
 * @param maxConcurrency requests it may have in flight at once, at least 1
 * @param alwaysLoaded true for a replica serving its models from the start (vLLM, SGLang): they never load; false for
 *     a server that loads a model when asked (Ollama) and keeps what fits in its memory
 * @param models per model it serves: memory while resident and load time ({@link ModelSpec#concurrency()} is
 *     {@code maxConcurrency})
 */
public record ModelEndpoint(String id, String url, String apiKeyEnv, int maxConcurrency, boolean alwaysLoaded,
        Map<String, ModelSpec> models) {

    /** Prefix of an endpoint node's id. */
    public static final String NODE_PREFIX = "endpoint:";

    public ModelEndpoint {
        models = Map.copyOf(models);
        if (maxConcurrency < 1) {
            throw new IllegalArgumentException("endpoint '" + id + "': maxConcurrency must be at least 1");
        }
    }

    /** The id of the node standing for this endpoint. */
    public String nodeId() {
        return NODE_PREFIX + id;
    }

    /** Why {@code url} is not an http(s) URL with a host, or null. Never quotes the URL: it may hold a key. */
    public static String urlProblem(String url) {
        try {
            java.net.URI uri = new java.net.URI(url);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                return "expected an http or https URL, found scheme '" + uri.getScheme() + "'";
            }
            return uri.getHost() == null ? "no host in the URL" : null;
        } catch (java.net.URISyntaxException e) {
            return "not a URL (" + e.getReason() + " at index " + e.getIndex() + ")";
        }
    }
}
