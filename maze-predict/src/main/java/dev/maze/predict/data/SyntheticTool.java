package dev.maze.predict.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The built-in tool types as simulated workloads: how to draw one plausible input (its feature values)
 * and how long the tool takes on it before noise. The formulas are spelled out in
 * {@link DatasetGenerator}'s javadoc and MODELS.md; they are shaped after how LLM serving behaves
 * (prefill linear in input tokens, decoding linear in output tokens, output length that saturates,
 * batching that is sub-linear) rather than fitted to any measurement.
 */
enum SyntheticTool {
    LLM_PROCESS("llm_process", List.of("text_length", "token_count", "batch_size", "reason")) {
        @Override
        double sample(SplittableRandom random, double[] row) {
            double textLength = Math.rint(clamp(logNormal(random, 2000, 0.9), 20, 40_000));
            double tokens = tokensFor(random, textLength);
            double batchSize = random.nextInt(1, 17);
            double reason = random.nextDouble() < 0.3 ? 1 : 0;
            set(row, textLength, tokens, batchSize, reason);

            double outputTokens = reason == 1
                    ? 400 + 3600 * saturation(tokens, 2500)
                    : 60 + 640 * saturation(tokens, 1200);
            double perRequestSeconds = 0.2 + tokens / 6000 + outputTokens / 40;
            return perRequestSeconds * Math.pow(batchSize, 0.6);
        }
    },

    VLM_PROCESS(
            "vlm_process",
            List.of(
                    "image_height", "image_width", "image_area", "image_aspect_ratio", "batch_size",
                    "image_entropy", "edge_density", "text_area_ratio", "text_block_count",
                    "avg_brightness", "brightness_variance", "prompt_length", "prompt_token_count")) {
        private static final double[] ASPECT_RATIOS = {1.0, 4.0 / 3, 3.0 / 4, 16.0 / 9, 9.0 / 16, 3.0 / 2};

        @Override
        double sample(SplittableRandom random, double[] row) {
            double width = Math.rint(clamp(logNormal(random, 1024, 0.5), 64, 4096));
            double aspect = ASPECT_RATIOS[random.nextInt(ASPECT_RATIOS.length)] * Math.exp(0.03 * gaussian(random));
            double height = Math.rint(clamp(width / aspect, 64, 4096));
            double batchSize = random.nextInt(1, 9);
            boolean document = random.nextDouble() < 0.35;
            double textAreaRatio = document ? random.nextDouble(0.25, 0.85) : random.nextDouble(0, 0.08);
            double textBlocks = Math.rint(textAreaRatio * (document ? random.nextDouble(20, 60) : random.nextDouble(0, 30)));
            double entropy = clamp(document ? 4.5 + 0.6 * gaussian(random) : 7.0 + 0.5 * gaussian(random), 0.5, 7.99);
            double edgeDensity = clamp(0.02 + 0.03 * entropy + 0.25 * textAreaRatio + 0.03 * gaussian(random), 0, 1);
            double brightness = clamp(document ? 225 + 15 * gaussian(random) : 115 + 40 * gaussian(random), 0, 255);
            double brightnessVariance = clamp(document ? 2500 + 600 * gaussian(random) : 1800 + 700 * gaussian(random), 0, 16_256);
            double promptLength = Math.rint(clamp(logNormal(random, 250, 0.7), 10, 8000));
            double promptTokens = tokensFor(random, promptLength);
            set(row, height, width, height * width, width / height, batchSize, entropy, edgeDensity, textAreaRatio,
                    textBlocks, brightness, brightnessVariance, promptLength, promptTokens);

            // The encoder downsizes images above ~1 megapixel, so visual tokens stop growing there.
            double visualTokens = Math.min(height * width, 1_003_520) / 784;
            // Above a fifth of the image covered by text the model transcribes instead of describing.
            double outputTokens = textAreaRatio > 0.2
                    ? 120 + 20 * textBlocks + 600 * textAreaRatio
                    : 60 + 150 * edgeDensity + 0.1 * promptTokens;
            double perRequestSeconds = 0.3 + (visualTokens + promptTokens) / 5000 + outputTokens / 35;
            return perRequestSeconds * Math.pow(batchSize, 0.7);
        }
    },

