package dev.tally.core.ledger;

import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
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
 *
 * <p>The ids one process makes with {@link #next} strictly increase (RFC 9562, method 1): the 12 bits after the
 * version count the ids of a millisecond. With random bits there, ids of the same millisecond would land at
 * random places inside the index's last page, and a page split in its middle dirties its neighbours too.
 */
public final class TimeOrderedIds {
    private static final RandomGenerator STRONG = new SecureRandom();
    /** The last stamp handed out: Unix milliseconds shifted left by 12, plus that millisecond's counter. */
    private static final AtomicLong LAST_STAMP = new AtomicLong();

    private TimeOrderedIds() {}

    /** A fresh version-7 UUID from the system clock and a strong random source, above every earlier one. */
    public static UUID next() {
        return next(STRONG);
    }

    /**
     * A fresh version-7 UUID above every earlier one of this process, its random bits from {@code random}. When
     * more than 4,096 ids are made in one millisecond, the count carries into the time, which then runs up to a
     * few milliseconds ahead of the clock until the clock catches up.
     */
    public static UUID next(RandomGenerator random) {
        long now = System.currentTimeMillis() << 12;
        long stamp = LAST_STAMP.accumulateAndGet(now, (last, clock) -> Math.max(last + 1, clock));
        long msb = ((stamp >>> 12) << 16) | 0x7000L | (stamp & 0x0FFFL);
        return new UUID(msb, randomLow(random));
    }

    /** The version-7 UUID of {@code unixMillis} with random bits from {@code random}. */
    public static UUID of(long unixMillis, RandomGenerator random) {
        if (unixMillis < 0 || unixMillis >= 1L << 48) {
            throw new IllegalArgumentException("a version-7 UUID holds 48 bits of Unix milliseconds: " + unixMillis);
        }
        long msb = (unixMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        return new UUID(msb, randomLow(random));
    }

    /** The low 64 bits: the variant (binary 10), then 62 random bits. */
    private static long randomLow(RandomGenerator random) {
        return (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    }

    /** The Unix time in milliseconds a version-7 UUID carries. */
    public static long unixMillis(UUID id) {
        if (id.version() != 7) {
            throw new IllegalArgumentException("not a version-7 UUID: " + id);
        }
        return id.getMostSignificantBits() >>> 16;
    }
}
