package dev.maze.predict.data;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded synthetic execution-time data for the built-in tool types, for tests and benchmarks of the
 * regressors before real measurements exist. The same tool type, row count and seed always give the same
 * data set.
 *
 * <p>Each row is an input drawn from plausible distributions (texts with log-normal lengths and about
 * four characters a token, images with common aspect ratios, documents versus photos, speech versus
 * silence) and its execution time in seconds: a deterministic function of the features times
 * multiplicative log-normal noise {@code exp(0.1·z)}, z standard normal (about ±10%, as repeated runs of
 * one request vary). The functions are deliberately non-linear (saturation, thresholds, products), as real
 * tools are; with s(x, c) = 1 − e^(−x/c):
 *
 * <ul>
 *   <li>{@code llm_process} (text_length, token_count, batch_size, reason): output tokens
 *       {@code out = reason ? 400 + 3600·s(tokens, 2500) : 60 + 640·s(tokens, 1200)};
 *       {@code t = (0.2 + tokens/6000 + out/40) · batch_size^0.6}.
 *   <li>{@code vlm_process} (13 image and prompt features): visual tokens
 *       {@code v = min(area, 1003520)/784} (the encoder downsizes large images); output tokens
 *       {@code out = text_area_ratio > 0.2 ? 120 + 20·text_block_count + 600·text_area_ratio
 *       : 60 + 150·edge_density + 0.1·prompt_token_count};
 *       {@code t = (0.3 + (v + prompt_token_count)/5000 + out/35) · batch_size^0.7}. Brightness, entropy and
 *       aspect ratio only act through their correlation with the other features.
 *   <li>{@code llm_fuse2In1} (prompt and two texts, reason): {@code in = prompt + text1 + text2 tokens};
 *       {@code fused = 80 + 900·s(text1 + text2 tokens, 4000)};
 *       {@code out = reason ? fused·(2 + 2·min/max of the two token counts) : fused};
 *       {@code t = 0.25 + in/6000 + 0.4·(in/10000)² + out/40}.
 *   <li>{@code speech_process} (duration, audio_entropy, audio_energy): speech fraction
 *       {@code f = 1/(1 + e^(−(energy − 0.04)/0.008))} (voice activity threshold);
 *       {@code t = 0.2 + 0.25·ceil(duration/30) + duration·f·(2 + 4·entropy)/120}.
 * </ul>
 */
public final class DatasetGenerator {
    /** Standard deviation of the log of the multiplicative noise on every execution time. */
    public static final double NOISE_SIGMA = 0.1;

    private static final List<String> TOOL_TYPES =
            Arrays.stream(SyntheticTool.values()).map(SyntheticTool::id).toList();

    private DatasetGenerator() {}

    /** The tool types this generator knows, in a fixed order. */
    public static List<String> toolTypes() {
        return TOOL_TYPES;
    }

    /** The feature columns of {@code toolType}, in the order of generated rows. */
    public static List<String> features(String toolType) {
        return tool(toolType).features();
    }

    /**
     * {@code rows} synthetic executions of {@code toolType}, reproducible from {@code seed}.
     *
     * @throws IllegalArgumentException for an unknown tool type (the message lists the known ones) or a
     *     negative row count
     */
    public static Dataset generate(String toolType, int rows, long seed) {
        return generate(toolType, rows, seed, NOISE_SIGMA);
    }

    /**
     * As {@link #generate(String, int, long)} with the noise's log standard deviation given: with 0 the
     * targets are the generating functions themselves, on the same inputs as with any other value.
     */
    static Dataset generate(String toolType, int rows, long seed, double noiseSigma) {
        SyntheticTool tool = tool(toolType);
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be at least 0, got " + rows);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[][] features = new double[rows][];
        double[] seconds = new double[rows];
        for (int i = 0; i < rows; i++) {
            features[i] = new double[tool.features().size()];
            double noiseless = tool.sample(random, features[i]);
            seconds[i] = noiseless * Math.exp(noiseSigma * random.nextGaussian());
        }
        return Dataset.of(tool.features(), features, seconds);
    }

    private static SyntheticTool tool(String toolType) {
        for (SyntheticTool tool : SyntheticTool.values()) {
            if (tool.id().equals(toolType)) {
                return tool;
            }
        }
        throw new IllegalArgumentException(
                "unknown tool type '" + toolType + "'; known tool types: " + String.join(", ", TOOL_TYPES));
    }
}
