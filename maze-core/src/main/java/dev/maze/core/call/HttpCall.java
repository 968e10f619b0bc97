package dev.maze.core.call;

import dev.maze.core.exec.Excerpt;
import dev.maze.core.exec.ExecutorSettings;
import dev.maze.core.exec.TaskExecutor;
import dev.maze.core.exec.TaskResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One HTTP request of an attempt, on a virtual thread, that can be aborted: how every call kind talks to a server.
 * The scheduler owns retries, so a call never retries itself; it classifies how it ended instead. Connection errors,
 * 408, 429 and 5xx are worth another attempt (with the server's {@code Retry-After}); any other non-2xx is not, since
 * the same request would fail the same way.
 *
 * <p>Why the JDK client and not a vendor SDK: an aborted request must really end (the server must see the
 * disconnect, and its slot be freed), the call must not retry on its own, and it must work with any base URL. The JDK
 * client does all three with {@code sendAsync(...).cancel(true)} and closing the body stream; the measurements are in
 * the maze-core README.
 */
final class HttpCall {

    static final double DEFAULT_MAX_RESPONSE_MB = 16;
    static final double DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

    private final HttpClient client;
    private final long maxResponseBytes;

    /**
     * Calls on a client of their own that follows redirects (as tools expect of URLs), gives up connecting after
     * {@code connectTimeoutSeconds} and refuses bodies above {@code maxResponseMb}. {@link #close()} releases it.
     */
    HttpCall(double maxResponseMb, double connectTimeoutSeconds) {
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofMillis(Math.round(connectTimeoutSeconds * 1000))).build();
        this.maxResponseBytes = Math.round(maxResponseMb * 1024 * 1024);
    }

    /** The settings every call kind takes: {@code maxResponseMb} (at most 1000) and {@code connectTimeoutSeconds}. */
    record Limits(double maxResponseMb, double connectTimeoutSeconds) {
        static Limits read(String kind, ExecutorSettings settings) {
            double maxResponseMb = settings.number("maxResponseMb", DEFAULT_MAX_RESPONSE_MB, 0.001);
            double connect = settings.number("connectTimeoutSeconds", DEFAULT_CONNECT_TIMEOUT_SECONDS, 0.001);
            if (maxResponseMb > 1000) {
                throw new IllegalArgumentException("executors." + kind + ".maxResponseMb: at most 1000 (responses are held "
                        + "in memory), found " + maxResponseMb);
            }
            return new Limits(maxResponseMb, connect);
        }
    }

    void close() {
        client.close();
    }

    /**
     * Sends {@code request} on {@code threads} and reports how it ended to {@code complete} exactly once, unless aborted:
     * what {@code onSuccess} makes of a 2xx body (it reads the stream itself, so it may consume server-sent events as
     * they come), else a {@link TaskResult.Failure}.
     *
     * @return a handle that aborts the request: the connection is closed, and nothing is reported
     */
    TaskExecutor.Execution send(HttpRequest request, ExecutorService threads, BodyReader onSuccess,
            Consumer<TaskResult> complete) {
        AtomicBoolean aborted = new AtomicBoolean();
        AtomicReference<InputStream> body = new AtomicReference<>();
        AtomicReference<CompletableFuture<?>> exchange = new AtomicReference<>();
        Future<?> work = threads.submit(() -> {
            TaskResult outcome;
            try {
                CompletableFuture<HttpResponse<InputStream>> pending =
                        client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
                exchange.set(pending);
                if (aborted.get()) {
                    pending.cancel(true);
                    return;
                }
                HttpResponse<InputStream> response = pending.get();
                try (InputStream in = response.body()) {
                    body.set(in);
                    if (aborted.get()) {
                        return;
                    }
                    int status = response.statusCode();
                    outcome = status / 100 == 2
                            ? onSuccess.read(in, response.headers().firstValue("content-type").orElse(""))
                            : failure(request, status, new String(readCapped(in), StandardCharsets.UTF_8),
                                    response.headers().firstValue("retry-after"));
                }
            } catch (ExecutionException e) {
                outcome = connectionFailure(request, e.getCause() == null ? e : e.getCause());
            } catch (InterruptedException | CancellationException e) {
                return; // aborted
            } catch (IOException e) {
                outcome = connectionFailure(request, e);
            } catch (RuntimeException e) {
                outcome = new TaskResult.Failure(describe(request) + " failed: " + e, false);
            }
            if (!aborted.get()) {
                complete.accept(outcome);
            }
        });
        return () -> {
            if (aborted.compareAndSet(false, true)) {
                CompletableFuture<?> pending = exchange.get();
                if (pending != null) {
                    pending.cancel(true);
                }
                InputStream in = body.get();
                if (in != null) {
                    try {
                        in.close(); // ends the connection: the server sees the client go
                    } catch (IOException ignored) {
                        // already closed
                    }
                }
                work.cancel(true);
            }
        };
    }

    /** Makes an attempt's result of a 2xx response body. */
    @FunctionalInterface
    interface BodyReader {
        TaskResult read(InputStream body, String contentType) throws IOException;
    }

    /** All of a body, refused beyond the cap (the attempt fails: another would fail the same way). */
    byte[] readCapped(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxResponseBytes + 1));
        if (bytes.length > maxResponseBytes) {
            throw new ResponseTooLarge(maxResponseBytes);
        }
        return bytes;
    }

    /** A response body beyond the cap: the attempt fails, and another would fail the same way. */
    static final class ResponseTooLarge extends IOException {
        ResponseTooLarge(long cap) {
            super("the response exceeded " + (cap / (1024 * 1024)) + " MB (maxResponseMb)");
        }
    }

    static TaskResult.Failure failure(HttpRequest request, int status, String body, Optional<String> retryAfter) {
        boolean retryable = status == 408 || status == 429 || status >= 500;
        String message = "HTTP " + status + " from " + describe(request) + (body.isBlank() ? "" : ": " + Excerpt.of(body.strip()));
        return new TaskResult.Failure(message, retryable, retryAfter.map(HttpCall::retryAfterSeconds).orElse(0.0));
    }

    private static TaskResult.Failure connectionFailure(HttpRequest request, Throwable cause) {
        if (cause instanceof ResponseTooLarge tooLarge) {
            return new TaskResult.Failure(describe(request) + ": " + tooLarge.getMessage(), false);
        }
        String why = cause instanceof ConnectException ? "cannot connect"
                : cause instanceof HttpTimeoutException ? "timed out connecting" : "connection failed";
        return new TaskResult.Failure(why + " to " + describe(request) + ": " + cause, true);
    }

    /**
     * Seconds a {@code Retry-After} value asks for: a number of seconds, or an HTTP date; 0 when unreadable (a
     * malformed header must not stop the retry).
     */
    static double retryAfterSeconds(String value) {
        String trimmed = value.trim();
        try {
            double seconds = Double.parseDouble(trimmed);
            return Double.isFinite(seconds) && seconds > 0 ? seconds : 0;
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
                return Math.max(0, Duration.between(ZonedDateTime.now(at.getZone()), at).toMillis() / 1000.0);
            } catch (DateTimeParseException notADate) {
                return 0;
            }
        }
    }

    /**
     * The request as messages show it: method and URL without its query or user info, which may hold credentials.
     */
    static String describe(HttpRequest request) {
        URI uri = request.uri();
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return request.method() + " " + uri.getScheme() + "://" + uri.getHost() + port + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
