package dev.tally.store.internal.jdbc;

import dev.tally.core.audit.ChainVerifier;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.LongConsumer;

/**
 * The fast raw scan of one SQL dialect: reads one slice of {@code ledger_entries} and hands each row to a
 * {@link ChainVerifier} as a {@link dev.tally.core.audit.RawEntry}, without building entries. The slices,
 * the diagnosis of suspects and everything else a verification reads are the dialect-neutral
 * {@link ChainScanner}'s.
 */
interface EntryScanner {
    /** How often, in rows, a scanner reports progress. */
    int PROGRESS_EVERY = 4096;

    /** What one statement read: how many rows, and the position of the last. */
    record Slice(long rows, long lastSeq) {}

    /**
     * Hands the at most {@code limit} first rows with {@code lo <= seq <= hi}, in order, to
     * {@code verifier.tryAccept}, and reports every {@value #PROGRESS_EVERY} rows to {@code rowsDone}.
     */
    Slice scan(Connection c, long lo, long hi, int limit, ChainVerifier verifier, LongConsumer rowsDone)
            throws SQLException;

    /** The scanner for a dialect. */
    static EntryScanner of(Dialect dialect) {
        return dialect == Dialect.POSTGRES ? new PostgresEntryScanner() : new SqliteEntryScanner();
    }

    /** The WHERE, ORDER and LIMIT of a slice; the bounds are longs, so putting them in the text is safe. */
    static String range(long lo, long hi, int limit) {
        return "WHERE seq >= " + lo + " AND seq <= " + hi + " ORDER BY seq LIMIT " + limit;
    }
}
