package dev.tally.core.account;

import dev.tally.core.money.Money;
import java.util.Objects;
import java.util.Optional;

/**
 * What an account may hold of one currency, in minor units: how far its balance may go below zero
 * ({@code creditLimit}; 0, the default, means no overdraft) and a cap on what it may hold
 * ({@code maxBalance}; none by default). Set by admins only: a credit limit lets an account spend money
 * it does not hold, which is exposure the ledger's operator carries.
 */
public record AccountLimit(long creditLimit, Optional<Long> maxBalance) {
    /** No overdraft and no cap: every account's limit until an admin sets one. */
    public static final AccountLimit NONE = new AccountLimit(0, Optional.empty());

    public AccountLimit {
        Objects.requireNonNull(maxBalance, "maxBalance");
        if (creditLimit < 0 || creditLimit > Money.MAX_MINOR) {
            throw new IllegalArgumentException("credit_limit must be between 0 and the maximum amount");
        }
        if (maxBalance.isPresent() && (maxBalance.get() < 0 || maxBalance.get() > Money.MAX_MINOR)) {
            throw new IllegalArgumentException("max_balance must be between 0 and the maximum amount");
        }
    }

    /** Whether this is the default (no overdraft, no cap), which is not stored. */
    public boolean isDefault() {
        return creditLimit == 0 && maxBalance.isEmpty();
    }

    /** Whether a balance of {@code amount} is allowed below zero by this limit. */
    public boolean allowsBalance(long amount) {
        return amount >= -creditLimit;
    }

    /** Whether a balance of {@code amount} is over the cap. */
    public boolean exceedsCap(long amount) {
        return maxBalance.isPresent() && amount > maxBalance.get();
    }
}
