package dev.tally.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The test vectors of docs/FORMAT.md: if one of these changes, every stored hash breaks. */
class CanonicalEncodingTest {
    static final UUID ALICE = UUID.fromString("00000000-0000-0000-0000-00000000a11c");
    static final UUID BOB = UUID.fromString("00000000-0000-0000-0000-000000000b0b");
    static final UUID MARKET = UUID.fromString("00000000-0000-0000-0000-0000000000aa");
    static final Instant T0 = Instant.parse("2026-02-11T14:23:00.123456Z");

    static LedgerEntry vector1() {
        return LedgerEntry.sealed(
                1,
                "mint-1",
                EntryType.MINT,
                Optional.empty(),
                Optional.of(ALICE),
                "EUR",
                10_000,
                0,
                10_000,
                TaxKind.NONE,
                T0,
                EntryContext.actor("admin"),
                Optional.empty(),
                Hash.ZERO);
    }

    static LedgerEntry vector2() {
        return LedgerEntry.sealed(
                2,
                "tx-456",
                EntryType.TRANSFER,
                Optional.of(ALICE),
                Optional.of(BOB),
                "EUR",
                1_000,
                10,
                990,
                TaxKind.TRANSFER_TAX,
                T0.plusSeconds(1),
                new EntryContext(Optional.empty(), Optional.of("192.168.1.100"), Optional.of("Mozilla/5.0")),
                Optional.empty(),
                vector1().currentHash());
    }

    static LedgerEntry vector3() {
        return LedgerEntry.sealed(
                3,
                "rev-ü",
                EntryType.REVERSAL,
                Optional.of(BOB),
                Optional.of(ALICE),
                "EUR",
                1_000,
                10,
                990,
                TaxKind.TRANSFER_TAX,
                T0.plusSeconds(2),
                EntryContext.NONE,
                Optional.of("tx-456"),
                vector2().currentHash());
    }

    static LedgerEntry vector4() {
        return LedgerEntry.sealed(
                4,
                "buy-7",
                EntryType.PURCHASE,
                Optional.of(ALICE),
                Optional.of(BOB),
                "EUR",
                2_500,
                500,
                2_000,
                TaxKind.VAT,
                T0.plusSeconds(3),
                EntryContext.actor("shop")
                        .withMetadata(Metadata.of(java.util.Map.of("sku", "sword \"épée\"", "order_id", "A-1"))),
                Optional.empty(),
                vector3().currentHash());
    }

    /** The buy leg of an exchange: a new entry type and tax kind, its rate in reserved metadata (version 2). */
    static LedgerEntry vector5() {
        return LedgerEntry.sealed(
                5,
                "x1.buy",
                EntryType.EXCHANGE,
                Optional.of(MARKET),
                Optional.of(ALICE),
                "GEMS",
                2_500,
                25,
                2_475,
                TaxKind.EXCHANGE_FEE,
                T0.plusSeconds(4),
                EntryContext.actor("shop")
                        .withMetadata(Metadata.of(java.util.Map.of(Metadata.RATE, "2.5", Metadata.EXCHANGE, "x1"))),
                Optional.empty(),
                vector4().currentHash());
    }

    @Test
    void vector5ExchangeLegEncodesToThePinnedBytesAndHash() {
        assertThat(HexFormat.of().formatHex(CanonicalEncoding.encode(vector5())))
                .isEqualTo(Vectors.ENCODING_5);
        assertThat(vector5().currentHash().hex()).isEqualTo(Vectors.HASH_5);
    }

    @Test
    void vector4WithMetadataEncodesAsVersion2ToThePinnedBytes() {
        assertThat(HexFormat.of().formatHex(CanonicalEncoding.encode(vector4())))
                .isEqualTo(Vectors.ENCODING_4);
    }

    @Test
    void vector4WithMetadataHasItsPinnedHash() {
        assertThat(vector4().currentHash().hex()).isEqualTo(Vectors.HASH_4);
    }

    @Test
    void metadataIsHashedInItsCanonicalFormWithSortedKeys() {
        assertThat(vector4().metadata().canonical()).contains("{\"order_id\":\"A-1\",\"sku\":\"sword \\\"épée\\\"\"}");
    }

    @Test
    void anEntryWithoutMetadataKeepsVersion1() {
        assertThat(CanonicalEncoding.encode(vector2())[0]).isEqualTo(CanonicalEncoding.VERSION);
        assertThat(CanonicalEncoding.encode(vector4())[0]).isEqualTo(CanonicalEncoding.VERSION_METADATA);
    }

