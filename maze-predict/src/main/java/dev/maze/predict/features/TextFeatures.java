package dev.maze.predict.features;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Size features of a text: its length in code points and its count of BPE tokens.
 *
 * <p>An LLM's prefill time grows with the prompt's token count, and a text tool's time with its length, so these two
 * numbers carry most of what a regressor can learn from a text input.
 *
 * <p>Tokens are counted with OpenAI's {@code o200k_base} byte-pair encoding through JTokkit, not with the tokenizer of
 * the model that will run the task (Qwen and others), because:
 * <ul>
 *   <li>JTokkit is pure Java and ships its encodings inside its jar, so counting needs no download, no native code
 *       and no network on a node that may have none;</li>
 *   <li>the real models' tokenizers need their {@code tokenizer.json} (and usually a native library) that we cannot
 *       fetch here;</li>
 *   <li>byte-pair encodings of the same family with vocabularies of similar size split text alike: their counts differ
 *       by a roughly constant factor per language, which a regressor absorbs into its weights.</li>
 * </ul>
 * {@code o200k_base} is the largest vocabulary JTokkit ships and the closest in size to Qwen's (about 150k tokens).
 *
 * <p>All methods are thread-safe. The encoding is loaded once, on first use (a few hundred milliseconds).
 */
public final class TextFeatures {

    private TextFeatures() {}

    /** The number of Unicode code points in {@code text} (a surrogate pair counts once); 0 for {@code null}. */
    public static int length(String text) {
        return text == null ? 0 : text.codePointCount(0, text.length());
    }

    /**
     * The number of {@code o200k_base} tokens in {@code text}; 0 for {@code null} or empty.
     *
     * <p>Special-token markers such as {@code <|endoftext|>} are counted as the ordinary text they are in a user's
     * prompt: they neither throw nor collapse into one token.
     */
    public static int tokenCount(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return O200kBase.ENCODING.countTokensOrdinary(text);
    }

    /**
     * Both features of {@code text} under the caller's key names, in the order {@code lengthKey}, {@code tokenKey}
     * (callers name them after the input they describe, e.g. {@code prompt_length} and {@code prompt_token_count}).
     *
     * @return an unmodifiable, insertion-ordered map
     * @throws IllegalArgumentException if the two keys are equal, which would silently drop a feature
     */
    public static Map<String, Double> of(String lengthKey, String tokenKey, String text) {
        if (lengthKey.equals(tokenKey)) {
            throw new IllegalArgumentException("length and token-count keys must differ, both are '" + lengthKey + "'");
        }
        Map<String, Double> features = new LinkedHashMap<>();
        features.put(lengthKey, (double) length(text));
        features.put(tokenKey, (double) tokenCount(text));
        return Collections.unmodifiableMap(features);
    }

    /** Holder: the JVM initialises it once, on first use, and safely publishes it to every thread. */
    private static final class O200kBase {
        static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
    }
}
