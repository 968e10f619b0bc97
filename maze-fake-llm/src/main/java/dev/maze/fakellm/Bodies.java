package dev.maze.fakellm;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

/** Reading JSON request bodies and writing OpenAI-style error bodies. */
final class Bodies {

    private Bodies() {}

    /**
     * The request body as JSON.
     *
     * @throws ApiError a 400 when it is not JSON
     */
    static JsonNode json(ServerState state, Context ctx) {
        byte[] bytes = ctx.bodyAsBytes();
        try {
            JsonNode node = state.json.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw ApiError.invalid(null, "The request body is empty; send a JSON object.");
            }
            return node;
        } catch (JacksonException e) {
            throw new ApiError(400, "invalid_request_error", null, "invalid_json",
                    "We could not parse the JSON body of your request: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void error(Context ctx, ApiError error) {
        ctx.status(error.status()).contentType("application/json").result(error.body().toString());
    }
}