    @Test
    void changingOrDroppingMetadataBreaksTheHash() {
        LedgerEntry e = vector4();
        LedgerEntry dropped = new LedgerEntry(
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
                e.currentHash());
        assertThat(dropped.hashMatches()).isFalse();
        LedgerEntry changed = new LedgerEntry(
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
                Metadata.of(java.util.Map.of("order_id", "A-2", "sku", "sword \"épée\"")),
                e.currentHash());
        assertThat(changed.hashMatches()).isFalse();
    }

    @Test
    void vector1MintHasItsPinnedHash() {
        assertThat(vector1().currentHash().hex()).isEqualTo(Vectors.HASH_1);
    }

    @Test
    void vector2TransferHasItsPinnedHash() {
        assertThat(vector2().currentHash().hex()).isEqualTo(Vectors.HASH_2);
    }

    @Test
    void vector3ReversalHasItsPinnedHash() {
        assertThat(vector3().currentHash().hex()).isEqualTo(Vectors.HASH_3);
    }

    @Test
    void vector1EncodesToThePinnedBytes() {
        assertThat(HexFormat.of().formatHex(CanonicalEncoding.encode(vector1())))
                .isEqualTo(Vectors.ENCODING_1);
    }

    @Test
    void everyFieldChangesTheHash() {
        LedgerEntry e = vector2();
        Hash h = e.currentHash();
        assertThat(copy(e, 3, e.amountGross(), e.senderId()).hashMatches()).isFalse();
        assertThat(EntryHasher.hash(copy(e, e.seq(), 1001, e.senderId()))).isNotEqualTo(h);
        assertThat(EntryHasher.hash(copy(e, e.seq(), e.amountGross(), Optional.of(BOB))))
                .isNotEqualTo(h);
    }

    @Test
    void microsecondsRoundTrip() {
        assertThat(CanonicalEncoding.fromEpochMicros(CanonicalEncoding.epochMicros(T0)))
                .isEqualTo(T0);
    }

    private static LedgerEntry copy(LedgerEntry e, long seq, long gross, Optional<UUID> sender) {
        return new LedgerEntry(
                seq,
                e.transactionId(),
                e.type(),
                e.status(),
                sender,
                e.receiverId(),
                e.currency(),
                gross,
                e.taxWithheld(),
                e.amountNet(),
                e.taxKind(),
                e.createdAt(),
                e.actor(),
                e.ipAddress(),
                e.userAgent(),
                e.reverses(),
                e.previousHash(),
                e.currentHash());
    }

    /** Pinned values, copied into docs/FORMAT.md. */
    static final class Vectors {
        static final String HASH_1 = "460f5503545c0daa9c09eaec267dadadb85966800864dfe13f0fde3c8eb8e774";
        static final String HASH_2 = "227429db1ee02e67a3f44ac2b050c2b21830ad6d9333f3a94110be2ff14f08ed";
        static final String HASH_3 = "59287b440832ef0249e2b7f3d25316ba7c74800a99c1ffaa2c760c59c0ab0656";
        static final String HASH_4 = "b184c0fe54c988568bf2c00b9dcd5eff22a81f4034568ed2ac469d9afccc7779";
        static final String ENCODING_4 =
                "020000000000000004000000056275792d3700000008505552434841534500000009434f4d504c45544544010000000000000000000000000000a11c0100000000000000000000000000000b0b0000000345555200000000000009c400000000000001f400000000000007d00000000356415400064a8d1c226200010000000473686f7000000059287b440832ef0249e2b7f3d25316ba7c74800a99c1ffaa2c760c59c0ab06560000002b7b226f726465725f6964223a22412d31222c22736b75223a2273776f7264205c22c3a970c3a9655c22227d";
        static final String HASH_5 = "f64f472a5a4c75f6ccf0131c0cd9a6c935eb2116802356c1dc24abd66afa8a9b";
        static final String ENCODING_5 =
                "0200000000000000050000000678312e6275790000000845584348414e474500000009434f4d504c4554454401000000000000000000000000000000aa010000000000000000000000000000a11c0000000447454d5300000000000009c4000000000000001900000000000009ab0000000c45584348414e47455f46454500064a8d1c31a440010000000473686f70000000b184c0fe54c988568bf2c00b9dcd5eff22a81f4034568ed2ac469d9afccc77790000002a7b2274616c6c792e65786368616e6765223a227831222c2274616c6c792e72617465223a22322e35227d";
        static final String ENCODING_1 =
                "010000000000000001000000066d696e742d31000000044d494e5400000009434f4d504c4554454400010000000000000000000000000000a11c00000003455552000000000000271000000000000000000000000000002710000000044e4f4e4500064a8d1bf49b40010000000561646d696e0000000000000000000000000000000000000000000000000000000000000000000000";
    }
}
