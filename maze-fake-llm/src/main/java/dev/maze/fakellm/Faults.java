package dev.maze.fakellm;

import io.javalin.http.Context;
import java.util.Optional;

/** The injected faults that do not play out on the latency model: 500 and 429 at once, and a hang. */
final class Faults {

    private Faults() {}

    /**
     * Answers a 500 or 429 fault.
     *
     * @return whether the request has been answered
     */
    static boolean answeredAtOnce(ServerState state, Context ctx, Optional<FaultKind> fault) {
        if (fault.isEmpty()) {
            return false;
        }
        switch (fault.get()) {
            case SERVER_ERROR -> Bodies.error(ctx, new ApiError(500, "server_error", null, "injected_fault",
                    "The server had an error while processing your request (a fault injected by maze fake-llm)."));
            case RATE_LIMITED -> {
                ctx.header("Retry-After", Integer.toString(state.config.retryAfterSeconds()));
                Bodies.error(ctx, new ApiError(429, "rate_limit_error", null, "rate_limit_exceeded",
                        "Rate limit reached; retry after " + state.config.retryAfterSeconds()
                                + " s (a fault injected by maze fake-llm)."));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Never answers: returns once the client has gone away (or the server closes). */
    static void hang(ServerState state, ServedModel model, DisconnectWatcher.Watch watch) throws InterruptedException {
        watch.awaitDisconnect();
        state.disconnected(model);
    }
}