    LLM_FUSE_2_IN_1(
            "llm_fuse2In1",
            List.of(
                    "prompt_length", "prompt_token_count", "text1_length", "text2_length",
                    "text1_token_count", "text2_token_count", "reason")) {
        @Override
        double sample(SplittableRandom random, double[] row) {
            double promptLength = Math.rint(clamp(logNormal(random, 400, 0.6), 20, 8000));
            double text1Length = Math.rint(clamp(logNormal(random, 3000, 0.9), 50, 60_000));
            double text2Length = Math.rint(clamp(logNormal(random, 3000, 0.9), 50, 60_000));
            double promptTokens = tokensFor(random, promptLength);
            double text1Tokens = tokensFor(random, text1Length);
            double text2Tokens = tokensFor(random, text2Length);
            double reason = random.nextDouble() < 0.3 ? 1 : 0;
            set(row, promptLength, promptTokens, text1Length, text2Length, text1Tokens, text2Tokens, reason);

            double inputTokens = promptTokens + text1Tokens + text2Tokens;
            double fusedTokens = 80 + 900 * saturation(text1Tokens + text2Tokens, 4000);
            // Reasoning about two texts of similar size takes longest: there is most to reconcile.
            double balance = Math.min(text1Tokens, text2Tokens) / Math.max(text1Tokens, text2Tokens);
            double outputTokens = reason == 1 ? fusedTokens * (2 + 2 * balance) : fusedTokens;
            double prefillSeconds = inputTokens / 6000 + 0.4 * square(inputTokens / 10_000); // attention is quadratic
            return 0.25 + prefillSeconds + outputTokens / 40;
        }
    },

    SPEECH_PROCESS("speech_process", List.of("duration", "audio_entropy", "audio_energy")) {
        @Override
        double sample(SplittableRandom random, double[] row) {
            double durationSeconds = Math.rint(10 * clamp(logNormal(random, 45, 1.0), 1, 1800)) / 10;
            boolean mostlySilent = random.nextDouble() < 0.15;
            double energy = mostlySilent ? random.nextDouble(0.001, 0.03) : random.nextDouble(0.03, 0.5);
            double entropy = clamp(mostlySilent ? 0.85 + 0.05 * gaussian(random) : 0.6 + 0.12 * gaussian(random), 0.05, 0.99);
            set(row, durationSeconds, entropy, energy);

            // Voice activity detection: below an energy of ~0.04 the audio is treated as silence.
            double speechFraction = 1 / (1 + Math.exp(-(energy - 0.04) / 0.008));
            double chunks = Math.ceil(durationSeconds / 30); // the encoder works on 30 s windows
            double transcriptTokens = durationSeconds * speechFraction * (2 + 4 * entropy);
            return 0.2 + 0.25 * chunks + transcriptTokens / 120;
        }
    };

    private final String id;
    private final List<String> features;

    SyntheticTool(String id, List<String> features) {
        this.id = id;
        this.features = features;
    }

    String id() {
        return id;
    }

    List<String> features() {
        return features;
    }

    /**
     * Draws one input into {@code row} (in {@link #features()} order) and returns the tool's execution
     * time on it in seconds, before noise.
     */
    abstract double sample(SplittableRandom random, double[] row);

    static void set(double[] row, double... values) {
        System.arraycopy(values, 0, row, 0, values.length);
    }

    /** Tokens for a text of {@code characters}: about four characters a token, varying ±12% by text. */
    static double tokensFor(SplittableRandom random, double characters) {
        return Math.max(1, Math.rint(characters / (4 * Math.exp(0.12 * gaussian(random)))));
    }

    /** 1 − e^(−x/scale): grows linearly for small {@code x}, levels off at 1 beyond a few {@code scale}s. */
    static double saturation(double x, double scale) {
        return 1 - Math.exp(-x / scale);
    }

    static double logNormal(SplittableRandom random, double median, double sigma) {
        return median * Math.exp(sigma * gaussian(random));
    }

    static double gaussian(SplittableRandom random) {
        return random.nextGaussian();
    }

    static double clamp(double value, double low, double high) {
        return Math.max(low, Math.min(high, value));
    }

    static double square(double value) {
        return value * value;
    }
}
