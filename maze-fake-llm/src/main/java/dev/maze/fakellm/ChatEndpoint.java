package dev.maze.fakellm;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code POST /v1/chat/completions}: checks the request, decides the answer, draws a fault, then plays the answer out
 * on the latency model — wait for the model to load and for a slot, prefill, then one decode step per further token —
 * in one {@code chat.completion} or as server-sent {@code chat.completion.chunk}s.
 */
final class ChatEndpoint {

    /** Non-streaming answers sleep only once this far behind their schedule, to spare wake-ups. */
    private static final long BATCHED_SLEEP_NANOS = 2_000_000;

    private final ServerState state;

    ChatEndpoint(ServerState state) {
        this.state = state;
    }

    void handle(Context ctx) throws IOException {
        JsonNode body = Bodies.json(state, ctx);
        ChatRequest request = ChatRequest.parse(body);
        ServedModel model = state.model(request.model());
        ChatAnswer answer = ChatAnswer.of(request, state.config.seed(), state.config.contextTokens(),
                state.nextId("chatcmpl-"), System.currentTimeMillis() / 1000);
        Optional<FaultKind> fault = state.accept(model);
        boolean malformed = fault.isPresent() && fault.get() == FaultKind.MALFORMED;
        state.serve(ctx, model, fault, request.unloadAfter(), watch -> {
            if (request.stream()) {
                stream(ctx, model, request, answer, malformed, watch);
            } else {
                respond(ctx, model, answer, malformed);
            }
        });
    }

    private void respond(Context ctx, ServedModel model, ChatAnswer answer, boolean malformed)
            throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + state.latency.prefillNanos(answer.promptTokens(), model.running());
        Pacing.sleepUntil(deadline);
        long prefilled = deadline;
        for (int i = 1; i < answer.pieces().size(); i++) {
            deadline += state.latency.decodeStepNanos(model.running());
            if (deadline - System.nanoTime() > BATCHED_SLEEP_NANOS) {
                Pacing.sleepUntil(deadline);
            }
        }
        Pacing.sleepUntil(deadline);
        ctx.header("x-fake-llm-prefill-ms", millis(prefilled - start));
        ctx.header("x-fake-llm-decode-ms", millis(deadline - prefilled));
        String json = answer.completion().toString();
        ctx.status(200).contentType("application/json");
        if (malformed) {
            ctx.result(json.substring(0, json.length() / 2));
        } else {
            ctx.result(json);
            model.served.increment();
        }
    }

    private void stream(Context ctx, ServedModel model, ChatRequest request, ChatAnswer answer, boolean malformed,
            DisconnectWatcher.Watch watch) throws InterruptedException, IOException {
        long start = System.nanoTime();
        long deadline = start + state.latency.prefillNanos(answer.promptTokens(), model.running());
        Pacing.sleepUntil(deadline);
        ctx.header("x-fake-llm-prefill-ms", millis(deadline - start));
        ctx.status(200);
        ctx.res().setContentType("text/event-stream; charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        OutputStream out = ctx.res().getOutputStream();
        boolean usageField = request.includeUsage();
        int pieces = answer.pieces().size();
        int cutAt = malformed ? pieces / 2 : -1;
        send(out, answer.firstChunk(usageField).toString());
        for (int i = 0; i < pieces; i++) {
            if (i > 0) {
                deadline += state.latency.decodeStepNanos(model.running());
                Pacing.sleepUntil(deadline);
            }
            if (i == cutAt) {
                String chunk = answer.pieceChunk(i, usageField).toString();
                send(out, chunk.substring(0, chunk.length() / 2));
                return;
            }
            send(out, answer.pieceChunk(i, usageField).toString());
            if (watch.disconnected()) {
                throw new InterruptedException("the client went away");
            }
        }
        if (malformed) { // no piece to cut: cut the last chunk
            String chunk = answer.finishChunk(usageField).toString();
            send(out, chunk.substring(0, chunk.length() / 2));
            return;
        }
        send(out, answer.finishChunk(usageField).toString());
        if (request.includeUsage()) {
            send(out, answer.usageChunk().toString());
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        model.served.increment();
    }

    private static void send(OutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
    }
}
