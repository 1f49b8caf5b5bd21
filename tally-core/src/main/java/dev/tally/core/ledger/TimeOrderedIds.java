package dev.tally.core.ledger;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Time-ordered UUIDs (RFC 9562 version 7) for the ids Tally hands out itself: account ids, and the
 * transaction ids it makes up when a caller gives none.
 *
 * <p>The first 48 bits are the Unix time in milliseconds, so ids made later sort later, in binary and in their
 * 36-character text form alike (hex digits sort as their values in ASCII). An index keyed by such ids grows at
 * its end: a commit dirties the index's last page instead of one random leaf page per new row, which is what a
 * version-4 id costs once the index is larger than the cache. The other 74 bits are random, from the same
 * strong source as {@link UUID#randomUUID()}, so ids made in the same millisecond, here or in another process,
 * still do not collide. They are ordinary UUIDs: the canonical encoding and the export format see the same
 * 36-character text as before.
 */
public final class TimeOrderedIds {
    private static final RandomGenerator STRONG = new SecureRandom();

    private TimeOrderedIds() {}

    /** A fresh version-7 UUID from the system clock and a strong random source. */
    public static UUID next() {
        return of(System.currentTimeMillis(), STRONG);
    }

    /** The version-7 UUID of {@code unixMillis} with random bits from {@code random}. */
    public static UUID of(long unixMillis, RandomGenerator random) {
        if (unixMillis < 0 || unixMillis >= 1L << 48) {
            throw new IllegalArgumentException("a version-7 UUID holds 48 bits of Unix milliseconds: " + unixMillis);
        }
        long msb = (unixMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** The Unix time in milliseconds a version-7 UUID carries. */
    public static long unixMillis(UUID id) {
        if (id.version() != 7) {
            throw new IllegalArgumentException("not a version-7 UUID: " + id);
        }
        return id.getMostSignificantBits() >>> 16;
    }
}
