package dev.tally.cli.text;

import dev.tally.core.account.Account;
import dev.tally.ledger.Ledger;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Shows accounts to people by username instead of id, looking each id up once. Not thread-safe. */
public final class Names {
    private final Ledger ledger;
    private final Map<UUID, String> cache = new HashMap<>();

    public Names(Ledger ledger) {
        this.ledger = ledger;
    }

    /** The account's username, or its id when it no longer resolves. */
    public String of(UUID id) {
        return cache.computeIfAbsent(
                id, k -> ledger.reads().findAccount(k).map(Account::username).orElse(k.toString()));
    }

    /** The username of an optional party, or {@code -} for none (a MINT has no sender, a BURN no receiver). */
    public String of(Optional<UUID> id) {
        return id.map(this::of).orElse("-");
    }
}
