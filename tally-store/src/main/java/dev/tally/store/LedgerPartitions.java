package dev.tally.store;

import dev.tally.core.store.LedgerStore;
import dev.tally.store.internal.jdbc.Dialect;
import dev.tally.store.internal.jdbc.JdbcLedgerStore;
import dev.tally.store.internal.jdbc.MonthlyPartitions;
import java.time.Instant;
import java.util.List;

/**
 * The monthly partitions of a PostgreSQL ledger's entries ({@code ledger_entries_YYYY_MM}). A store keeps them
 * ahead of its clock by itself; this is for operators and tests that want to see them or create them now. A
 * SQLite ledger is not partitioned: it has none.
 */
public final class LedgerPartitions {
    /** How many months after the current one always have a partition. */
    public static final int MONTHS_AHEAD = MonthlyPartitions.MONTHS_AHEAD;

    private LedgerPartitions() {}

    /** Whether the store's entries are partitioned by month (PostgreSQL). */
    public static boolean partitioned(LedgerStore store) {
        return store instanceof JdbcLedgerStore jdbc && jdbc.dialect() == Dialect.POSTGRES;
    }

    /** The partitions, oldest first; empty when the store is not partitioned. */
    public static List<String> list(LedgerStore store) {
        return partitioned(store) ? MonthlyPartitions.list(((JdbcLedgerStore) store).dataSource()) : List.of();
    }

    /**
     * Creates the partitions of the month of {@code now} and of the {@link #MONTHS_AHEAD} next ones that are missing,
     * as the store's own periodic task does; nothing on a store that is not partitioned.
     *
     * @return the names of those months' partitions
     */
    public static List<String> ensureAhead(LedgerStore store, Instant now) {
        return partitioned(store)
                ? MonthlyPartitions.ensureAhead(((JdbcLedgerStore) store).dataSource(), now)
                : List.of();
    }
}
