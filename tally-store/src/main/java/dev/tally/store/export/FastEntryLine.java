package dev.tally.store.export;

import dev.tally.core.audit.RawEntry;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.EntryField;
import dev.tally.core.ledger.EntryStatus;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.Metadata;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The audit's fast way through an entry line: a byte-level reader of exactly the layout {@link ExportWriter}
 * writes (its field order, no whitespace, ASCII strings without escapes), which hands the fields as slices
 * of the file's bytes to a {@link RawEntry} for the core's allocation-free check
 * ({@code ChainVerifier.tryAccept}). Anything else (another field order, an escape, a non-ASCII character,
 * a value that does not read) makes {@link #read} return false, and the caller takes the line through
 * {@link EntryLine}, Jackson's strict reading, which decides; so this class only ever agrees with it,
 * faster. One instance per thread.
 */
final class FastEntryLine {
    /** The bytes before each field's value, in {@link EntryField} order: the writer's exact layout. */
    private static final byte[][] KEYS = EntryField.all().stream()
            .map(f -> (f == EntryField.SEQ ? "{\"record\":\"entry\",\"" : ",\"") + f.wire() + "\":")
            .map(k -> k.getBytes(StandardCharsets.US_ASCII))
            .toArray(byte[][]::new);

    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final int TX = EntryField.TRANSACTION_ID.ordinal();
    private static final int TYPE = EntryField.TYPE.ordinal();
    private static final int STATUS = EntryField.STATUS.ordinal();
    private static final int SENDER = EntryField.SENDER_ID.ordinal();
    private static final int RECEIVER = EntryField.RECEIVER_ID.ordinal();
    private static final int CURRENCY = EntryField.CURRENCY.ordinal();
    private static final int GROSS = EntryField.AMOUNT_GROSS.ordinal();
    private static final int TAX = EntryField.TAX_WITHHELD.ordinal();
    private static final int NET = EntryField.AMOUNT_NET.ordinal();
    private static final int KIND = EntryField.TAX_KIND.ordinal();
    private static final int CREATED = EntryField.CREATED_AT.ordinal();
    private static final int ACTOR = EntryField.ACTOR.ordinal();
    private static final int IP = EntryField.IP_ADDRESS.ordinal();
    private static final int AGENT = EntryField.USER_AGENT.ordinal();
    private static final int REVERSES = EntryField.REVERSES_TRANSACTION_ID.ordinal();
    private static final int PREVIOUS = EntryField.PREVIOUS_HASH.ordinal();
    private static final int CURRENT = EntryField.CURRENT_HASH.ordinal();
    private static final int METADATA = EntryField.METADATA.ordinal();
    /** The fixed value length of each field, 0 when it varies. */
    private static final int[] FIXED = new int[KEYS.length];

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH = 0x8080808080808080L;

    static {
        for (EntryField f : EntryField.all()) {
            FIXED[f.ordinal()] = switch (f.kind()) {
                case UUID -> 36;
                case TIME -> 27;
                case HASH -> 64;
                default -> 0;
            };
        }
    }

    /** Hex digit values by byte, -1 for any other byte. */
    private static final int[] NIBBLE = new int[256];

    static {
        java.util.Arrays.fill(NIBBLE, -1);
        for (int i = 0; i < 10; i++) {
            NIBBLE['0' + i] = i;
        }
        for (int i = 0; i < 6; i++) {
            NIBBLE['a' + i] = 10 + i;
            NIBBLE['A' + i] = 10 + i;
        }
    }

    private static final byte[][] TYPES = names(EntryType.values());
    private static final byte[][] STATUSES = names(EntryStatus.values());
    private static final byte[][] KINDS = names(TaxKind.values());

    private final Currency[] currencies;
    private final byte[][] codes;
    /** Value slices of the current line, by field: offset and length; length -1 for null. */
    private final int[] off = new int[KEYS.length];

    private final int[] len = new int[KEYS.length];
    private byte[] src = new byte[0];
    private int end;
    private long seq;
    /**
     * The row handed to the raw check: a copy of the line, then the decoded previous and current hash (32
     * bytes each) and the sender and receiver ids (16 bytes each).
     */
    private byte[] row = new byte[1024];

    private int base;
    private int hashes;
    private final long[] party = new long[4];
    private @Nullable Currency currency;
    private long gross;
    private long tax;
    private long net;
    private long micros;
    private int type;
    private int status;
    private int kind;

    FastEntryLine(Currencies currencies) {
        this.currencies = currencies.all().toArray(Currency[]::new);
        this.codes = new byte[this.currencies.length][];
        for (int i = 0; i < codes.length; i++) {
            codes[i] = this.currencies[i].code().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * Reads the line starting at {@code pos} (up to {@code limit}) and decodes its values; false when the
     * line is not in the writer's exact layout or a value does not read, so the caller must take the slow
     * way. After true, {@link #end()} is the position of the line's newline (or {@code limit}).
     */
    boolean read(byte[] b, int pos, int limit) {
        src = b;
        base = pos;
        int p = pos;
        for (int field = 0; field < KEYS.length; field++) {
            byte[] key = KEYS[field];
            if (field == METADATA) {
                // Written only when an entry has metadata, whose canonical text always holds escaped quotes: such
                // a line is the slow way's.
                off[field] = p;
                len[field] = -1;
                if (p + key.length <= limit && same(b, p, key)) {
                    return false;
                }
                continue;
            }
            if (p + key.length > limit || !same(b, p, key)) {
                return false;
            }
            p += key.length;
            if (field == 0) {
                int start = p;
                long v = 0;
                while (p < limit && b[p] >= '0' && b[p] <= '9' && p - start < 18) {
                    v = v * 10 + (b[p++] - '0');
                }
                if (p == start || b[start] == '0') {
                    return false;
                }
                seq = v;
                continue;
            }
            if (p + 4 <= limit && b[p] == 'n' && java.util.Arrays.equals(b, p, p + 4, NULL, 0, 4)) {
                off[field] = p;
                len[field] = -1;
                p += 4;
                continue;
            }
            if (p >= limit || b[p] != '"') {
                return false;
            }
            int start = ++p;
            int fixed = FIXED[field];
            if (fixed > 0) {
                // Hashes, account ids and times have one length; their decoding checks every character.
                p += fixed;
                if (p >= limit || b[p] != '"') {
                    return false;
                }
            } else {
                p = special(b, p, limit);
                if (p >= limit || b[p] != '"') {
                    return false; // an escape, a control character or a non-ASCII byte: the slow way decides
                }
            }
            off[field] = start;
            len[field] = p - start;
            p++;
        }
        if (p >= limit || b[p] != '}' || (p + 1 < limit && b[p + 1] != '\n')) {
            return false;
        }
        end = p + 1;
        return decode();
    }

    /** The position just after the line's closing brace: its newline, or the block's end. */
    int end() {
        return end;
    }

    long seq() {
        return seq;
    }

    private boolean decode() {
        if (len[TX] < 0
                || len[TYPE] < 0
                || len[STATUS] < 0
                || len[CURRENCY] < 0
                || len[KIND] < 0
                || len[GROSS] < 0
                || len[TAX] < 0
                || len[NET] < 0
                || len[CREATED] < 0
                || len[PREVIOUS] != 64
                || len[CURRENT] != 64) {
            return false;
        }
        int c = match(CURRENCY, codes);
        type = match(TYPE, TYPES);
        status = match(STATUS, STATUSES);
        kind = match(KIND, KINDS);
        int lineLength = end - base;
        hashes = lineLength;
        if (row.length < lineLength + 96) {
            row = new byte[Math.max(row.length * 2, lineLength + 96)];
        }
        if (c < 0
                || type < 0
                || status < 0
                || kind < 0
                || !uuid(SENDER, 0)
                || !uuid(RECEIVER, 2)
                || !hex(PREVIOUS, hashes)
                || !hex(CURRENT, hashes + 32)) {
            return false;
        }
        System.arraycopy(src, base, row, 0, lineLength);
        currency = currencies[c];
        try {
            gross = minor(GROSS, currency.scale());
            tax = minor(TAX, currency.scale());
            net = minor(NET, currency.scale());
            micros = ExportFormat.micros(src, off[CREATED], len[CREATED]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return true;
    }

    /** Hands the line's fields to the core's raw checker. */
    void fill(RawEntry raw) {
        raw.begin(seq, row);
        text(raw, RawEntry.Text.TRANSACTION_ID, TX);
        text(raw, RawEntry.Text.TYPE, TYPE);
        text(raw, RawEntry.Text.STATUS, STATUS);
        text(raw, RawEntry.Text.CURRENCY, CURRENCY);
        text(raw, RawEntry.Text.TAX_KIND, KIND);
        text(raw, RawEntry.Text.ACTOR, ACTOR);
        text(raw, RawEntry.Text.IP_ADDRESS, IP);
        text(raw, RawEntry.Text.USER_AGENT, AGENT);
        text(raw, RawEntry.Text.REVERSES_TRANSACTION_ID, REVERSES);
        text(raw, RawEntry.Text.METADATA, METADATA);
        if (len[SENDER] < 0) {
            raw.noParty(RawEntry.Party.SENDER);
        } else {
            raw.uuid(RawEntry.Party.SENDER, hashes + 64);
        }
        if (len[RECEIVER] < 0) {
            raw.noParty(RawEntry.Party.RECEIVER);
        } else {
            raw.uuid(RawEntry.Party.RECEIVER, hashes + 80);
        }
        raw.amounts(gross, tax, net)
                .createdAtMicros(micros)
                .previousHash(hashes, 32)
                .currentHash(hashes + 32, 32);
    }

    /** The entry itself, for the replay: what {@link EntryLine} would read from the same line. */
    LedgerEntry entry() {
        return new LedgerEntry(
                seq,
                string(TX),
                EntryType.values()[type],
                EntryStatus.values()[status],
                len[SENDER] < 0 ? Optional.empty() : Optional.of(new UUID(party[0], party[1])),
                len[RECEIVER] < 0 ? Optional.empty() : Optional.of(new UUID(party[2], party[3])),
                java.util.Objects.requireNonNull(currency, "no line read").code(),
                gross,
                tax,
                net,
                TaxKind.values()[kind],
                CanonicalEncoding.fromEpochMicros(micros),
                optional(ACTOR),
                optional(IP),
                optional(AGENT),
                optional(REVERSES),
                Hash.of(java.util.Arrays.copyOfRange(row, hashes, hashes + 32)),
                optional(METADATA).map(Metadata::parseCanonical).orElse(Metadata.EMPTY),
                Hash.of(java.util.Arrays.copyOfRange(row, hashes + 32, hashes + 64)));
    }

    /** Copies the current hash (32 bytes) into {@code out} at {@code at}. */
    void currentHash(byte[] out, int at) {
        System.arraycopy(row, hashes + 32, out, at, 32);
    }

    private void text(RawEntry raw, RawEntry.Text field, int f) {
        if (len[f] < 0) {
            raw.absent(field);
        } else {
            raw.text(field, off[f] - base, len[f]);
        }
    }

    private String string(int f) {
        return new String(src, off[f], len[f], StandardCharsets.ISO_8859_1); // ASCII: checked while reading
    }

    private Optional<String> optional(int f) {
        return len[f] < 0 ? Optional.empty() : Optional.of(string(f));
    }

    private int match(int f, byte[][] names) {
        for (int i = 0; i < names.length; i++) {
            byte[] n = names[i];
            if (n.length == len[f] && java.util.Arrays.equals(src, off[f], off[f] + len[f], n, 0, n.length)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The canonical 36-character form only (as the writer writes it): the id for the entry's UUID object,
     * and its 16 bytes into the row for the raw check.
     */
    private boolean uuid(int f, int slot) {
        if (len[f] < 0) {
            return true;
        }
        int o = off[f];
        byte[] b = src;
        if (b[o + 8] != '-' || b[o + 13] != '-' || b[o + 18] != '-' || b[o + 23] != '-') {
            return false;
        }
        long a = hexValue(b, o, 8);
        long c = hexValue(b, o + 9, 4);
        long d = hexValue(b, o + 14, 4);
        long e = hexValue(b, o + 19, 4);
        long g = hexValue(b, o + 24, 12);
        if ((a | c | d | e | g) < 0) {
            return false;
        }
        long msb = a << 32 | c << 16 | d;
        long lsb = e << 48 | g;
        party[slot] = msb;
        party[slot + 1] = lsb;
        int at = hashes + 64 + slot * 8;
        for (int i = 0; i < 8; i++) {
            row[at + i] = (byte) (msb >>> (56 - 8 * i));
            row[at + 8 + i] = (byte) (lsb >>> (56 - 8 * i));
        }
        return true;
    }

    /** The value of {@code n} hex digits, or -1 when one is not a hex digit; no branch per digit. */
    private static long hexValue(byte[] b, int off, int n) {
        long v = 0;
        int bad = 0;
        for (int i = 0; i < n; i++) {
            int digit = NIBBLE[b[off + i] & 0xff];
            bad |= digit;
            v = v << 4 | (digit & 0xf);
        }
        return bad < 0 ? -1 : v;
    }

    /** 64 hex digits into 32 bytes of the row. */
    private boolean hex(int f, int at) {
        int o = off[f];
        byte[] b = src;
        int bad = 0;
        for (int i = 0; i < 32; i++) {
            int hi = NIBBLE[b[o + 2 * i] & 0xff];
            int lo = NIBBLE[b[o + 2 * i + 1] & 0xff];
            bad |= hi | lo;
            row[at + i] = (byte) (hi << 4 | (lo & 0xf));
        }
        return bad >= 0;
    }

    /** {@link ExportFormat#minor} on bytes: an optional minus, no leading zeros, exactly {@code scale} decimals. */
    private long minor(int f, int scale) {
        int o = off[f];
        int n = len[f];
        int i = 0;
        boolean negative = n > 0 && src[o] == '-';
        if (negative) {
            i = 1;
        }
        int point = scale == 0 ? n : n - scale - 1;
        // 18 digits at most: the slow way reads (and bounds) longer numbers exactly.
        if (point <= i
                || (scale > 0 && src[o + point] != '.')
                || (point - i > 1 && src[o + i] == '0')
                || n - i - (scale > 0 ? 1 : 0) > 18) {
            throw new IllegalArgumentException("amount");
        }
        long v = 0;
        for (int k = i; k < n; k++) {
            if (k == point) {
                continue;
            }
            byte c = src[o + k];
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("amount");
            }
            v = v * 10 + (c - '0');
        }
        if (negative && v == 0) {
            throw new IllegalArgumentException("amount");
        }
        return negative ? -v : v;
    }

    /** Whether {@code b} holds {@code key} at {@code p} (which has room for it), eight bytes at a time. */
    private static boolean same(byte[] b, int p, byte[] key) {
        int n = key.length;
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            if ((long) LONGS.get(b, p + i) != (long) LONGS.get(key, i)) {
                return false;
            }
        }
        if (i < n) {
            // The last eight bytes, overlapping the ones already compared.
            return n < 8
                    ? java.util.Arrays.equals(b, p, p + n, key, 0, n)
                    : (long) LONGS.get(b, p + n - 8) == (long) LONGS.get(key, n - 8);
        }
        return true;
    }

    /**
     * The first position at or after {@code p} holding a quote, a backslash, a control character or a
     * non-ASCII byte (or {@code limit}), eight bytes at a time: the lowest flagged byte of these SWAR tests is
     * exact (a borrow can only flag bytes above a true hit).
     */
    static int special(byte[] b, int p, int limit) {
        while (p + 8 <= limit) {
            long x = (long) LONGS.get(b, p);
            long quote = x ^ 0x2222222222222222L;
            long slash = x ^ 0x5C5C5C5C5C5C5C5CL;
            long t = (((quote - ONES) & ~quote) | ((slash - ONES) & ~slash) | ((x - 0x2020202020202020L) & ~x) | x)
                    & HIGH;
            if (t != 0) {
                return p + (Long.numberOfTrailingZeros(t) >>> 3);
            }
            p += 8;
        }
        while (p < limit) {
            byte c = b[p];
            if (c == '"' || c == '\\' || c < 0x20) { // negative: a non-ASCII byte
                return p;
            }
            p++;
        }
        return limit;
    }

    private static byte[][] names(Enum<?>[] values) {
        byte[][] out = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i].name().getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }
}
