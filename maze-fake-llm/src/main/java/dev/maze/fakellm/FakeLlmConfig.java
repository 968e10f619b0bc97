package dev.maze.fakellm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a {@link FakeLlmServer} serves and how it behaves. Build one with {@link #builder()}; every value is checked by
 * {@link Builder#build()}, whose {@link IllegalArgumentException} names the {@code maze fake-llm} flag that sets it
 * (so the CLI can report it as a usage error). The formulas behind the timing values are in maze-fake-llm/README.md.
 *
 * @param models the model names served (at least one, distinct; letters, digits and {@code . _ : / -})
 * @param host the address to bind, {@code 127.0.0.1} by default
 * @param port the TCP port; 0 picks a free one (the default of the Java API; the CLI's default is 8000)
 * @param prefillMillisPerToken model time to read one prompt token, in milliseconds (time to first token =
 *     this × prompt tokens × the batch slowdown)
 * @param decodeMillisPerToken model time to produce one output token after the first, in milliseconds, before the
 *     batch slowdown
 * @param batchSlowdown k in the slowdown factor {@code 1 + k × (running − 1)} that multiplies prefill and decode
 *     times while {@code running} requests of the same model share its batch; 0 means no slowdown
 * @param maxConcurrency requests of one model that run at once; more wait in a first-come-first-served queue
 * @param onDemand load models on first use (Ollama-style) instead of keeping every model loaded (a vLLM replica)
 * @param maxResident with {@code onDemand}: how many models may be loaded at once
 * @param loadSeconds with {@code onDemand}: how long loading a model takes, in model seconds
 * @param faults the faults injected into answers
 * @param retryAfterSeconds the {@code Retry-After} header of an injected 429, in whole seconds (not time-scaled: it is
 *     what a client reads)
 * @param seed the seed of the fault draws and of the completion text when a request names no {@code seed}
 * @param timeScale multiplies every delay (model time to wall time): 1 is real time, 0.01 is 100× faster, 0 no delay
 * @param audioMillisPerSecond model time to transcribe one second of audio, in milliseconds, before the batch slowdown
 * @param contextTokens the context window: prompt tokens + max_tokens beyond it are refused with a 400, as vLLM does
 */
public record FakeLlmConfig(
        List<String> models,
        String host,
        int port,
        double prefillMillisPerToken,
        double decodeMillisPerToken,
        double batchSlowdown,
        int maxConcurrency,
        boolean onDemand,
        int maxResident,
        double loadSeconds,
        FaultPlan faults,
        int retryAfterSeconds,
        long seed,
        double timeScale,
        double audioMillisPerSecond,
        int contextTokens) {

    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]*");

    /** The values as given; use {@link #builder()} to have them checked. */
    public FakeLlmConfig {
        models = List.copyOf(models);
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(faults, "faults");
    }

    /** A builder with the defaults of {@code maze fake-llm}, except port 0 (a free port). */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from this configuration's values. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.models = new ArrayList<>(models);
        builder.host = host;
        builder.port = port;
        builder.prefillMillisPerToken = prefillMillisPerToken;
        builder.decodeMillisPerToken = decodeMillisPerToken;
        builder.batchSlowdown = batchSlowdown;
        builder.maxConcurrency = maxConcurrency;
        builder.onDemand = onDemand;
        builder.maxResident = maxResident;
        builder.loadSeconds = loadSeconds;
        builder.faults = faults;
        builder.retryAfterSeconds = retryAfterSeconds;
        builder.seed = seed;
        builder.timeScale = timeScale;
        builder.audioMillisPerSecond = audioMillisPerSecond;
        builder.contextTokens = contextTokens;
        return builder;
    }

    /** Builds a checked {@link FakeLlmConfig}; each setter's flag is named in its Javadoc. */
    public static final class Builder {
        /** Default of {@code --prefill-ms-per-token}. */
        public static final double DEFAULT_PREFILL_MS_PER_TOKEN = 0.2;
        /** Default of {@code --decode-ms-per-token}. */
        public static final double DEFAULT_DECODE_MS_PER_TOKEN = 25;
        /** Default of {@code --batch-slowdown}. */
        public static final double DEFAULT_BATCH_SLOWDOWN = 0.1;
        /** Default of {@code --max-concurrency}. */
        public static final int DEFAULT_MAX_CONCURRENCY = 8;
        /** Default of {@code --max-resident}. */
        public static final int DEFAULT_MAX_RESIDENT = 1;
        /** Default of {@code --load-seconds}. */
        public static final double DEFAULT_LOAD_SECONDS = 30;
        /** Default of {@code --retry-after}. */
        public static final int DEFAULT_RETRY_AFTER_SECONDS = 1;
        /** Default of {@code --audio-ms-per-second}. */
        public static final double DEFAULT_AUDIO_MS_PER_SECOND = 50;
        /** Default of {@code --context-tokens}. */
        public static final int DEFAULT_CONTEXT_TOKENS = 32_768;

        private List<String> models = new ArrayList<>();
        private String host = "127.0.0.1";
        private int port = 0;
        private double prefillMillisPerToken = DEFAULT_PREFILL_MS_PER_TOKEN;
        private double decodeMillisPerToken = DEFAULT_DECODE_MS_PER_TOKEN;
        private double batchSlowdown = DEFAULT_BATCH_SLOWDOWN;
        private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
        private boolean onDemand;
        private int maxResident = DEFAULT_MAX_RESIDENT;
        private double loadSeconds = DEFAULT_LOAD_SECONDS;
        private FaultPlan faults = FaultPlan.NONE;
        private int retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS;
        private long seed;
        private double timeScale = 1;
        private double audioMillisPerSecond = DEFAULT_AUDIO_MS_PER_SECOND;
        private int contextTokens = DEFAULT_CONTEXT_TOKENS;

        private Builder() {}

        /** {@code --models}: the model names served. */
        public Builder models(List<String> models) {
            this.models = new ArrayList<>(models);
            return this;
        }

        /** {@code --models}: the model names served. */
        public Builder models(String... models) {
            return models(List.of(models));
        }

        /** {@code --host}: the address to bind. */
        public Builder host(String host) {
            this.host = host;
            return this;
        }

        /** {@code --port}: the TCP port, 0 for a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** {@code --prefill-ms-per-token}, in milliseconds. */
        public Builder prefillMillisPerToken(double millis) {
            this.prefillMillisPerToken = millis;
            return this;
        }

        /** {@code --decode-ms-per-token}, in milliseconds. */
        public Builder decodeMillisPerToken(double millis) {
            this.decodeMillisPerToken = millis;
            return this;
        }

        /** {@code --batch-slowdown}: k in {@code 1 + k × (running − 1)}. */
        public Builder batchSlowdown(double k) {
            this.batchSlowdown = k;
            return this;
        }

        /** {@code --max-concurrency}: requests of one model running at once. */
        public Builder maxConcurrency(int requests) {
            this.maxConcurrency = requests;
            return this;
        }

        /** {@code --on-demand}: load models on first use, evicting the least recently used. */
        public Builder onDemand(boolean onDemand) {
            this.onDemand = onDemand;
            return this;
        }

        /** {@code --max-resident}: models loaded at once (with on-demand loading). */
        public Builder maxResident(int models) {
            this.maxResident = models;
            return this;
        }

        /** {@code --load-seconds}: model seconds to load a model (with on-demand loading). */
        public Builder loadSeconds(double seconds) {
            this.loadSeconds = seconds;
            return this;
        }

        /** {@code --faults}: the faults injected. */
        public Builder faults(FaultPlan faults) {
            this.faults = Objects.requireNonNull(faults, "faults");
            return this;
        }

        /** {@code --retry-after}: seconds in the {@code Retry-After} header of an injected 429. */
        public Builder retryAfterSeconds(int seconds) {
            this.retryAfterSeconds = seconds;
            return this;
        }

        /** {@code --seed}: the seed of fault draws and of text for requests without their own seed. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** {@code --time-scale}: multiplies every delay. */
        public Builder timeScale(double scale) {
            this.timeScale = scale;
            return this;
        }

        /** {@code --audio-ms-per-second}: model milliseconds to transcribe one second of audio. */
        public Builder audioMillisPerSecond(double millis) {
            this.audioMillisPerSecond = millis;
            return this;
        }

        /** {@code --context-tokens}: the context window in tokens. */
        public Builder contextTokens(int tokens) {
            this.contextTokens = tokens;
            return this;
        }

        /**
         * Checks every value.
         *
         * @throws IllegalArgumentException naming the flag and the value, e.g. {@code --max-concurrency: must be at
         *     least 1, not 0}
         */
        public FakeLlmConfig build() {
            if (models.isEmpty()) {
                throw new IllegalArgumentException("--models: name at least one model");
            }
            for (String model : models) {
                if (model == null || !MODEL_NAME.matcher(model).matches()) {
                    throw new IllegalArgumentException("--models: '" + model + "' is not a model name (letters, digits "
                            + "and . _ : / -, starting with a letter or digit)");
                }
            }
            if (new LinkedHashSet<>(models).size() != models.size()) {
                throw new IllegalArgumentException("--models: " + models + " names a model twice");
            }
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("--host: must not be empty");
            }
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("--port: must be 0 (a free port) to 65535, not " + port);
            }
            nonNegative("--prefill-ms-per-token", prefillMillisPerToken);
            nonNegative("--decode-ms-per-token", decodeMillisPerToken);
            nonNegative("--batch-slowdown", batchSlowdown);
            nonNegative("--time-scale", timeScale);
            nonNegative("--audio-ms-per-second", audioMillisPerSecond);
            nonNegative("--load-seconds", loadSeconds);
            atLeastOne("--max-concurrency", maxConcurrency);
            atLeastOne("--max-resident", maxResident);
            atLeastOne("--retry-after", retryAfterSeconds);
            if (contextTokens < 16) {
                throw new IllegalArgumentException("--context-tokens: must be at least 16, not " + contextTokens);
            }
            return new FakeLlmConfig(models, host, port, prefillMillisPerToken, decodeMillisPerToken, batchSlowdown,
                    maxConcurrency, onDemand, maxResident, loadSeconds, faults, retryAfterSeconds, seed, timeScale,
                    audioMillisPerSecond, contextTokens);
        }

        private static void nonNegative(String flag, double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException(flag + ": must be a finite number >= 0, not " + value);
            }
        }

        private static void atLeastOne(String flag, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(flag + ": must be at least 1, not " + value);
            }
        }
    }
}
