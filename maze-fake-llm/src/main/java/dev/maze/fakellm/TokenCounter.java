package dev.maze.fakellm;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts and splits text with OpenAI's {@code o200k_base} byte-pair encoding (JTokkit), the encoding of the GPT-4o
 * family and the one maze-predict's text features count with, so a prediction and a fake answer agree on what a
 * token is. Thread-safe.
 */
final class TokenCounter {

    private static final Encoding ENCODING =
            Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);

    private TokenCounter() {}

    /** The number of tokens in {@code text}; 0 for null or empty. */
    static int count(String text) {
        return text == null || text.isEmpty() ? 0 : ENCODING.countTokensOrdinary(text);
    }

    /**
     * {@code text} as one string per token, in order, as a streaming server sends it; a character whose UTF-8 bytes
     * span several tokens goes out whole with the last of them. The pieces concatenate to {@code text}.
     */
    static List<String> pieces(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        IntArrayList tokens = ENCODING.encodeOrdinary(text);
        List<String> pieces = new ArrayList<>(tokens.size());
        IntArrayList pending = new IntArrayList(4);
        for (int i = 0; i < tokens.size(); i++) {
            pending.add(tokens.get(i));
            byte[] bytes = ENCODING.decodeBytes(pending);
            if (completeUtf8(bytes) || i == tokens.size() - 1) {
                pieces.add(new String(bytes, StandardCharsets.UTF_8));
                pending.clear();
            }
        }
        return pieces;
    }

    private static boolean completeUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The token ids of {@code text}. */
    static int[] ids(String text) {
        return ENCODING.encodeOrdinary(text).toArray();
    }

    /** The first {@code limit} tokens of {@code text} (all of it when it has no more). */
    static String prefix(String text, int limit) {
        IntArrayList tokens = ENCODING.encodeOrdinary(text);
        if (tokens.size() <= limit) {
            return text;
        }
        IntArrayList head = new IntArrayList(limit);
        for (int i = 0; i < limit; i++) {
            head.add(tokens.get(i));
        }
        return ENCODING.decode(head);
    }
}
