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
public record HistoryQuery(
        UUID accountId, Direction direction, Optional<Cursor> before, int limit, Optional<MetadataMatch> metadata) {
    public static final int MAX_LIMIT = 1000;

    /** A query without a metadata filter. */
    public HistoryQuery(UUID accountId, Direction direction, Optional<Cursor> before, int limit) {
        this(accountId, direction, before, limit, Optional.empty());
    }

    /**
     * Only entries whose metadata holds {@code key} with exactly {@code value}. Not indexed: the store reads
     * the account's entries newest first (on its index) and keeps the matching ones, so a rare value costs
     * a scan of the account's history (docs/HTTP.md).
     */
    public record MetadataMatch(String key, String value) {
        public MetadataMatch {
            // Validates the key and value as metadata would, so an impossible filter is a usage error.
            dev.tally.core.ledger.Metadata.canonicalPair(key, value);
        }

        /**
         * The text a matching entry's canonical metadata contains once its braces are replaced by commas:
         * {@code ,"key":"value",}. Exact: an escaped value never holds an unescaped quote, so the pattern
         * cannot begin or end inside another pair.
         */
        public String pattern() {
            return "," + dev.tally.core.ledger.Metadata.canonicalPair(key, value) + ",";
        }
    }

    /** The same query with a metadata filter. */
    public HistoryQuery withMetadata(MetadataMatch match) {
        return new HistoryQuery(accountId, direction, before, limit, Optional.of(match));
    }

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
        Objects.requireNonNull(metadata, "metadata");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }
}
