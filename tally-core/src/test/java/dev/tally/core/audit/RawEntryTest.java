package dev.tally.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.Metadata;
import dev.tally.core.ledger.TaxKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The fast scanner's encoder writes, byte for byte, the canonical encoding of docs/FORMAT.md. */
class RawEntryTest {
    @Test
    void encodesTheFirstFormatVectorToItsPinnedBytes() {
        LedgerEntry mint = TestChains.chain(1).get(0);
        // docs/FORMAT.md vector 1 (mint-1 by admin, created T0) is exactly the first entry of the test chain.
        assertThat(HexFormat.of().formatHex(encode(TestChains.raw(mint, false))))
                .isEqualTo(HexFormat.of().formatHex(CanonicalEncoding.encode(mint)));
        assertThat(mint.currentHash().hex())
                .isEqualTo("460f5503545c0daa9c09eaec267dadadb85966800864dfe13f0fde3c8eb8e774");
    }

    @Property(tries = 500)
    void encodesEveryEntryAsCanonicalEncodingDoes(@ForAll("entries") LedgerEntry e, @ForAll boolean idsAsText) {
        assertThat(encode(TestChains.raw(e, idsAsText))).isEqualTo(CanonicalEncoding.encode(e));
    }

    @Property(tries = 300)
    void encodesEntriesWithMetadataAsCanonicalEncodingDoes(
            @ForAll("entries") LedgerEntry e, @ForAll("metadata") Metadata metadata) {
        LedgerEntry withMetadata = new LedgerEntry(
                        e.seq(),
                        e.transactionId(),
                        e.type(),
                        e.status(),
                        e.senderId(),
                        e.receiverId(),
                        e.currency(),
                        e.amountGross(),
                        e.taxWithheld(),
                        e.amountNet(),
                        e.taxKind(),
                        e.createdAt(),
                        e.actor(),
                        e.ipAddress(),
                        e.userAgent(),
                        e.reverses(),
                        e.previousHash(),
                        metadata,
                        Hash.ZERO)
                .withCurrentHash(Hash.ZERO);
        RawEntry raw = TestChains.raw(withMetadata, false);
        assertThat(encode(raw)).isEqualTo(CanonicalEncoding.encode(withMetadata));
        if (!metadata.isEmpty()) {
            assertThat(raw.metadataIsCanonical()).isTrue();
        }
    }

    @Test
    void sendsMetadataThatIsNotInCanonicalFormToTheFullCheck() {
        byte[] spaced = "{\"b\": \"1\"}".getBytes(StandardCharsets.UTF_8);
        RawEntry r = new RawEntry().begin(1, spaced).text(RawEntry.Text.METADATA, 0, spaced.length);
        assertThat(r.metadataIsCanonical()).isFalse();
    }

    @Provide
    Arbitrary<Metadata> metadata() {
        return Arbitraries.maps(
                        Arbitraries.strings()
                                .withChars("abcXYZ019_.-")
                                .ofMinLength(1)
                                .ofMaxLength(12),
                        Arbitraries.strings().withChars("a\"\\ ü€,:{}").ofMaxLength(20))
                .ofMaxSize(Metadata.MAX_KEYS)
                .map(Metadata::of);
    }

    @Test
    void takesOnlyCanonicalUuidText() {
        byte[] lenient = "1-1-1-1-1".getBytes(StandardCharsets.US_ASCII);
        RawEntry r = new RawEntry().begin(1, lenient);
        r.uuidText(RawEntry.Party.SENDER, 0, lenient.length);
        assertThat(r.readable)
                .as("UUID.fromString takes 1-1-1-1-1, the fast way leaves it to the full check")
                .isFalse();

        byte[] text = "00000000-0000-0000-0000-00000000A11C".getBytes(StandardCharsets.US_ASCII);
        RawEntry upper = new RawEntry().begin(1, text);
        upper.uuidText(RawEntry.Party.SENDER, 0, text.length);
        assertThat(upper.readable).isTrue();
        assertThat(upper.partyLsb[0])
                .isEqualTo(
                        UUID.fromString("00000000-0000-0000-0000-00000000A11C").getLeastSignificantBits());
    }

