package dev.tally.core.engine;

import java.util.Objects;
import java.util.UUID;

/** One account's balance in one currency. */
public record BalanceKey(UUID accountId, String currency) {
    public BalanceKey {
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(currency, "currency");
    }
}
