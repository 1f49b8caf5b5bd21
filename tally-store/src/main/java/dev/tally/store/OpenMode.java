package dev.tally.store;

/**
 * Whether opening a store may create the ledger. A command that only reads (or that writes into a ledger it
 * expects to find) opens {@link #EXISTING}, so that a mistyped path or URL is refused instead of silently
 * becoming a new, empty ledger that then verifies as valid.
 */
public enum OpenMode {
    /** Create the ledger (a SQLite file and its directory, or the tables in a PostgreSQL schema) when it is missing. */
    CREATE,
    /**
     * The ledger must already exist: a SQLite file with Tally's tables, or a PostgreSQL schema with them.
     * Nothing is created, not even a directory; a missing ledger is a {@link NoLedgerException}.
     */
    EXISTING,
    /**
     * The ledger must already exist and is only read, as on a streaming replica: no migration, no partition
     * creation, and every connection's transactions are read-only, so nothing opened this way can write.
     * PostgreSQL only.
     */
    READ_ONLY
}
