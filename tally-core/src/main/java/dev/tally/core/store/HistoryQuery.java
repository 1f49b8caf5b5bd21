package dev.tally.core.store;

import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.LedgerEntry;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A page of one account's history, newest first, on the (account, created_at desc) indexes. The cursor
 * is the position of the last entry of the previous page; the next page holds strictly older entries.
 */
public record HistoryQuery(UUID accountId, Direction direction, Optional<Cursor> before, int limit) {
    public static final int MAX_LIMIT = 1000;

    /** Which side of the entries to list. */
    public enum Direction {
        SENT,
        RECEIVED,
        ALL
    }

    /** A keyset position: (created_at in epoch microseconds, seq). Printed as {@code micros-seq}. */
    public record Cursor(long createdAtMicros, long seq) {
        /** The cursor just after an entry. */
        public static Cursor after(LedgerEntry e) {
            return new Cursor(CanonicalEncoding.epochMicros(e.createdAt()), e.seq());
        }

        /** Parses the printed form; throws {@link IllegalArgumentException} when malformed. */
        public static Cursor parse(String text) {
            int dash = text == null ? -1 : text.indexOf('-', 1);
            if (dash < 0) {
                throw new IllegalArgumentException("cursor must look like 1732500000000000-42");
            }
            try {
                return new Cursor(Long.parseLong(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cursor must look like 1732500000000000-42");
            }
        }

        @Override
        public String toString() {
            return createdAtMicros + "-" + seq;
        }
    }

    public HistoryQuery {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(before, "before");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }
}
