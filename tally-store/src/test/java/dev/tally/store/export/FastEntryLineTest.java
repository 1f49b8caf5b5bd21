package dev.tally.store.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.tally.core.audit.ChainVerifier;
import dev.tally.core.audit.Link;
import dev.tally.core.audit.RawEntry;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The audit's fast entry reader against its reference, Jackson's strict reading ({@link EntryLine}): on
 * random entries and on random corruptions of their lines, whenever the fast reader takes a line it reads
 * exactly the entry Jackson reads, and the core's raw check passes it only if that entry's hash holds.
 */
class FastEntryLineTest {
    private static final Currencies CURRENCIES =
            Currencies.of(java.util.List.of(Currency.EUR, new Currency("JPY", 0), new Currency("BTC", 8)));
    private static final String ALPHABET = "abcXYZ019 -_./:;\"\\\u00e9\u20ac\u0001\t{}[],";

    @Test
    void whateverTheFastReaderTakesItReadsAsJacksonDoes() throws IOException {
        Random random = new Random(1);
        FastEntryLine fast = new FastEntryLine(CURRENCIES);
        EntryLine slow = new EntryLine(CURRENCIES);
        RawEntry raw = new RawEntry();
        int taken = 0;
        int mutants = 0;
        for (int i = 0; i < 3000; i++) {
            LedgerEntry e = randomEntry(random, i);
            byte[] line = line(e);
            boolean plain = isPlain(e);
            assertThat(fast.read(line, 0, line.length))
                    .as("plain ASCII entries take the fast way: %s", new String(line, StandardCharsets.UTF_8))
                    .isEqualTo(plain);
            if (plain) {
                taken++;
                assertThat(fast.entry())
                        .isEqualTo(slow.parse(line, 0, line.length))
                        .isEqualTo(e);
                fast.fill(raw);
                assertThat(new ChainVerifier(
                                        CURRENCIES,
                                        new Link(
                                                e.seq() - 1,
                                                Optional.of("p"),
                                                e.previousHash().bytes(),
                                                Long.MIN_VALUE),
                                        5)
                                .tryAccept(raw))
                        .isTrue();
            } else {
                assertThat(slow.parse(line, 0, line.length)).isEqualTo(e);
            }
            for (int m = 0; m < 20; m++) {
                byte[] mutant = line.clone();
                mutant[random.nextInt(mutant.length)] = (byte) ALPHABET.charAt(random.nextInt(ALPHABET.length()));
                if (fast.read(mutant, 0, mutant.length)) {
                    mutants++;
                    LedgerEntry read = fast.entry();
                    assertThat(read).isEqualTo(slow.parse(mutant, 0, mutant.length));
                    fast.fill(raw);
                    boolean passes = new ChainVerifier(
                                    CURRENCIES,
                                    new Link(
                                            read.seq() - 1,
                                            Optional.of("p"),
                                            read.previousHash().bytes(),
                                            Long.MIN_VALUE),
                                    5)
                            .tryAccept(raw);
                    assertThat(passes)
                            .isEqualTo(read.hashMatches()
                                    && read.amountGross() == read.taxWithheld() + read.amountNet()
                                    && read.amountGross() > 0
                                    && read.taxWithheld() >= 0
                                    && read.amountNet() > 0);
                }
            }
        }
        assertThat(taken).isGreaterThan(1000);
        assertThat(mutants).isGreaterThan(1000);
    }

