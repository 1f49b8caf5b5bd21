package dev.tally.core.ledger;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The canonical binary encoding of an entry, version 1 (or 2 when it carries metadata), which its hash covers (docs/FORMAT.md).
 *
 * <p>Fixed field order, big-endian integers, UTF-8 strings prefixed by their 4-byte length, optional
 * values prefixed by a presence byte. Never JSON text: two encoders that follow the document produce the
 * same bytes, so anyone can recompute a hash in another language.
 */
public final class CanonicalEncoding {
    /** The format version of an entry without metadata, the first byte of its encoding. */
    public static final byte VERSION = 1;

    /** The format version of an entry with metadata: version 1's fields, then the metadata. */
    public static final byte VERSION_METADATA = 2;

    private CanonicalEncoding() {}

    /** Encodes every field except {@code currentHash}. */
    public static byte[] encode(LedgerEntry e) {
        Writer w = new Writer();
        Optional<String> metadata = e.metadata().canonical();
        w.u8(metadata.isPresent() ? VERSION_METADATA : VERSION);
        w.u64(e.seq());
        w.str(e.transactionId());
        w.str(e.type().name());
        w.str(e.status().name());
        w.uuid(e.senderId());
        w.uuid(e.receiverId());
        w.str(e.currency());
        w.u64(e.amountGross());
        w.u64(e.taxWithheld());
        w.u64(e.amountNet());
        w.str(e.taxKind().name());
        w.u64(epochMicros(e.createdAt()));
        w.opt(e.actor());
        w.opt(e.ipAddress());
        w.opt(e.userAgent());
        w.opt(e.reverses());
        w.raw(e.previousHash());
        if (metadata.isPresent()) {
            w.str(metadata.get());
        }
        return w.toBytes();
    }

    /** Microseconds since the epoch, the resolution every store keeps. */
    public static long epochMicros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    /** The instant of a count of microseconds since the epoch. */
    public static Instant fromEpochMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** A growable big-endian buffer; one per encoding, sized for a typical entry. */
    private static final class Writer {
        private byte[] buf = new byte[256];
        private int len;

        void u8(int v) {
            ensure(1);
            buf[len++] = (byte) v;
        }

        void u32(int v) {
            ensure(4);
            buf[len++] = (byte) (v >>> 24);
            buf[len++] = (byte) (v >>> 16);
            buf[len++] = (byte) (v >>> 8);
            buf[len++] = (byte) v;
        }

        void u64(long v) {
            ensure(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                buf[len++] = (byte) (v >>> shift);
            }
        }

        void str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u32(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, len, b.length);
            len += b.length;
        }

        void opt(Optional<String> s) {
            if (s.isPresent()) {
                u8(1);
                str(s.get());
            } else {
                u8(0);
            }
        }

        void uuid(Optional<UUID> id) {
            if (id.isPresent()) {
                u8(1);
                u64(id.get().getMostSignificantBits());
                u64(id.get().getLeastSignificantBits());
            } else {
                u8(0);
            }
        }

        void raw(Hash h) {
            ensure(32);
            h.copyTo(buf, len);
            len += 32;
        }

        private void ensure(int n) {
            if (len + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
        }

        byte[] toBytes() {
            return java.util.Arrays.copyOf(buf, len);
        }
    }
}
