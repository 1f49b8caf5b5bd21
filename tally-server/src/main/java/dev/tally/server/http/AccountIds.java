package dev.tally.server.http;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.ledger.Ledger;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves an account reference of a request (an id or a username) to the account's id, remembering the
 * answers that can never change (the id and the role), so that a transfer does not pay two queries before it
 * reaches the sequencer.
 *
 * <p>Only found accounts are remembered, and only when the answer is permanent: an account's id and
 * username never change and accounts are never deleted (a restore replaces the treasury by one with the same
 * id, into an otherwise empty store), so a reference that named an account once names the same account for
 * good. A reference that names no account is looked up again every time (another process may create it);
 * a string that reads as a UUID but was found as a username is not remembered either (an account with that
 * id would take precedence). Nothing about the account's state is remembered: frozen, closed or unknown
 * accounts are still decided by the sequencer on its current state. Thread-safe.
 */
public final class AccountIds {
    /** Most references remembered at once; past it the memory starts over. */
    static final int MAX_REMEMBERED = 200_000;

    private final ConcurrentHashMap<String, Ref> known = new ConcurrentHashMap<>();

    /**
     * An account as a reference names it: its id and its role. Both are permanent (no command changes an
     * account's role), so the role decides what a caller may do with the account without another query.
     */
    public record Ref(UUID id, Role role) {}

    /** The account that {@code idOrUsername} names, if any (as {@link dev.tally.ledger.LedgerReads#findAccount(String)}). */
    public Optional<Ref> resolve(Ledger ledger, String idOrUsername) {
        Ref hit = known.get(idOrUsername);
        if (hit != null) {
            return Optional.of(hit);
        }
        Optional<Account> found = ledger.reads().findAccount(idOrUsername);
        found.filter(a -> permanent(idOrUsername, a)).ifPresent(a -> {
            if (known.size() >= MAX_REMEMBERED) {
                known.clear();
            }
            known.put(idOrUsername, new Ref(a.id(), a.role()));
        });
        return found.map(a -> new Ref(a.id(), a.role()));
    }

    /** Whether the reference found this account by its id, or by a username that cannot be read as an id. */
    private static boolean permanent(String ref, Account a) {
        Optional<UUID> asId = parse(ref);
        return asId.isPresent() ? asId.get().equals(a.id()) : ref.equals(a.username());
    }

    private static Optional<UUID> parse(String ref) {
        try {
            return Optional.of(UUID.fromString(ref));
        } catch (IllegalArgumentException notAUuid) {
            return Optional.empty();
        }
    }
}