    /** docs/FORMAT.md §8's example: vector 2 of §1 as an export line, read back by both readers. */
    @Test
    void theFormatExampleLineIsPinned() throws IOException {
        Hash vector1 = Hash.ofHex("460f5503545c0daa9c09eaec267dadadb85966800864dfe13f0fde3c8eb8e774");
        LedgerEntry vector2 = LedgerEntry.sealed(
                2,
                "tx-456",
                EntryType.TRANSFER,
                Optional.of(UUID.fromString("00000000-0000-0000-0000-00000000a11c")),
                Optional.of(UUID.fromString("00000000-0000-0000-0000-000000000b0b")),
                "EUR",
                1_000,
                10,
                990,
                TaxKind.TRANSFER_TAX,
                Instant.parse("2026-02-11T14:23:01.123456Z"),
                new EntryContext(Optional.empty(), Optional.of("192.168.1.100"), Optional.of("Mozilla/5.0")),
                Optional.empty(),
                vector1);
        String expected =
                "{\"record\":\"entry\",\"seq\":2,\"transaction_id\":\"tx-456\",\"type\":\"TRANSFER\",\"status\":\"COMPLETED\","
                        + "\"sender_id\":\"00000000-0000-0000-0000-00000000a11c\",\"receiver_id\":\"00000000-0000-0000-0000-000000000b0b\","
                        + "\"currency\":\"EUR\",\"amount_gross\":\"10.00\",\"tax_withheld\":\"0.10\",\"amount_net\":\"9.90\",\"tax_kind\":\"TRANSFER_TAX\","
                        + "\"created_at\":\"2026-02-11T14:23:01.123456Z\",\"actor\":null,\"ip_address\":\"192.168.1.100\",\"user_agent\":\"Mozilla/5.0\","
                        + "\"reverses_transaction_id\":null,\"previous_hash\":\"460f5503545c0daa9c09eaec267dadadb85966800864dfe13f0fde3c8eb8e774\","
                        + "\"current_hash\":\"227429db1ee02e67a3f44ac2b050c2b21830ad6d9333f3a94110be2ff14f08ed\"}";
        byte[] line = line(vector2);
        assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo(expected);
        FastEntryLine fast = new FastEntryLine(CURRENCIES);
        assertThat(fast.read(line, 0, line.length)).isTrue();
        assertThat(fast.entry()).isEqualTo(vector2).isEqualTo(new EntryLine(CURRENCIES).parse(line, 0, line.length));
    }

    @Test
    void theEightByteScanFindsTheSameFirstSpecialByteAsAPlainLoop() {
        Random random = new Random(2);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) (random.nextInt(8) == 0 ? random.nextInt(256) : 'a' + random.nextInt(26));
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            int expected = b.length;
            for (int k = from; k < b.length; k++) {
                if (b[k] == '"' || b[k] == '\\' || (b[k] & 0xff) < 0x20 || (b[k] & 0xff) >= 0x80) {
                    expected = k;
                    break;
                }
            }
            assertThat(FastEntryLine.special(b, from, b.length)).isEqualTo(expected);
        }
    }

    private static LedgerEntry randomEntry(Random random, int i) {
        Currency currency =
                CURRENCIES.all().stream().skip(random.nextInt(3)).findFirst().orElseThrow();
        long gross = 1L + random.nextInt(1_000_000);
        long tax = random.nextInt(4) == 0 ? 0 : random.nextInt((int) Math.min(gross, 1000));
        boolean mint = random.nextInt(5) == 0;
        EntryContext ctx = new EntryContext(text(random), text(random), text(random));
        Hash previous = Hash.of(bytes(random, 32));
        return LedgerEntry.sealed(
                1 + random.nextInt(1_000_000),
                "tx-" + i + text(random).orElse(""),
                mint ? EntryType.MINT : EntryType.TRANSFER,
                mint ? Optional.empty() : Optional.of(UUID.randomUUID()),
                Optional.of(UUID.randomUUID()),
                currency.code(),
                gross,
                mint ? 0 : tax,
                gross - (mint ? 0 : tax),
                mint ? TaxKind.NONE : TaxKind.TRANSFER_TAX,
                Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000), random.nextInt(1_000_000) * 1000L),
                ctx,
                Optional.empty(),
                previous);
    }

    private static Optional<String> text(Random random) {
        if (random.nextInt(3) == 0) {
            return Optional.empty();
        }
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(12);
        for (int k = 0; k < n; k++) {
            sb.append(
                    random.nextInt(20) == 0
                            ? ALPHABET.charAt(random.nextInt(ALPHABET.length()))
                            : (char) ('a' + random.nextInt(26)));
        }
        return Optional.of(sb.toString());
    }

    private static boolean isPlain(LedgerEntry e) {
        return java.util.stream.Stream.of(
                        Optional.of(e.transactionId()), e.actor(), e.ipAddress(), e.userAgent(), e.reverses())
                .flatMap(Optional::stream)
                .allMatch(s -> s.chars().allMatch(c -> c >= 0x20 && c < 0x80 && c != '"' && c != '\\'));
    }

    private static byte[] line(LedgerEntry e) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = ExportFormat.JSON.createGenerator(out)) {
            ExportWriter.writeEntry(
                    g, e, CURRENCIES.find(e.currency()).orElseThrow().scale());
        }
        return out.toByteArray();
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
