package dev.tally.core.store;

import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Reads the balance snapshots kept beside the ledger. They are written with the batch whose entries they
 * fall on ({@code WriteSet#balanceSnapshots}); a missing one only makes a balance-as-of read replay more
 * entries, a wrong one is a reconciliation finding. Thread-safe.
 */
public interface BalanceSnapshotStore {
    /** Per currency, the account's newest snapshot at or before {@code seq}. */
    Map<String, BalanceSnapshot> latestAtOrBefore(UUID accountId, long seq);

    /** The account's oldest snapshot in {@code currency} after {@code seq}, if any. */
    java.util.Optional<BalanceSnapshot> firstAfter(UUID accountId, String currency, long seq);

    /** Every snapshot, by increasing seq. */
    void streamAll(Consumer<BalanceSnapshot> sink);
}
