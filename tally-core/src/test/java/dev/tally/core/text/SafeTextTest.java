package dev.tally.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeTextTest {
    @ParameterizedTest
    @ValueSource(
            ints = {
                0x00, 0x07, 0x09, 0x0A, 0x1B, 0x7F, 0x85, 0x9B, 0x200B, 0x200E, 0x202A, 0x202E, 0x2066, 0x2069, 0x2028,
                0x2029, 0xFEFF, 0xD800, 0xE0001
            })
    void controlFormatSeparatorAndSurrogateCharactersAreUnsafe(int codePoint) {
        assertThat(SafeText.isSafe(codePoint)).as("U+%04X", codePoint).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {'a', ' ', '@', 0xE4, 0x20AC, 0x540D, 0x1F600, 0xA0})
    void lettersSymbolsSpacesAndEmojiAreSafe(int codePoint) {
        assertThat(SafeText.isSafe(codePoint)).as("U+%04X", codePoint).isTrue();
    }

    @Test
    void requireSafeNamesTheFieldTheCharacterAndItsPosition() {
        assertThatThrownBy(() -> SafeText.requireSafe("email", "ab\u001b[31m@x.org"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("email must not contain control or formatting characters (found U+001B at position 3)");
        SafeText.requireSafe("email", "jörg€名@example.com");
    }

    @Test
    void escapeShowsUnsafeCharactersAndKeepsLinesAndEverythingElse() {
        assertThat(SafeText.escape("red\u001b[31m \u202Eevil\nnext\tä😀"))
                .isEqualTo("red\\u{1B}[31m \\u{202E}evil\nnext\\u{9}ä😀");
        String safe = "plain ä €";
        assertThat(SafeText.escape(safe)).isSameAs(safe);
    }

    @Test
    void escapeJsonWritesUnsafeCharactersAsJsonEscapesAndKeepsTheRest() {
        String json = "{\n  \"email\" : \"a\u001b[2J\u009b\u202e\u007f😀\uDB40\uDC01ä\"\n}";
        assertThat(SafeText.escapeJson(json))
                .isEqualTo("{\n  \"email\" : \"a\\u001b[2J\\u009b\\u202e\\u007f😀\\udb40\\udc01ä\"\n}");
    }
}
