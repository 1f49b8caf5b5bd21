package dev.tally.core.store;

import dev.tally.core.account.Role;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** A page of accounts: optional filters, the id after which to start, and a page size of 1-1000. */
public record AccountQuery(Optional<Boolean> frozen, Optional<Role> role, Optional<UUID> after, int limit) {
    public static final int MAX_LIMIT = 1000;

    public AccountQuery {
        Objects.requireNonNull(frozen, "frozen");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(after, "after");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    public static AccountQuery all(int limit) {
        return new AccountQuery(Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }
}
