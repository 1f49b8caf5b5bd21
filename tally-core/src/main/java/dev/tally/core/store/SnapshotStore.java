package dev.tally.core.store;

import java.util.UUID;

/** A store's whole-ledger copy out and in: what an export reads and an import writes. */
public interface SnapshotStore {
    /** Begins a consistent read of the whole ledger; the ledger may keep writing meanwhile. */
    LedgerSnapshot snapshot();

    /**
     * Begins a restore into this store, which must hold no entries, checkpoints or balances, and no account
     * but at most the treasury {@code treasuryId} (which a ledger opened on the store creates).
     *
     * @throws IllegalStateException when the store is not empty
     */
    LedgerRestore restore(UUID treasuryId);
}
