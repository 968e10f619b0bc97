package dev.maze.predict.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DatasetGeneratorTest {
    static List<String> toolTypes() {
        return DatasetGenerator.toolTypes();
    }

    @Test
    void eachToolTypeHasItsDocumentedColumnsInOrder() {
        assertThat(DatasetGenerator.toolTypes())
                .containsExactly("llm_process", "vlm_process", "llm_fuse2In1", "speech_process");
        assertThat(DatasetGenerator.features("llm_process"))
                .containsExactly("text_length", "token_count", "batch_size", "reason");
        assertThat(DatasetGenerator.features("vlm_process")).containsExactly(
                "image_height", "image_width", "image_area", "image_aspect_ratio", "batch_size", "image_entropy",
                "edge_density", "text_area_ratio", "text_block_count", "avg_brightness", "brightness_variance",
                "prompt_length", "prompt_token_count");
        assertThat(DatasetGenerator.features("llm_fuse2In1")).containsExactly(
                "prompt_length", "prompt_token_count", "text1_length", "text2_length", "text1_token_count",
                "text2_token_count", "reason");
        assertThat(DatasetGenerator.features("speech_process"))
                .containsExactly("duration", "audio_entropy", "audio_energy");
    }

    @Test
    void anUnknownToolTypeListsTheKnownOnes() {
        assertThatThrownBy(() -> DatasetGenerator.generate("ocr", 10, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown tool type 'ocr'; known tool types: llm_process, vlm_process, llm_fuse2In1, speech_process");
    }

    @ParameterizedTest
    @MethodSource("toolTypes")
    void theSameSeedGivesTheSameDataAndAnotherSeedOtherData(String toolType) {
        Dataset data = DatasetGenerator.generate(toolType, 300, 11);

        assertThat(DatasetGenerator.generate(toolType, 300, 11)).isEqualTo(data);
        assertThat(DatasetGenerator.generate(toolType, 300, 12)).isNotEqualTo(data);
        assertThat(data.featureNames()).isEqualTo(DatasetGenerator.features(toolType));
        assertThat(data.firstMissingValue()).isEmpty();
        assertThat(Arrays.stream(data.targets()).min().orElseThrow()).isPositive();
    }

    @ParameterizedTest
    @MethodSource("toolTypes")
    void noiseIsMultiplicativeLogNormalOfAboutTenPercent(String toolType) {
        Dataset noisy = DatasetGenerator.generate(toolType, 5000, 3);
        Dataset exact = DatasetGenerator.generate(toolType, 5000, 3, 0);

        assertThat(noisy.rows()).isDeepEqualTo(exact.rows());
        double sum = 0;
        double sumOfSquares = 0;
        for (int i = 0; i < noisy.size(); i++) {
            double logRatio = Math.log(noisy.target(i) / exact.target(i));
            sum += logRatio;
            sumOfSquares += logRatio * logRatio;
        }
        double mean = sum / noisy.size();
        assertThat(mean).isCloseTo(0, within(0.01));
        assertThat(Math.sqrt(sumOfSquares / noisy.size() - mean * mean)).isCloseTo(DatasetGenerator.NOISE_SIGMA, within(0.005));
    }

    @Test
    void llmProcessFollowsItsDocumentedFunction() {
        checkDocumentedFunction("llm_process", f -> {
            double tokens = f[1];
            double out = f[3] == 1 ? 400 + 3600 * s(tokens, 2500) : 60 + 640 * s(tokens, 1200);
            return (0.2 + tokens / 6000 + out / 40) * Math.pow(f[2], 0.6);
        });
    }

    @Test
    void vlmProcessFollowsItsDocumentedFunction() {
        checkDocumentedFunction("vlm_process", f -> {
            double visualTokens = Math.min(f[2], 1_003_520) / 784;
            double out = f[7] > 0.2 ? 120 + 20 * f[8] + 600 * f[7] : 60 + 150 * f[6] + 0.1 * f[12];
            return (0.3 + (visualTokens + f[12]) / 5000 + out / 35) * Math.pow(f[4], 0.7);
        });
    }

    @Test
    void llmFuseFollowsItsDocumentedFunction() {
        checkDocumentedFunction("llm_fuse2In1", f -> {
            double in = f[1] + f[4] + f[5];
            double fused = 80 + 900 * s(f[4] + f[5], 4000);
            double out = f[6] == 1 ? fused * (2 + 2 * Math.min(f[4], f[5]) / Math.max(f[4], f[5])) : fused;
            return 0.25 + in / 6000 + 0.4 * (in / 10_000) * (in / 10_000) + out / 40;
        });
    }

    @Test
    void speechProcessFollowsItsDocumentedFunction() {
        checkDocumentedFunction("speech_process", f -> {
            double speechFraction = 1 / (1 + Math.exp(-(f[2] - 0.04) / 0.008));
            return 0.2 + 0.25 * Math.ceil(f[0] / 30) + f[0] * speechFraction * (2 + 4 * f[1]) / 120;
        });
    }

    @Test
    void featuresAreInternallyConsistent() {
        Dataset llm = DatasetGenerator.generate("llm_process", 2000, 5);
        double charactersPerToken = 0;
        for (int i = 0; i < llm.size(); i++) {
            double[] f = llm.row(i);
            charactersPerToken += f[0] / f[1];
            assertThat(f[2]).isBetween(1.0, 16.0).isEqualTo(Math.rint(f[2]));
            assertThat(f[3]).isIn(0.0, 1.0);
        }
        assertThat(charactersPerToken / llm.size()).isCloseTo(4, within(0.2));

        Dataset vlm = DatasetGenerator.generate("vlm_process", 2000, 5);
        for (int i = 0; i < vlm.size(); i++) {
            double[] f = vlm.row(i);
            assertThat(f[2]).isEqualTo(f[0] * f[1]);
            assertThat(f[3]).isEqualTo(f[1] / f[0]);
            assertThat(f[5]).isBetween(0.0, 8.0);
            assertThat(f[6]).isBetween(0.0, 1.0);
            assertThat(f[7]).isBetween(0.0, 1.0);
            assertThat(f[9]).isBetween(0.0, 255.0);
        }

        Dataset speech = DatasetGenerator.generate("speech_process", 2000, 5);
        for (int i = 0; i < speech.size(); i++) {
            assertThat(speech.row(i)[0]).isBetween(1.0, 1800.0);
        }
    }

    private static double s(double x, double scale) {
        return 1 - Math.exp(-x / scale);
    }

    /** The generator's noiseless times equal the formula written in its javadoc and MODELS.md. */
    private static void checkDocumentedFunction(String toolType, ToDoubleFunction<double[]> documented) {
        Dataset exact = DatasetGenerator.generate(toolType, 2000, 9, 0);
        for (int i = 0; i < exact.size(); i++) {
            assertThat(exact.target(i)).as("row %d", i).isCloseTo(documented.applyAsDouble(exact.row(i)), within(1e-9 * exact.target(i)));
        }
    }
}
