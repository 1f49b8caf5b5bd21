package dev.tally.core.store;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Balance snapshots kept beside the ledger (written behind the commit, so a missing one only makes a
 * balance-as-of read replay more entries; a wrong one is a reconciliation finding). Thread-safe.
 */
public interface BalanceSnapshotStore {
    /** Stores snapshots; one already stored for the same account, currency and seq is left as it is. */
    void save(List<BalanceSnapshot> snapshots);

    /** Per currency, the account's newest snapshot at or before {@code seq}. */
    Map<String, BalanceSnapshot> latestAtOrBefore(UUID accountId, long seq);

    /** The account's oldest snapshot in {@code currency} after {@code seq}, if any. */
    java.util.Optional<BalanceSnapshot> firstAfter(UUID accountId, String currency, long seq);

    /** Every snapshot, by increasing seq. */
    void streamAll(Consumer<BalanceSnapshot> sink);
}
