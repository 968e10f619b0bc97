package dev.maze.cli;

import dev.maze.fakellm.FakeLlmConfig;
import dev.maze.fakellm.FakeLlmServer;
import dev.maze.fakellm.FaultPlan;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code maze fake-llm}: runs the OpenAI-compatible fake model server of maze-fake-llm until stopped (Ctrl-C, a
 * signal, or an interrupt of the calling thread when run in-process). Every value is checked before it starts; a bad
 * one is a usage error (exit 2) naming its flag.
 */
@Command(name = "fake-llm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve an OpenAI-compatible fake model (/v1/models, /v1/chat/completions, "
                + "/v1/audio/transcriptions; stats at /fake/stats) for machines without a GPU: deterministic text, "
                + "o200k token counts, latencies from prefill and decode that slow down with the batch, optional "
                + "on-demand loading and injected faults. Runs until stopped.",
                "Prints 'fake-llm listening on http://HOST:PORT/v1' on stdout once it accepts connections."},
        footer = {"", "Exit codes: 1 it could not listen (e.g. the port is in use), 2 invalid option; "
                + "130 when Ctrl-C stops it."})
final class FakeLlmCommand implements Callable<Integer> {

    @Option(names = "--models", required = true, split = ",", paramLabel = "MODEL",
            description = "Model names to serve, comma-separated (e.g. qwen3-32b,qwen2.5-vl-32b,whisper-large-v3).")
    List<String> models;

    @Option(names = "--port", defaultValue = "8000", paramLabel = "PORT",
            description = "TCP port; 0 picks a free one (printed on start). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address to bind (0.0.0.0 for every interface). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--prefill-ms-per-token", defaultValue = "" + FakeLlmConfig.Builder.DEFAULT_PREFILL_MS_PER_TOKEN,
            paramLabel = "MS", description = "Time to first token per prompt token, ms. Default: ${DEFAULT-VALUE}.")
    double prefillMillisPerToken;

    @Option(names = "--decode-ms-per-token", defaultValue = "" + FakeLlmConfig.Builder.DEFAULT_DECODE_MS_PER_TOKEN,
            paramLabel = "MS", description = "Time per further output token with the model alone, ms. "
                    + "Default: ${DEFAULT-VALUE}.")
    double decodeMillisPerToken;

    @Option(names = "--batch-slowdown", defaultValue = "" + FakeLlmConfig.Builder.DEFAULT_BATCH_SLOWDOWN,
            paramLabel = "K", description = "k in the slowdown 1 + k x (requests running - 1) of prefill and decode. "
                    + "Default: ${DEFAULT-VALUE}.")
    double batchSlowdown;

    @Option(names = "--max-concurrency", defaultValue = "" + FakeLlmConfig.Builder.DEFAULT_MAX_CONCURRENCY,
            paramLabel = "N", description = "Requests of one model running at once; more wait first come, first "
                    + "served. Default: ${DEFAULT-VALUE}.")
    int maxConcurrency;

    @Option(names = "--on-demand", description = "Load a model on its first request and evict the least recently "
            + "used idle one beyond --max-resident (Ollama-style); without it every model is always loaded.")
    boolean onDemand;

    @Option(names = "--max-resident", defaultValue = "" + FakeLlmConfig.Builder.DEFAULT_MAX_RESIDENT,
            paramLabel = "N", description = "With --on-demand: models loaded at once. Default: ${DEFAULT-VALUE}.")
    int maxResident;

    @Option(names = "--load-seconds", defaultValue = "" + FakeLlmConfig.Builder.DEFAULT_LOAD_SECONDS,
            paramLabel = "S", description = "With --on-demand: seconds to load a model. Default: ${DEFAULT-VALUE}.")
    double loadSeconds;

    @Option(names = "--faults", defaultValue = "", paramLabel = "KIND:P,...",
            description = "Injected faults with their probabilities (summing to at most 1), drawn per request in "
                    + "arrival order: 500, 429, hang, malformed; e.g. 500:0.05,429:0.05,hang:0.01,malformed:0.01.")
    String faults;

    @Option(names = "--retry-after", defaultValue = "" + FakeLlmConfig.Builder.DEFAULT_RETRY_AFTER_SECONDS,
            paramLabel = "S", description = "Retry-After header of an injected 429, seconds. Default: ${DEFAULT-VALUE}.")
    int retryAfterSeconds;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of the fault draws and of the text of requests without a seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--time-scale", defaultValue = "1", paramLabel = "X",
            description = "Multiplies every delay (0.01: 100 times faster; 0: no delay). Default: ${DEFAULT-VALUE}.")
    double timeScale;

    @Option(names = "--audio-ms-per-second", defaultValue = "" + FakeLlmConfig.Builder.DEFAULT_AUDIO_MS_PER_SECOND,
            paramLabel = "MS", description = "Transcription time per second of audio, ms. Default: ${DEFAULT-VALUE}.")
    double audioMillisPerSecond;

    @Option(names = "--context-tokens", defaultValue = "" + FakeLlmConfig.Builder.DEFAULT_CONTEXT_TOKENS,
            paramLabel = "N", description = "Context window: prompt + max_tokens beyond it is a 400. "
                    + "Default: ${DEFAULT-VALUE}.")
    int contextTokens;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        FakeLlmConfig config = config();
        FakeLlmServer server = FakeLlmServer.start(config);
        Thread onSignal = new Thread(server::close, "fake-llm-shutdown");
        Runtime.getRuntime().addShutdownHook(onSignal);
        PrintWriter out = spec.commandLine().getOut();
        out.println("fake-llm listening on " + server.baseUrl());
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        err.println("fake-llm: serving " + String.join(", ", config.models()) + (config.onDemand() ? " on demand" : "")
                + "; stats at " + server.baseUrl().resolve("/fake/stats") + "; Ctrl-C stops it");
        err.flush();
        boolean interrupted = false;
        try {
            new CountDownLatch(1).await(); // until interrupted; a signal ends the JVM through the shutdown hook
        } catch (InterruptedException e) {
            interrupted = true; // restored once the server is closed: Jetty's stop would fail on an interrupted thread
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: it closes the server
            }
            server.close();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return 0;
    }

    /** The checked configuration; a bad value is a usage error naming its flag. */
    FakeLlmConfig config() {
        CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
        if (!onDemand) {
            for (String flag : List.of("--max-resident", "--load-seconds")) {
                if (parsed.hasMatchedOption(flag)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), flag + " needs --on-demand (without "
                            + "it every model is always loaded)");
                }
            }
        }
        try {
            return FakeLlmConfig.builder().models(models).host(host).port(port)
                    .prefillMillisPerToken(prefillMillisPerToken).decodeMillisPerToken(decodeMillisPerToken)
                    .batchSlowdown(batchSlowdown).maxConcurrency(maxConcurrency).onDemand(onDemand)
                    .maxResident(maxResident).loadSeconds(loadSeconds).faults(FaultPlan.parse(faults))
                    .retryAfterSeconds(retryAfterSeconds).seed(seed).timeScale(timeScale)
                    .audioMillisPerSecond(audioMillisPerSecond).contextTokens(contextTokens).build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
