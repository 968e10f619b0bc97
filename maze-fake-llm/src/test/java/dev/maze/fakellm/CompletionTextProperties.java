package dev.maze.fakellm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Invariant: a text asked for n tokens is n o200k tokens, streamed as n pieces that concatenate back to it. */
class CompletionTextProperties {

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 2, 3, 42, 1234, -7, Long.MAX_VALUE})
    void aTextOfNTokensIsNTokensInNPieces(long seed) {
        SplittableRandom lengths = new SplittableRandom(seed);
        for (int i = 0; i < 25; i++) {
            int tokens = i < 5 ? i : 1 + lengths.nextInt(600);
            String text = CompletionText.words(new SplittableRandom(seed + i), tokens);
            assertThat(ChatCompletionTest.O200K.countTokensOrdinary(text)).as(text).isEqualTo(tokens);
            List<String> pieces = TokenCounter.pieces(text);
            assertThat(pieces).hasSize(tokens);
            assertThat(String.join("", pieces)).isEqualTo(text);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"naïve café — 日本語のテキスト 🚀", "plain", "{\"a\": [1, 2.5, \"x\"]}"})
    void piecesOfAnyTextConcatenateBackToItWithoutSplittingACharacter(String text) {
        List<String> pieces = TokenCounter.pieces(text);
        assertThat(String.join("", pieces)).isEqualTo(text);
        assertThat(pieces).noneMatch(piece -> piece.contains("\uFFFD"));
    }
}
