package dev.tally.server.http;

import dev.tally.core.account.Account;
import dev.tally.core.command.Command;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.Outcome;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.core.text.SafeText;
import dev.tally.ledger.FraudReview;
import dev.tally.server.auth.ApiKey;
import dev.tally.server.auth.ApiRole;
import dev.tally.server.auth.IssuedKey;
import java.util.Optional;

/**
 * The admin actions that both the HTTP API and the console take: each runs the ledger command or key change
 * and records it in the admin log under the acting key's name, so that an action is recorded the same way
 * whichever way an operator took it. Failures are {@link ApiException}s (the API answers them as problems,
 * the console shows their detail).
 */
public final class AdminOperations {
    private AdminOperations() {}

    /**
     * Freezes or unfreezes an account for fraud.
     *
     * @param expected the version the caller read, when the change is conditional
     */
    public static Account setAccountFrozen(
            ServerContext server,
            String actor,
            Account current,
            boolean frozen,
            Optional<String> reason,
            Optional<Long> expected) {
        if (frozen && reason.isEmpty()) {
            throw ApiException.invalid("reason", "a freeze needs a reason");
        }
        Outcome o = Outcomes.await(
                server.ledger().submit(new Command.SetAccountFrozen(current.id(), frozen, reason, expected)));
        if (o instanceof Outcome.Rejected r && r.rejection().code() == RejectionCode.VERSION_CONFLICT) {
            throw ApiException.of(ApiCode.PRECONDITION_FAILED, r.rejection().message());
        }
        Account a = Outcomes.account(o);
        record(
                server,
                actor,
                frozen ? "FREEZE_ACCOUNT" : "UNFREEZE_ACCOUNT",
                Optional.of(a.id() + " (" + a.username() + ")"),
                reason);
        return a;
    }

    /** Freezes (a reason is required) or unfreezes every money movement of the ledger. */
    public static LedgerControls setLedgerFrozen(
            ServerContext server, String actor, boolean frozen, Optional<String> reason) {
        if (frozen && reason.isEmpty()) {
            throw ApiException.invalid("reason", "a ledger freeze needs a reason");
        }
        LedgerControls c = Outcomes.controls(
                Outcomes.await(server.ledger().submit(new Command.SetLedgerFrozen(frozen, reason, actor))));
        record(server, actor, frozen ? "LEDGER_FREEZE" : "LEDGER_UNFREEZE", Optional.empty(), reason);
        return c;
    }

    /** Issues a new API key; its secret is in the answer and nowhere else. */
    public static IssuedKey createKey(ServerContext server, String actor, String name, ApiRole role) {
        try {
            ApiKey.requireValidName(name);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("name", e);
        }
        if (server.keys().findActive(name).isPresent()) {
            throw new ApiException(new Problem(
                    ApiCode.DUPLICATE_KEY_NAME.name(),
                    ApiCode.DUPLICATE_KEY_NAME.status(),
                    ApiCode.DUPLICATE_KEY_NAME.title(),
                    "a live key named " + name + " exists; revoke it first or choose another name",
                    Optional.of("name"),
                    java.util.Map.of()));
        }
        IssuedKey issued = server.keys().issue(name, role, server.clock().instant());
        record(server, actor, "APIKEY_CREATE", Optional.of(name), Optional.of("role " + role.label()));
        return issued;
    }

    /** Revokes a live key, unless it is the last admin key; answers the key as it is now. */
    public static ApiKey revokeKey(ServerContext server, String actor, String name) {
        ApiKey key = server.keys()
                .findActive(name)
                .orElseThrow(() -> ApiException.of(ApiCode.NOT_FOUND, "no live key named " + name));
        switch (server.keys().revokeUnlessLastAdmin(name, server.clock().instant())) {
            case REVOKED -> {}
            case NO_LIVE_KEY -> throw ApiException.of(ApiCode.NOT_FOUND, "no live key named " + name);
            case LAST_OF_ROLE ->
                throw ApiException.of(
                        ApiCode.LAST_ADMIN_KEY,
                        "revoking " + name + " would leave no admin key; create another admin key first");
        }
        record(server, actor, "APIKEY_REVOKE", Optional.of(name), Optional.empty());
        return server.keys().list().stream()
                .filter(k -> k.id().equals(key.id()))
                .findFirst()
                .orElseThrow();
    }

    /** The fraud event with this id, for a reviewer to resolve. */
    public static FraudEvent fraudEvent(ServerContext server, long id) {
        return server.ledger()
                .fraud()
                .find(id)
                .orElseThrow(() -> ApiException.of(ApiCode.NOT_FOUND, "no fraud event " + id));
    }

    /**
     * Resolves an open fraud event: {@code dismiss}, {@code confirm} (freezes the account) or {@code release}
     * (lifts its freeze); a {@code hold} event's payment is posted (dismiss, release) or voided (confirm). The
     * review records the resolution in the admin log under the actor's name; an event that is no longer open is
     * refused and left as it is.
     */
    public static FraudReview.Resolved resolveFraudEvent(
            ServerContext server, String actor, FraudEvent event, String action) {
        FraudReview.Resolution resolution = FraudReview.Resolution.parse(action);
        return server.ledger().fraud().resolution(event.id(), resolution, actor);
    }

    /**
     * A freeze reason typed by a person (the console's form field): trimmed, empty when blank, at most 500
     * characters and none of them a control or formatting character, as the API's {@code reason} field.
     */
    public static Optional<String> reason(String raw) {
        Optional<String> reason = Optional.of(raw.strip()).filter(s -> !s.isEmpty());
        reason.ifPresent(r -> {
            if (r.length() > Account.MAX_REASON) {
                throw ApiException.invalid("reason", "a reason is at most " + Account.MAX_REASON + " characters");
            }
            try {
                SafeText.requireSafe("reason", r);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("reason", e);
            }
        });
        return reason;
    }

    private static void record(
            ServerContext server, String actor, String action, Optional<String> target, Optional<String> detail) {
        server.adminLog().record(server.clock().instant(), actor, action, target, detail);
    }
}
