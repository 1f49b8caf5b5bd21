package dev.tally.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The limits and the one canonical spelling of an entry's metadata (docs/FORMAT.md §1, version 2). */
class MetadataTest {
    @Test
    void canonicalFormSortsKeysAndEscapesOnlyQuoteAndBackslash() {
        Metadata m = Metadata.of(Map.of("z", "a\\b", "a", "say \"hi\" ü"));
        assertThat(m.canonical()).contains("{\"a\":\"say \\\"hi\\\" ü\",\"z\":\"a\\\\b\"}");
    }

    @Test
    void noMetadataHasNoCanonicalForm() {
        assertThat(Metadata.EMPTY.canonical()).isEmpty();
        assertThat(Metadata.of(Map.of())).isSameAs(Metadata.EMPTY);
    }

    @Test
    void refusesMoreThanSixteenKeys() {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i <= Metadata.MAX_KEYS; i++) {
            m.put("k" + i, "v");
        }
        assertThatThrownBy(() -> Metadata.of(m))
                .isInstanceOf(Metadata.InvalidMetadataException.class)
                .hasMessageContaining("at most 16");
    }

    @Test
    void refusesAKeyLongerThanSixtyFourCharacters() {
        assertThatThrownBy(() -> Metadata.of(Map.of("k".repeat(65), "v")))
                .isInstanceOf(Metadata.InvalidMetadataException.class);
        assertThat(Metadata.of(Map.of("k".repeat(64), "v")).values()).hasSize(1);
    }

    @Test
    void refusesKeysOutsideTheirAlphabet() {
        assertThatThrownBy(() -> Metadata.of(Map.of("order id", "v")))
                .isInstanceOf(Metadata.InvalidMetadataException.class);
        assertThatThrownBy(() -> Metadata.of(Map.of("", "v"))).isInstanceOf(Metadata.InvalidMetadataException.class);
    }

    @Test
    void refusesMoreThanTwoKibibytesInCanonicalForm() {
        assertThat(Metadata.of(Map.of("a", "x".repeat(2040))).canonical().orElseThrow())
                .hasSize(Metadata.MAX_BYTES);
        assertThatThrownBy(() -> Metadata.of(Map.of("a", "x".repeat(2041))))
                .isInstanceOf(Metadata.InvalidMetadataException.class)
                .hasMessageContaining("2048");
    }

    @Test
    void refusesControlCharactersInValues() {
        assertThatThrownBy(() -> Metadata.of(Map.of("a", "x\u001b[31m")))
                .isInstanceOf(Metadata.InvalidMetadataException.class);
    }

    @Test
    void parsesOnlyTheCanonicalSpelling() {
        assertThat(Metadata.parseCanonical("{\"a\":\"1\",\"b\":\"2\"}").values())
                .containsEntry("b", "2");
        for (String other : new String[] {
            "{\"b\":\"2\",\"a\":\"1\"}", "{\"a\": \"1\"}", "{}", "", "{\"a\":\"\\u0031\"}", "{\"a\":\"1\"} "
        }) {
            assertThatThrownBy(() -> Metadata.parseCanonical(other))
                    .as(other)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property(tries = 300)
    void canonicalFormParsesBackToTheSameMetadata(@ForAll("metadata") Metadata m) {
        if (!m.isEmpty()) {
            assertThat(Metadata.parseCanonical(m.canonical().orElseThrow())).isEqualTo(m);
        }
    }

    @Provide
    Arbitrary<Metadata> metadata() {
        return Arbitraries.maps(
                        Arbitraries.strings()
                                .withChars("abXY09_.-")
                                .ofMinLength(1)
                                .ofMaxLength(8),
                        Arbitraries.strings().withChars("a\"\\ ü€,:{}").ofMaxLength(12))
                .ofMaxSize(Metadata.MAX_KEYS)
                .map(Metadata::of);
    }
}