    @Test
    void readsEveryByteAtEveryDigitPositionAsUuidFromStringDoes() {
        for (int at = 0; at < 36; at++) {
            if (at == 8 || at == 13 || at == 18 || at == 23) {
                continue;
            }
            for (int b = 0; b < 256; b++) {
                byte[] text = "01234567-89ab-cdef-ABCD-EF0123456789".getBytes(StandardCharsets.US_ASCII);
                text[at] = (byte) b;
                RawEntry r = new RawEntry().begin(1, text);
                r.uuidText(RawEntry.Party.RECEIVER, 0, text.length);
                boolean hex = Character.digit(b, 16) >= 0 && b < 0x80;
                assertThat(r.readable).as("byte %02x at %d", b, at).isEqualTo(hex);
                if (hex) {
                    UUID expected = UUID.fromString(new String(text, StandardCharsets.US_ASCII));
                    assertThat(new UUID(r.partyMsb[1], r.partyLsb[1])).isEqualTo(expected);
                }
            }
        }
    }

    @Property(tries = 500)
    void readsCanonicalUuidTextInEitherCase(@ForAll long msb, @ForAll long lsb, @ForAll boolean upper) {
        UUID id = new UUID(msb, lsb);
        String text = upper ? id.toString().toUpperCase(java.util.Locale.ROOT) : id.toString();
        byte[] row = ("x" + text + "y").getBytes(StandardCharsets.US_ASCII);
        RawEntry r = new RawEntry().begin(1, row);
        r.uuidText(RawEntry.Party.SENDER, 1, 36);
        assertThat(r.readable).isTrue();
        assertThat(r.partyPresent[0]).isTrue();
        assertThat(new UUID(r.partyMsb[0], r.partyLsb[0])).isEqualTo(id);
    }

    private static byte[] encode(RawEntry r) {
        byte[] out = r.encodeTo(new byte[8]);
        return Arrays.copyOf(out, r.encodedLength);
    }

    @Provide
    Arbitrary<LedgerEntry> entries() {
        Arbitrary<Optional<UUID>> ids = Arbitraries.longs()
                .tuple2()
                .map(t -> new UUID(t.get1(), t.get2()))
                .optional(0.8);
        Arbitrary<Optional<String>> texts =
                Arbitraries.strings().ofMaxLength(40).optional(0.6);
        Arbitrary<String> ids2 = Arbitraries.strings().ofMinLength(1).ofMaxLength(64);
        Arbitrary<Long> amounts = Arbitraries.longs().between(0, Long.MAX_VALUE);
        return Combinators.combine(
                        Combinators.combine(
                                        Arbitraries.longs().between(1, Long.MAX_VALUE),
                                        ids2,
                                        Arbitraries.of(EntryType.class),
                                        ids,
                                        ids,
                                        Arbitraries.strings()
                                                .withCharRange('A', 'Z')
                                                .ofMinLength(2)
                                                .ofMaxLength(12))
                                .as(Head::new),
                        Combinators.combine(
                                        amounts,
                                        amounts,
                                        amounts,
                                        Arbitraries.of(TaxKind.class),
                                        Arbitraries.longs().between(-1L << 52, 1L << 52))
                                .as(Money::new),
                        Combinators.combine(texts, texts, texts, texts).as(Context::new))
                .as((h, m, c) -> LedgerEntry.sealed(
                        h.seq,
                        h.id,
                        h.type,
                        h.sender,
                        h.receiver,
                        h.currency,
                        m.gross,
                        m.tax,
                        m.net,
                        m.kind,
                        Instant.EPOCH.plusNanos(m.micros * 1000),
                        new EntryContext(c.actor, c.ip, c.agent),
                        c.reverses,
                        Hash.ZERO));
    }

    private record Head(
            long seq, String id, EntryType type, Optional<UUID> sender, Optional<UUID> receiver, String currency) {}

    private record Money(long gross, long tax, long net, TaxKind kind, long micros) {}

    private record Context(
            Optional<String> actor, Optional<String> ip, Optional<String> agent, Optional<String> reverses) {}
}
