package dev.maze.predict.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void tokenCountLiesBetweenOneAndTheUtf8ByteCount(String sample, String text) {
        int tokens = TextFeatures.tokenCount(text);
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;

        assertThat(tokens).as("%s: tokens of %s", sample, text).isBetween(text.isEmpty() ? 0 : 1, bytes);
        assertThat(TextFeatures.length(text)).as("%s: length of %s", sample, text).isBetween(0, text.length());
    }

    /** The edge cases by name, then 300 random texts of 0-255 chars, each drawn from its seed by {@code randomText}. */
    static Stream<Arguments> texts() {
        Stream<Arguments> edges = Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("one space", " "),
                Arguments.of("NUL", "\u0000"),
                Arguments.of("the last char", "\uffff"),
                Arguments.of("a lone high surrogate", "\ud800"),
                Arguments.of("a lone low surrogate", "\udfff"),
                Arguments.of("an emoji (a surrogate pair)", "\uD83D\uDE00"),
                Arguments.of("a special-token marker", "<|endoftext|>"),
                Arguments.of("255 times one letter", "a".repeat(255)),
                Arguments.of("255 spaces and newlines", " \n".repeat(127) + " "));
        Stream<Arguments> random = LongStream.range(42, 42 + 300)
                .mapToObj(seed -> Arguments.of("seed " + seed, randomText(seed)));
        return Stream.concat(edges, random);
    }

    private static final String WHITESPACE = " \t\n\r\u00a0\u2028\u3000";

    /**
     * Up to 255 chars, each from one of: printable ASCII, control chars and whitespace, Latin and other alphabets,
     * CJK, any char of the Basic Multilingual Plane (lone surrogates included), or a supplementary code point (a pair).
     */
    static String randomText(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int length = random.nextInt(0, 256);
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            switch (random.nextInt(6)) {
                case 0 -> text.append((char) random.nextInt(0x20, 0x7f));
                case 1 -> text.append(random.nextBoolean() ? (char) random.nextInt(0, 0x20)
                        : WHITESPACE.charAt(random.nextInt(WHITESPACE.length())));
                case 2 -> text.append((char) random.nextInt(0x80, 0x0800));
                case 3 -> text.append((char) random.nextInt(0x4e00, 0xa000));
                case 4 -> text.append((char) random.nextInt(0, 0x10000));
                default -> text.appendCodePoint(text.length() + 1 < length ? random.nextInt(0x10000, 0x110000) : 'z');
            }
        }
        return text.toString();
    }
}
