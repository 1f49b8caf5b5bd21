package dev.tally.core.text;

/**
 * Which characters may be stored in an identifier or a reason, and how text is made safe to print.
 *
 * <p>A character is unsafe when a terminal or a text renderer may act on it instead of showing it: a control
 * character (Unicode Cc: NUL, ESC, DEL, the C1 controls such as CSI), a format character (Cf: the bidi
 * embeddings and overrides U+202A-U+202E and isolates U+2066-U+2069, zero-width characters), a line or
 * paragraph separator, or a lone surrogate. New values with one are refused ({@link #requireSafe}); values
 * that are already stored are printed through {@link #escape} or {@link #escapeJson}, so that nothing an
 * older ledger holds reaches a terminal raw.
 */
public final class SafeText {
    private SafeText() {}

    /** Whether a code point may be stored and printed as it is. */
    public static boolean isSafe(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.SURROGATE,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Whether every character of a text is safe. */
    public static boolean isSafe(CharSequence text) {
        return text.codePoints().allMatch(SafeText::isSafe);
    }

    /**
     * Refuses a text that holds an unsafe character.
     *
     * @throws IllegalArgumentException naming the field, the character and its position
     */
    public static void requireSafe(String field, CharSequence text) {
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            if (!isSafe(cp)) {
                throw new IllegalArgumentException(field + " must not contain control or formatting characters (found "
                        + String.format("U+%04X", cp) + " at position " + (i + 1) + ")");
            }
            i += Character.charCount(cp);
        }
    }

    /**
     * The text for a terminal: every unsafe character written as {@code \}{@code u{1B}}, line feeds kept.
     * Safe text comes back unchanged (the same instance).
     */
    public static String escape(String text) {
        if (isSafeExceptNewlines(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(cp -> {
            if (cp == '\n' || isSafe(cp)) {
                out.appendCodePoint(cp);
            } else {
                out.append("\\u{")
                        .append(Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT))
                        .append('}');
            }
        });
        return out.toString();
    }

    /**
     * A JSON document for a terminal: every unsafe character but a line feed written as a JSON
     * {@code \}{@code uXXXX} escape. Unsafe characters can only occur inside JSON strings (a writer puts
     * nothing but ASCII between tokens), so the result is the same JSON value.
     */
    public static String escapeJson(String json) {
        if (isSafeExceptNewlines(json)) {
            return json;
        }
        StringBuilder out = new StringBuilder(json.length() + 16);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '\n' || (isSafe(c) && !Character.isSurrogate(c))) {
                out.append(c);
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < json.length()
                    && Character.isLowSurrogate(json.charAt(i + 1))
                    && isSafe(Character.toCodePoint(c, json.charAt(i + 1)))) {
                out.append(c).append(json.charAt(++i));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static boolean isSafeExceptNewlines(String text) {
        return text.codePoints().allMatch(cp -> cp == '\n' || isSafe(cp));
    }
}
