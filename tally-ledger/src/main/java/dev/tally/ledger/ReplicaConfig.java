package dev.tally.ledger;

import java.util.Objects;

/**
 * A read replica of the ledger's store (a PostgreSQL streaming standby) and what to do when it cannot serve:
 * how far behind the primary it may be, in entries and in WAL bytes, and whether a read then falls back to the
 * primary (with a warning) or fails.
 */
public record ReplicaConfig(String location, long maxLagEntries, long maxLagBytes, Fallback fallback) {
    /** The lag allowed unless configured: a thousand entries, any number of WAL bytes. */
    public static final long DEFAULT_MAX_LAG_ENTRIES = 1_000;

    /** What a read does when the replica is down or lags too far. */
    public enum Fallback {
        /** Read the primary instead, and say so in the report. */
        PRIMARY,
        /** Refuse to read at all ({@link ReplicaUnavailableException}). */
        FAIL
    }

    public ReplicaConfig {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(fallback, "fallback");
        if (location.isBlank()) {
            throw new IllegalArgumentException("the replica's location is blank");
        }
        if (maxLagEntries < 0 || maxLagBytes < 0) {
            throw new IllegalArgumentException("a replica's maximum lag cannot be negative");
        }
    }

    /** The replica at {@code location}, with the default lag bound, falling back to the primary. */
    public static ReplicaConfig of(String location) {
        return new ReplicaConfig(location, DEFAULT_MAX_LAG_ENTRIES, Long.MAX_VALUE, Fallback.PRIMARY);
    }

    public ReplicaConfig withMaxLagEntries(long entries) {
        return new ReplicaConfig(location, entries, maxLagBytes, fallback);
    }

    public ReplicaConfig withMaxLagBytes(long bytes) {
        return new ReplicaConfig(location, maxLagEntries, bytes, fallback);
    }

    public ReplicaConfig withFallback(Fallback newFallback) {
        return new ReplicaConfig(location, maxLagEntries, maxLagBytes, newFallback);
    }
}
