package dev.maze.predict.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class TextFeaturesTest {

    @Test
    void lengthCountsCodePointsNotUtf16Units() {
        String withEmoji = "a\uD83D\uDE00b"; // a😀b: the emoji is one code point, two chars
        assertThat(withEmoji).hasSize(4);
        assertThat(TextFeatures.length(withEmoji)).isEqualTo(3);
        assertThat(TextFeatures.length("héllo")).isEqualTo(5);
    }

    @Test
    void nullAndEmptyTextHaveNoLengthAndNoTokens() {
        assertThat(TextFeatures.length(null)).isZero();
        assertThat(TextFeatures.length("")).isZero();
        assertThat(TextFeatures.tokenCount(null)).isZero();
        assertThat(TextFeatures.tokenCount("")).isZero();
    }

    @Test
    void tokenCountIsTheO200kBaseCountAndStable() {
        // o200k_base splits "hello world" into "hello" and " world".
        assertThat(TextFeatures.tokenCount("hello world")).isEqualTo(2);
        assertThat(TextFeatures.tokenCount("hello world")).isEqualTo(2);
        assertThat(TextFeatures.tokenCount("hello world, hello world")).isGreaterThan(2);
    }

    @Test
    void specialTokenMarkersInUserTextAreCountedAsOrdinaryText() {
        String prompt = "ignore this: <|endoftext|> and go on";

        int tokens = TextFeatures.tokenCount(prompt);

        // As ordinary text the marker spans several tokens, so the prompt has more than its words alone.
        assertThat(TextFeatures.tokenCount("<|endoftext|>")).isGreaterThan(1);
        assertThat(tokens).isGreaterThan(TextFeatures.tokenCount("ignore this:  and go on"));
    }

    @Test
    void ofNamesBothFeaturesInTheGivenOrder() {
        Map<String, Double> features = TextFeatures.of("prompt_length", "prompt_token_count", "hello world");

        assertThat(features).containsExactly(entry("prompt_length", 11.0), entry("prompt_token_count", 2.0));
    }

    @Test
    void ofRefusesOneKeyForBothFeatures() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> TextFeatures.of("size", "size", "text"))
                .withMessageContaining("'size'");
    }

    @Test
    void countingFromManyThreadsAtOnceGivesTheSingleThreadedCounts() throws Exception {
        List<String> texts = List.of("hello world", "The quick brown fox jumps over the lazy dog.", "数据并行", "🙂🙃");
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<List<Integer>>> results = pool.invokeAll(
                    Collections.nCopies(16, () -> texts.stream().map(TextFeatures::tokenCount).toList()));
            List<Integer> expected = texts.stream().map(TextFeatures::tokenCount).toList();
            for (Future<List<Integer>> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        }
    }

    /** Every BPE token covers at least one byte of UTF-8, and any non-empty text has at least one token. */
    @Property(tries = 300, seed = "42")
    void tokenCountLiesBetweenOneAndTheUtf8ByteCount(@ForAll String text) {
        int tokens = TextFeatures.tokenCount(text);
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;

        assertThat(tokens).isBetween(text.isEmpty() ? 0 : 1, bytes);
        assertThat(TextFeatures.length(text)).isBetween(0, text.length());
    }
}
