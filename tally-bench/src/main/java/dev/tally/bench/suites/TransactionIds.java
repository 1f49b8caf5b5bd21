package dev.tally.bench.suites;

import dev.tally.core.ledger.TimeOrderedIds;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * The transaction ids a benchmark's clients send: the idempotency index is keyed by them, so whether they are
 * random or grow with time decides whether each new entry lands on a random leaf page or on the index's last.
 */
enum TransactionIds {
    /** Version-4 UUIDs, as most clients send: one random leaf page of the index per entry. */
    RANDOM {
        @Override
        String next(RandomGenerator random) {
            long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
            long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            return new UUID(msb, lsb).toString();
        }
    },
    /** Version-7 UUIDs ({@link TimeOrderedIds}), as Tally makes them: the index grows at its end. */
    TIME_ORDERED {
        @Override
        String next(RandomGenerator random) {
            return TimeOrderedIds.next(random).toString();
        }
    };

    /** A fresh transaction id, its random bits from {@code random} (a fast generator: ids are not secrets here). */
    abstract String next(RandomGenerator random);
}
