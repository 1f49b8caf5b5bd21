package dev.tally.core.engine;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The ledger-wide switches: when {@code frozen}, every money movement is refused and reads go on (the
 * seed's {@code freezeAllTransactions}). {@code version} is that of the row as read, as for balances.
 */
public record LedgerControls(
        boolean frozen, Optional<String> reason, Optional<String> actor, Optional<Instant> changedAt, long version) {
    public static final LedgerControls INITIAL =
            new LedgerControls(false, Optional.empty(), Optional.empty(), Optional.empty(), 0);

    public LedgerControls {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(changedAt, "changedAt");
    }

    /** The value once a write of it has committed: one version later. */
    public LedgerControls committed() {
        return new LedgerControls(frozen, reason, actor, changedAt, version + 1);
    }
}
