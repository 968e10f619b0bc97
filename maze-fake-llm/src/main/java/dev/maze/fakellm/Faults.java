package dev.maze.fakellm;

import io.javalin.http.Context;
import java.util.Optional;

/** What the endpoints do alike: the faults answered at once, a hung answer, timing headers, an ended request. */
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

    static void timingHeaders(Context ctx, ServedModel.Admission admission) {
        ctx.header("x-fake-llm-load-ms", ChatEndpoint.millis(admission.loadNanos()));
        ctx.header("x-fake-llm-queue-ms", ChatEndpoint.millis(admission.queueNanos()));
    }

    /**
     * A request ended early: the client went away (the watch interrupted its thread, or a write failed), which is
     * counted; or the server is closing, which is answered with a 503 when nothing was sent yet.
     */
    static void interrupted(ServerState state, Context ctx, ServedModel model, DisconnectWatcher.Watch watch,
            Exception cause) {
        if (watch.disconnected() || cause instanceof java.io.IOException) {
            if (!watch.disconnected()) {
                watch.markDisconnected();
            }
            state.disconnected(model);
        } else if (!ctx.res().isCommitted()) {
            Bodies.error(ctx, new ApiError(503, "server_error", null, "shutting_down", "The server is shutting down."));
        }
    }
}
