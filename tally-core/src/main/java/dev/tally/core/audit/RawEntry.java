package dev.tally.core.audit;

import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.EntryField;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One stored row as raw bytes, filled by a store's fast scanner and checked by
 * {@link ChainVerifier#tryAccept(RawEntry)} without building an entry: the fields are slices of one array
 * the driver returned for the row (offsets and lengths only, so that filling a row stores no references,
 * which the garbage collector would have to track), and {@link #encodeTo} writes the canonical encoding
 * (docs/FORMAT.md) straight from them.
 *
 * <p>This is the one mutable, reused object of the audit package, on purpose: a verifier reads a million
 * rows a second, and an entry with its strings, UUIDs and optionals per row would cost more than the
 * hashing. One instance per scanning thread; not thread-safe. A scanner that cannot take a row apart marks
 * it {@link #unreadable()} and still gives its link fields (seq, transaction id, current hash, time), so
 * the row goes to the full check and its successor can still be linked.
 */
public final class RawEntry {
    /** The text fields, in canonical order among themselves. */
    public enum Text {
        TRANSACTION_ID,
        TYPE,
        STATUS,
        CURRENCY,
        TAX_KIND,
        ACTOR,
        IP_ADDRESS,
        USER_AGENT,
        REVERSES_TRANSACTION_ID,
        METADATA;

        /** The text slot of an entry field of kind {@link EntryField.Kind#TEXT}. */
        public static Text of(EntryField field) {
            if (field.kind() != EntryField.Kind.TEXT) {
                throw new IllegalArgumentException(field + " is not a text field");
            }
            return valueOf(field.name());
        }
    }

    /** The two optional account ids. */
    public enum Party {
        SENDER,
        RECEIVER;

        /** The party of an entry field of kind {@link EntryField.Kind#UUID}. */
        public static Party of(EntryField field) {
            return switch (field) {
                case SENDER_ID -> SENDER;
                case RECEIVER_ID -> RECEIVER;
                default -> throw new IllegalArgumentException(field + " is not an account id field");
            };
        }
    }

    private static final int TEXTS = Text.values().length;
    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BIG_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    long seq;
    boolean readable;
    /** The row's bytes: every slice below is of this array. */
    byte[] data = new byte[0];

    final int[] textOff = new int[TEXTS];
    /** The byte length of each text, -1 when absent (SQL NULL). */
    final int[] textLen = new int[TEXTS];

    final boolean[] partyPresent = new boolean[2];
    final long[] partyMsb = new long[2];
    final long[] partyLsb = new long[2];
    long gross;
    long tax;
    long net;
    long createdAt;
    int prevOff;
    int prevLen;
    int curOff;
    int curLen;
    /** The length of the last {@link #encodeTo} output. */
    int encodedLength;

    /** Starts a new row at {@code seq} whose fields are slices of {@code rowData}: every text absent, no parties, readable. */
    public RawEntry begin(long rowSeq, byte[] rowData) {
        this.seq = rowSeq;
        this.data = rowData;
        this.readable = true;
        Arrays.fill(textLen, -1);
        partyPresent[0] = false;
        partyPresent[1] = false;
        prevLen = -1;
        curLen = -1;
        return this;
    }

    /** A text column's UTF-8 bytes. */
    public RawEntry text(Text field, int off, int len) {
        textOff[field.ordinal()] = off;
        textLen[field.ordinal()] = len;
        return this;
    }

    /** A text column that is SQL NULL. */
    public RawEntry absent(Text field) {
        textLen[field.ordinal()] = -1;
        return this;
    }

    /** An account id as its 16 bytes (PostgreSQL's binary uuid). */
    public RawEntry uuid(Party party, int off) {
        partyPresent[party.ordinal()] = true;
        partyMsb[party.ordinal()] = readLong(data, off);
        partyLsb[party.ordinal()] = readLong(data, off + 8);
        return this;
    }

    /**
     * An account id as text. Only the canonical 36-character form is taken (hex digits in either case);
     * anything else (which {@code UUID.fromString} may still parse leniently) marks the row unreadable, so
     * the full check decides about it.
     */
    public RawEntry uuidText(Party party, int off, int len) {
        byte[] src = data;
        if (len != 36 || src[off + 8] != '-' || src[off + 13] != '-' || src[off + 18] != '-' || src[off + 23] != '-') {
            readable = false;
            return this;
        }
        long a = hex8((long) BIG_ENDIAN_LONG.get(src, off));
        long b = hex4((int) BIG_ENDIAN_INT.get(src, off + 9));
        long c = hex4((int) BIG_ENDIAN_INT.get(src, off + 14));
        long d = hex4((int) BIG_ENDIAN_INT.get(src, off + 19));
        long e = hex4((int) BIG_ENDIAN_INT.get(src, off + 24));
        long f = hex8((long) BIG_ENDIAN_LONG.get(src, off + 28));
        if ((a | b | c | d | e | f) < 0) {
            readable = false;
            return this;
        }
        partyPresent[party.ordinal()] = true;
        partyMsb[party.ordinal()] = a << 32 | b << 16 | c;
        partyLsb[party.ordinal()] = d << 48 | e << 32 | f;
        return this;
    }

    /**
     * The value of the eight hex digits {@code x} holds (its first byte the most significant digit), or -1
     * when a byte is not one of {@code 0-9a-fA-F}. Eight bytes at once: a row holds two ids, and a table
     * lookup per digit cost more than the rest of taking the row apart.
     */
    static long hex8(long x) {
        // For bytes below 0x80 (checked first) no sum below carries into the next byte, and the top bit of
        // each byte of (x + (0x80 - k)) says whether that byte of x is at least k.
        long lower = x | 0x2020202020202020L;
        long digit = (x + 0x5050505050505050L) & ~(x + 0x4646464646464646L);
        long letter = (lower + 0x1F1F1F1F1F1F1F1FL) & ~(lower + 0x1919191919191919L);
        if ((x & 0x8080808080808080L) != 0 || ((digit | letter) & 0x8080808080808080L) != 0x8080808080808080L) {
            return -1;
        }
        // A nibble per byte: the low four bits, plus 9 for a letter ('a' and 'A' end in 1).
        long v = (x & 0x0F0F0F0F0F0F0F0FL) + ((letter & 0x8080808080808080L) >>> 7) * 9;
        v = (v | v >>> 4) & 0x00FF00FF00FF00FFL;
        v = (v | v >>> 8) & 0x0000FFFF0000FFFFL;
        return (v | v >>> 16) & 0xFFFFFFFFL;
    }

    /** {@link #hex8} for four hex digits. */
    static int hex4(int x) {
        int lower = x | 0x20202020;
        int digit = (x + 0x50505050) & ~(x + 0x46464646);
        int letter = (lower + 0x1F1F1F1F) & ~(lower + 0x19191919);
        if ((x & 0x80808080) != 0 || ((digit | letter) & 0x80808080) != 0x80808080) {
            return -1;
        }
        int v = (x & 0x0F0F0F0F) + ((letter & 0x80808080) >>> 7) * 9;
        v = (v | v >>> 4) & 0x00FF00FF;
        return (v | v >>> 8) & 0xFFFF;
    }

    /** An account id that is SQL NULL. */
    public RawEntry noParty(Party party) {
        partyPresent[party.ordinal()] = false;
        return this;
    }

    public RawEntry amounts(long amountGross, long taxWithheld, long amountNet) {
        this.gross = amountGross;
        this.tax = taxWithheld;
        this.net = amountNet;
        return this;
    }

    public RawEntry createdAtMicros(long micros) {
        this.createdAt = micros;
        return this;
    }

    /** The stored previous hash, whatever its length. */
    public RawEntry previousHash(int off, int len) {
        prevOff = off;
        prevLen = len;
        return this;
    }

    /** The stored current hash, whatever its length. */
    public RawEntry currentHash(int off, int len) {
        curOff = off;
        curLen = len;
        return this;
    }

    /** The scanner could not take this row apart; only its link fields are set. */
    public RawEntry unreadable() {
        readable = false;
        return this;
    }

    public long seq() {
        return seq;
    }

    boolean hasText(Text field) {
        return textLen[field.ordinal()] >= 0;
    }

    /** Whether the metadata column holds exactly the canonical form of valid metadata (one spelling per entry). */
    boolean metadataIsCanonical() {
        int i = Text.METADATA.ordinal();
        String text = new String(data, textOff[i], textLen[i], java.nio.charset.StandardCharsets.UTF_8);
        try {
            dev.tally.core.ledger.Metadata.parseCanonical(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] again = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return Arrays.equals(data, textOff[i], textOff[i] + textLen[i], again, 0, again.length);
    }

    boolean textEquals(Text field, byte[] expected) {
        int i = field.ordinal();
        return textLen[i] == expected.length
                && Arrays.equals(data, textOff[i], textOff[i] + textLen[i], expected, 0, expected.length);
    }

    /**
     * Writes the canonical encoding of this row into {@code out} (growing it when needed) and returns the
     * buffer holding it; {@link #encodedLength} is then its length. Byte for byte what
     * {@link CanonicalEncoding#encode} writes for the entry these columns read as (RawEntryTest checks it).
     */
    byte[] encodeTo(byte[] out) {
        int need = 1 + 8 + 2 * 17 + 3 * 8 + 8 + 32 + 4 * 5;
        for (int i = 0; i < TEXTS; i++) {
            need += Math.max(textLen[i], 0) + 4;
        }
        byte[] b = out.length >= need ? out : new byte[Math.max(need, out.length * 2)];
        int p = 0;
        boolean withMetadata = hasText(Text.METADATA);
        b[p++] = withMetadata ? CanonicalEncoding.VERSION_METADATA : CanonicalEncoding.VERSION;
        p = putLong(b, p, seq);
        p = putText(b, p, Text.TRANSACTION_ID);
        p = putText(b, p, Text.TYPE);
        p = putText(b, p, Text.STATUS);
        p = putParty(b, p, Party.SENDER);
        p = putParty(b, p, Party.RECEIVER);
        p = putText(b, p, Text.CURRENCY);
        p = putLong(b, p, gross);
        p = putLong(b, p, tax);
        p = putLong(b, p, net);
        p = putText(b, p, Text.TAX_KIND);
        p = putLong(b, p, createdAt);
        p = putOptional(b, p, Text.ACTOR);
        p = putOptional(b, p, Text.IP_ADDRESS);
        p = putOptional(b, p, Text.USER_AGENT);
        p = putOptional(b, p, Text.REVERSES_TRANSACTION_ID);
        System.arraycopy(data, prevOff, b, p, 32);
        p += 32;
        if (withMetadata) {
            p = putText(b, p, Text.METADATA);
        }
        encodedLength = p;
        return b;
    }

    private int putText(byte[] b, int p, Text field) {
        int i = field.ordinal();
        int len = textLen[i];
        b[p] = (byte) (len >>> 24);
        b[p + 1] = (byte) (len >>> 16);
        b[p + 2] = (byte) (len >>> 8);
        b[p + 3] = (byte) len;
        System.arraycopy(data, textOff[i], b, p + 4, len);
        return p + 4 + len;
    }

    private int putOptional(byte[] b, int p, Text field) {
        if (textLen[field.ordinal()] < 0) {
            b[p] = 0;
            return p + 1;
        }
        b[p] = 1;
        return putText(b, p + 1, field);
    }

    private int putParty(byte[] b, int p, Party party) {
        int i = party.ordinal();
        if (!partyPresent[i]) {
            b[p] = 0;
            return p + 1;
        }
        b[p] = 1;
        p = putLong(b, p + 1, partyMsb[i]);
        return putLong(b, p, partyLsb[i]);
    }

    private static int putLong(byte[] b, int p, long v) {
        BIG_ENDIAN_LONG.set(b, p, v);
        return p + 8;
    }

    private static long readLong(byte[] src, int off) {
        return (long) BIG_ENDIAN_LONG.get(src, off);
    }
}
