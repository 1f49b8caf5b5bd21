package dev.tally.core.audit;

import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Valid in-memory chains, the raw rows a scanner would hand over for them, and ways to damage entries. */
final class TestChains {
    static final UUID ALICE = UUID.fromString("00000000-0000-0000-0000-00000000a11c");
    static final UUID BOB = UUID.fromString("00000000-0000-0000-0000-000000000b0b");
    static final Instant T0 = Instant.parse("2026-02-11T14:23:00.123456Z");

    private TestChains() {}

    /** A valid chain: a mint to alice, then transfers between alice and bob, one second apart. */
    static List<LedgerEntry> chain(int n) {
        List<LedgerEntry> chain = new ArrayList<>();
        Hash previous = Hash.ZERO;
        for (int i = 1; i <= n; i++) {
            LedgerEntry e = i == 1
                    ? LedgerEntry.sealed(
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
                            previous)
                    : LedgerEntry.sealed(
                            i,
                            "tx-" + i,
                            EntryType.TRANSFER,
                            Optional.of(i % 2 == 0 ? ALICE : BOB),
                            Optional.of(i % 2 == 0 ? BOB : ALICE),
                            "EUR",
                            1_000,
                            10,
                            990,
                            TaxKind.TRANSFER_TAX,
                            T0.plusSeconds(i),
                            new EntryContext(
                                    Optional.empty(), Optional.of("192.168.1.100"), Optional.of("Mozilla/5.0")),
                            Optional.empty(),
                            previous);
            chain.add(e);
            previous = e.currentHash();
        }
        return chain;
    }

    /** The same entry with changed fields and its stored hash kept: what a tamperer leaves. */
    static LedgerEntry edit(LedgerEntry e, UnaryOperator<Fields> change) {
        Fields f = change.apply(new Fields(e));
        return new LedgerEntry(
                f.seq,
                e.transactionId(),
                e.type(),
                e.status(),
                f.sender,
                e.receiverId(),
                e.currency(),
                f.gross,
                e.taxWithheld(),
                f.net,
                e.taxKind(),
                f.createdAt,
                e.actor(),
                e.ipAddress(),
                e.userAgent(),
                e.reverses(),
                f.previous,
                f.current);
    }

    /** The editable fields of {@link #edit}. */
    static final class Fields {
        long seq;
        Optional<UUID> sender;
        long gross;
        long net;
        Instant createdAt;
        Hash previous;
        Hash current;

        Fields(LedgerEntry e) {
            seq = e.seq();
            sender = e.senderId();
            gross = e.amountGross();
            net = e.amountNet();
            createdAt = e.createdAt();
            previous = e.previousHash();
            current = e.currentHash();
        }

        Fields seq(long s) {
            seq = s;
            return this;
        }

        Fields sender(UUID s) {
            sender = Optional.of(s);
            return this;
        }

        Fields gross(long g) {
            gross = g;
            return this;
        }

        Fields amounts(long g, long n) {
            gross = g;
            net = n;
            return this;
        }

        Fields createdAt(Instant t) {
            createdAt = t;
            return this;
        }

        Fields previous(Hash h) {
            previous = h;
            return this;
        }

        Fields current(Hash h) {
            current = h;
            return this;
        }
    }

    /** The raw row a fast scanner hands over for an entry, ids as 16 bytes or as canonical text. */
    static RawEntry raw(LedgerEntry e, boolean idsAsText) {
        // Like a driver's row: every field in one array, here with a gap before each so offsets matter.
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        List<Runnable> fills = new ArrayList<>();
        RawEntry r = new RawEntry();
        text(r, data, fills, RawEntry.Text.TRANSACTION_ID, Optional.of(e.transactionId()));
        text(r, data, fills, RawEntry.Text.TYPE, Optional.of(e.type().name()));
        text(r, data, fills, RawEntry.Text.STATUS, Optional.of(e.status().name()));
        text(r, data, fills, RawEntry.Text.CURRENCY, Optional.of(e.currency()));
        text(r, data, fills, RawEntry.Text.TAX_KIND, Optional.of(e.taxKind().name()));
        text(r, data, fills, RawEntry.Text.ACTOR, e.actor());
        text(r, data, fills, RawEntry.Text.IP_ADDRESS, e.ipAddress());
        text(r, data, fills, RawEntry.Text.USER_AGENT, e.userAgent());
        text(r, data, fills, RawEntry.Text.REVERSES_TRANSACTION_ID, e.reverses());
        text(r, data, fills, RawEntry.Text.METADATA, e.metadata().canonical());
        party(r, data, fills, RawEntry.Party.SENDER, e.senderId(), idsAsText);
        party(r, data, fills, RawEntry.Party.RECEIVER, e.receiverId(), idsAsText);
        int previous = put(data, e.previousHash().bytes());
        int current = put(data, e.currentHash().bytes());
        r.begin(e.seq(), data.toByteArray());
        fills.forEach(Runnable::run);
        return r.amounts(e.amountGross(), e.taxWithheld(), e.amountNet())
                .createdAtMicros(dev.tally.core.ledger.CanonicalEncoding.epochMicros(e.createdAt()))
                .previousHash(previous, 32)
                .currentHash(current, 32);
    }

    private static int put(java.io.ByteArrayOutputStream data, byte[] bytes) {
        data.write(0x7f);
        int at = data.size();
        data.writeBytes(bytes);
        return at;
    }

    private static void text(
            RawEntry r,
            java.io.ByteArrayOutputStream data,
            List<Runnable> fills,
            RawEntry.Text field,
            Optional<String> value) {
        if (value.isEmpty()) {
            fills.add(() -> r.absent(field));
            return;
        }
        byte[] b = value.get().getBytes(StandardCharsets.UTF_8);
        int at = put(data, b);
        fills.add(() -> r.text(field, at, b.length));
    }

    private static void party(
            RawEntry r,
            java.io.ByteArrayOutputStream data,
            List<Runnable> fills,
            RawEntry.Party party,
            Optional<UUID> id,
            boolean asText) {
        if (id.isEmpty()) {
            fills.add(() -> r.noParty(party));
        } else if (asText) {
            byte[] t = id.get().toString().getBytes(StandardCharsets.US_ASCII);
            int at = put(data, t);
            fills.add(() -> r.uuidText(party, at, t.length));
        } else {
            byte[] b = new byte[16];
            long msb = id.get().getMostSignificantBits();
            long lsb = id.get().getLeastSignificantBits();
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (msb >>> (56 - 8 * i));
                b[8 + i] = (byte) (lsb >>> (56 - 8 * i));
            }
            int at = put(data, b);
            fills.add(() -> r.uuid(party, at));
        }
    }
}
