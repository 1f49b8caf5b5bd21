package dev.tally.server.auth;

import dev.tally.core.store.AdminLogStore;
import dev.tally.core.store.LedgerStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The record of admin actions (mint, burn, reversal, freezes, ledger freeze, key creation and revocation)
 * with the name of the key that did them, in the store's {@link AdminLogStore}. Only actions that took
 * effect are recorded, so a refused request leaves the database as it was. Thread-safe.
 */
public final class AdminLog {
    /** Longest detail kept; longer text (a reason is at most 500 characters) is cut. */
    public static final int MAX_DETAIL = 2000;

    private final AdminLogStore store;

    public AdminLog(AdminLogStore store) {
        this.store = store;
    }

    /** The admin log of the ledger kept in this store. */
    public static AdminLog of(LedgerStore store) {
        return new AdminLog(store.adminLog());
    }

    /** Appends one action. */
    public void record(Instant at, String keyName, String action, Optional<String> target, Optional<String> detail) {
        store.append(
                at, keyName, action, target, detail.map(d -> d.length() > MAX_DETAIL ? d.substring(0, MAX_DETAIL) : d));
    }

    /** The newest actions first, at most {@code limit}. */
    public List<AdminAction> recent(int limit) {
        return store.recent(limit).stream()
                .map(r -> new AdminAction(r.id(), r.at(), r.keyName(), r.action(), r.target(), r.detail()))
                .toList();
    }
}
