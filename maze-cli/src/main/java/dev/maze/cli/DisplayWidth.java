package dev.maze.cli;

/**
 * How many terminal columns text takes, so that tables stay aligned when ids and names are not ASCII: {@code %-28s}
 * pads by UTF-16 units, which is one too many for an emoji (two units, two columns) and one too few for every CJK
 * character (one unit, two columns), and counts a combining accent that takes no column.
 *
 * <p>Per code point, as POSIX {@code wcwidth} does for the common cases: combining marks and format characters
 * (zero-width joiner, variation selectors) take 0 columns; the East Asian Wide and Fullwidth blocks (Hangul, CJK,
 * kana, fullwidth forms) and the emoji blocks take 2; everything else 1. Not the whole Unicode width table (an
 * emoji sequence joined by a zero-width joiner counts as its parts): a small, well-known approximation rather than a
 * dependency. Control characters, which would move the cursor or start an escape sequence, are shown as {@code ?}.
 */
final class DisplayWidth {

    /** Code point ranges (inclusive) two columns wide. */
    private static final int[][] WIDE = {
        {0x1100, 0x115F}, {0x231A, 0x231B}, {0x2329, 0x232A}, {0x23E9, 0x23EC}, {0x23F0, 0x23F0}, {0x23F3, 0x23F3},
        {0x25FD, 0x25FE}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267F, 0x267F}, {0x2693, 0x2693}, {0x26A1, 0x26A1},
        {0x26AA, 0x26AB}, {0x26BD, 0x26BE}, {0x26C4, 0x26C5}, {0x26CE, 0x26CE}, {0x26D4, 0x26D4}, {0x26EA, 0x26EA},
        {0x26F2, 0x26F3}, {0x26F5, 0x26F5}, {0x26FA, 0x26FA}, {0x26FD, 0x26FD}, {0x2705, 0x2705}, {0x270A, 0x270B},
        {0x2728, 0x2728}, {0x274C, 0x274C}, {0x274E, 0x274E}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
        {0x27B0, 0x27B0}, {0x27BF, 0x27BF}, {0x2B1B, 0x2B1C}, {0x2B50, 0x2B50}, {0x2B55, 0x2B55},
        {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF}, {0xA000, 0xA4CF}, {0xA960, 0xA97F},
        {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE10, 0xFE19}, {0xFE30, 0xFE6F}, {0xFF00, 0xFF60}, {0xFFE0, 0xFFE6},
        {0x1F004, 0x1F004}, {0x1F0CF, 0x1F0CF}, {0x1F18E, 0x1F18E}, {0x1F191, 0x1F19A}, {0x1F200, 0x1F251},
        {0x1F300, 0x1F64F}, {0x1F680, 0x1F6FF}, {0x1F900, 0x1F9FF}, {0x1FA70, 0x1FAFF}, {0x20000, 0x2FFFD},
        {0x30000, 0x3FFFD}};

    private DisplayWidth() {}

    /** Columns one code point takes: 0, 1 or 2. */
    static int of(int codePoint) {
        if (Character.isISOControl(codePoint)) {
            return 1; // shown as '?' (see printable)
        }
        int type = Character.getType(codePoint);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT) {
            return 0;
        }
        if (codePoint >= 0x1100) {
            for (int[] range : WIDE) {
                if (codePoint >= range[0] && codePoint <= range[1]) {
                    return 2;
                }
            }
        }
        return 1;
    }

    /** Columns {@code text} takes once {@link #printable}. */
    static int of(String text) {
        int width = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            width += of(codePoint);
            i += Character.charCount(codePoint);
        }
        return width;
    }

    /** {@code text} with every control character (newline, tab, escape, ...) replaced by {@code ?}. */
    static String printable(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                out.setCharAt(i, '?');
            }
        }
        return out == null ? text : out.toString();
    }

    /** {@code text} (made printable) followed by spaces up to {@code width} columns: {@code %-Ns} by columns. */
    static String padRight(String text, int width) {
        String shown = printable(text);
        return shown + " ".repeat(Math.max(0, width - of(shown)));
    }

    /** Spaces, then {@code text} (made printable), up to {@code width} columns: {@code %Ns} by columns. */
    static String padLeft(String text, int width) {
        String shown = printable(text);
        return " ".repeat(Math.max(0, width - of(shown))) + shown;
    }

    /**
     * {@code text} (made printable) cut to at most {@code width} columns, the last kept column a {@code ~} when
     * anything was cut. A wide character is never split.
     */
    static String truncate(String text, int width) {
        String shown = printable(text);
        if (of(shown) <= width) {
            return shown;
        }
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < shown.length(); ) {
            int codePoint = shown.codePointAt(i);
            int columns = of(codePoint);
            if (used + columns > width - 1) {
                break;
            }
            out.appendCodePoint(codePoint);
            used += columns;
            i += Character.charCount(codePoint);
        }
        return out.append('~').toString();
    }
}
