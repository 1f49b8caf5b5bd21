package dev.tally.store.testing;

import dev.tally.core.store.LedgerStore;
import dev.tally.store.Stores;
import dev.tally.store.internal.jdbc.JdbcLedgerStore;

/**
 * A real store whose connections come through a {@link FaultyDataSource}, so that a test can make the next
 * write or commit fail below the store while everything else reaches the real database.
 *
 * @param store the store to build a ledger on; closing it closes the real one
 * @param faults where the test injects its failures
 */
public record FaultyStore(LedgerStore store, FaultyDataSource faults) {
    /** Opens (creating if needed) the store at {@code location} with faults ready to inject. */
    public static FaultyStore open(String location) {
        if (!(Stores.open(location) instanceof JdbcLedgerStore real)) {
            throw new IllegalArgumentException("not a SQLite or PostgreSQL store: " + location);
        }
        FaultyDataSource faults = new FaultyDataSource(real.dataSource());
        return new FaultyStore(new JdbcLedgerStore(faults.dataSource(), real.dialect(), real.describe(), real), faults);
    }
}
