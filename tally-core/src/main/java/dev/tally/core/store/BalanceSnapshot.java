package dev.tally.core.store;

import java.util.Objects;
import java.util.UUID;

/**
 * An account's balance in one currency just after entry {@code seq}: a starting point from which a balance
 * as of a later entry is found by replaying only that account's entries since.
 *
 * @param opening whether this is the zero just before the batch that gave the account its first balance in
 *     this currency: then no entry at or before {@code seq} touched that balance
 */
public record BalanceSnapshot(UUID accountId, String currency, long seq, long amount, boolean opening) {
    public BalanceSnapshot {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(currency, "currency");
        if (seq < 1) {
            throw new IllegalArgumentException("a snapshot follows an entry: seq must be at least 1, not " + seq);
        }
    }

    /** A snapshot of a balance that may have moved before. */
    public BalanceSnapshot(UUID accountId, String currency, long seq, long amount) {
        this(accountId, currency, seq, amount, false);
    }
}
