package dev.tally.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Outcome;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TimeOrderedIds;
import dev.tally.core.store.AccountQuery;
import dev.tally.core.store.HistoryQuery;
import dev.tally.json.Views;
import dev.tally.server.auth.ApiRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code /v1/accounts}: open, read, list, change the e-mail under {@code If-Match}, balances, history,
 * and the fraud freeze. Every answer that is an account carries its version as {@code ETag}; a change sent
 * with a stale {@code If-Match} gets 412 and one without gets 428 (optimistic concurrency, the HTTP way).
 */
final class AccountRoutes {
    /** A version as an ETag carries it: digits, no sign, no leading zero. */
    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("[1-9][0-9]{0,18}");

    private AccountRoutes() {}

    static List<Route> routes() {
        return List.of(
                new Route("POST", "/v1/accounts", Access.SERVICE, "Open an account", AccountRoutes::create),
                new Route("GET", "/v1/accounts", Access.READ, "List accounts", AccountRoutes::list),
                new Route("GET", "/v1/accounts/{id}", Access.READ, "Get an account", AccountRoutes::get),
                new Route(
                        "PATCH",
                        "/v1/accounts/{id}",
                        Access.SERVICE,
                        "Change an account's e-mail (If-Match required)",
                        AccountRoutes::patch),
                new Route(
                        "GET",
                        "/v1/accounts/{id}/balances",
                        Access.READ,
                        "An account's balances",
                        AccountRoutes::balances),
                new Route(
                        "GET",
                        "/v1/accounts/{id}/history",
                        Access.READ,
                        "An account's entries, newest first",
                        AccountRoutes::history),
                new Route(
                        "POST",
                        "/v1/accounts/{id}/freeze",
                        Access.ADMIN,
                        "Freeze an account for fraud",
                        c -> setFrozen(c, true)),
                new Route(
                        "POST",
                        "/v1/accounts/{id}/unfreeze",
                        Access.ADMIN,
                        "Lift an account's fraud freeze",
                        c -> setFrozen(c, false)));
    }

    private static void create(Call call) {
        JsonBody body = call.body().only("username", "email", "role");
        String username = body.string("username", Account.MAX_USERNAME);
        String email = body.string("email", Account.MAX_EMAIL);
        Role role = body.optionalString("role", 16).map(AccountRoutes::role).orElse(Role.USER);
        validate("username", () -> Account.requireValidUsername(username));
        validate("email", () -> Account.requireValidEmail(email));
        if (role != Role.USER && call.key().role() != ApiRole.ADMIN) {
            // SYSTEM accounts pay no tax and ADMIN accounts are staff: only an admin key may open them.
            throw ApiException.of(ApiCode.FORBIDDEN, "only an admin key may open " + role + " accounts");
        }
        Account a = Outcomes.account(Outcomes.await(
                call.ledger().submit(new Command.OpenAccount(TimeOrderedIds.next(), username, email, role))));
        call.responseHeader("Location", "/v1/accounts/" + a.id());
        respond(call, 201, a);
    }

    private static void list(Call call) {
        Optional<Boolean> frozen = call.query("frozen").map(f -> switch (f.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.invalid("frozen", "frozen must be true or false");
        });
        Optional<Role> role = call.query("role").map(AccountRoutes::roleFilter);
        Optional<UUID> after = call.query("cursor").map(c -> uuid("cursor", c));
        int limit = call.limit();
        List<Account> page = call.ledger().reads().listAccounts(new AccountQuery(frozen, role, after, limit));
        ArrayNode items = Views.array();
        page.forEach(a -> items.add(Views.account(a, call.ledger().reads().balances(a.id()))));
        ObjectNode o = Views.object();
        o.set("accounts", items);
        if (page.size() == limit) {
            o.put("next_cursor", page.get(page.size() - 1).id().toString());
        } else {
            o.putNull("next_cursor");
        }
        call.json(200, o);
    }

    private static void get(Call call) {
        respond(call, 200, find(call));
    }

    private static void patch(Call call) {
        Account current = find(call);
        Reach.requireMayChange(call, current.role(), "id");
        long expected = ifMatch(call, current)
                .orElseThrow(() -> ApiException.of(
                        ApiCode.PRECONDITION_REQUIRED,
                        "send If-Match with the ETag you read (the account's version) so that no change is lost"));
        JsonBody body = call.body().only("email");
        Optional<String> email = body.optionalString("email", Account.MAX_EMAIL);
        if (email.isEmpty()) {
            throw ApiException.invalid("email", "nothing to change: email is the field an account update may set");
        }
        validate("email", () -> Account.requireValidEmail(email.get()));
        Outcome o = Outcomes.await(call.ledger().submit(new Command.UpdateEmail(current.id(), email.get(), expected)));
        respond(call, 200, changed(o));
    }

    private static void setFrozen(Call call, boolean frozen) {
        Account current = find(call);
        Reach.requireMayChange(call, current.role(), "id");
        Optional<Long> expected = ifMatch(call, current);
        JsonBody body = call.optionalBody().only("reason");
        Optional<String> reason = Inputs.reason(body);
        Account a = AdminOperations.setAccountFrozen(call.server(), call.actor(), current, frozen, reason, expected);
        respond(call, 200, a);
    }

    private static void balances(Call call) {
        Account a = find(call);
        Optional<String> asOf = call.query("as_of");
        if (asOf.isPresent()) {
            balancesAsOf(call, a, asOf.get());
            return;
        }
        ObjectNode o = Views.object();
        o.put("account_id", a.id().toString());
        java.util.Map<String, dev.tally.core.money.Money> balances =
                call.ledger().reads().balances(a.id());
        o.set("balances", Views.balances(balances));
        // What the balance is made of once pending transfers exist: the balance is what is available; what the
        // account has reserved to send has left it already, what it may receive has not reached it yet.
        java.util.Map<String, long[]> pending = call.ledger().reads().pendingTotals(a.id());
        java.util.Set<String> codes = new java.util.TreeSet<>(balances.keySet());
        codes.addAll(pending.keySet());
        ObjectNode available = o.putObject("available");
        ObjectNode pendingOut = o.putObject("pending_out");
        ObjectNode pendingIn = o.putObject("pending_in");
        for (String code : codes) {
            dev.tally.core.money.Currency c = call.ledger().reads().currencyOrScale(code);
            long[] t = pending.getOrDefault(code, new long[2]);
            long held = java.util.Optional.ofNullable(balances.get(code))
                    .map(dev.tally.core.money.Money::minor)
                    .orElse(0L);
            available.put(code, dev.tally.core.money.Money.format(held, c.scale()));
            pendingOut.put(code, dev.tally.core.money.Money.format(t[0], c.scale()));
            pendingIn.put(code, dev.tally.core.money.Money.format(t[1], c.scale()));
        }
        call.json(200, o);
    }

    /**
     * The balances just after a past entry or time: the same fields as now, plus {@code as_of_seq}, the entry
     * they follow. A value that is no seq or time is a 400; a point not reached yet, a 422 (the ledger's
     * VALIDATION_FAILED).
     */
    private static void balancesAsOf(Call call, Account a, String text) {
        dev.tally.ledger.AsOf point;
        try {
            point = dev.tally.ledger.AsOf.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.of(ApiCode.BAD_REQUEST, String.valueOf(e.getMessage()));
        }
        dev.tally.ledger.BalancesAsOf past = call.ledger().reads().balancesAsOf(a.id(), point);
        ObjectNode o = Views.object();
        o.put("account_id", a.id().toString());
        o.put("as_of_seq", past.seq());
        o.set("balances", Views.balances(past.available()));
        o.set("available", Views.balances(past.available()));
        o.set("pending_out", Views.balances(past.pendingOut()));
        o.set("pending_in", Views.balances(past.pendingIn()));
        call.json(200, o);
    }

    private static void history(Call call) {
        Account a = find(call);
        HistoryQuery.Direction direction = call.query("direction")
                .map(d -> switch (d.toLowerCase(Locale.ROOT)) {
                    case "sent" -> HistoryQuery.Direction.SENT;
                    case "received" -> HistoryQuery.Direction.RECEIVED;
                    case "all" -> HistoryQuery.Direction.ALL;
                    default -> throw ApiException.invalid("direction", "direction must be sent, received or all");
                })
                .orElse(HistoryQuery.Direction.ALL);
        Optional<HistoryQuery.Cursor> before = call.query("cursor").map(c -> {
            try {
                return HistoryQuery.Cursor.parse(c);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("cursor", e);
            }
        });
        int limit = call.limit();
        // Ask for one more than the page to know whether another page exists, without an empty last page.
        int fetch = Math.min(limit + 1, HistoryQuery.MAX_LIMIT);
        HistoryQuery query = new HistoryQuery(a.id(), direction, before, fetch);
        Optional<HistoryQuery.MetadataMatch> match = metadataMatch(call);
        if (match.isPresent()) {
            query = query.withMetadata(match.get());
        }
        List<LedgerEntry> found = call.ledger().reads().history(query);
        List<LedgerEntry> page = new ArrayList<>(found.subList(0, Math.min(limit, found.size())));
        boolean more = found.size() > limit || (fetch == limit && found.size() == limit);
        ObjectNode o = Views.object();
        o.put("account_id", a.id().toString());
        o.put("direction", direction.name().toLowerCase(Locale.ROOT));
        o.set("entries", Views.entries(page, call.ledger().reads()::currencyOrScale));
        if (more && !page.isEmpty()) {
            o.put(
                    "next_cursor",
                    HistoryQuery.Cursor.after(page.get(page.size() - 1)).toString());
        } else {
            o.putNull("next_cursor");
        }
        call.json(200, o);
    }

    /** The one {@code metadata.KEY=VALUE} filter of a history request, if any. */
    private static Optional<HistoryQuery.MetadataMatch> metadataMatch(Call call) {
        java.util.NavigableSet<String> names = call.queryNames("metadata.");
        if (names.isEmpty()) {
            return Optional.empty();
        }
        if (names.size() > 1) {
            throw ApiException.invalid("metadata", "history takes at most one metadata.KEY=VALUE filter");
        }
        String name = names.first();
        String value = call.query(name).orElseThrow(() -> ApiException.invalid(name, name + " needs a value"));
        try {
            return Optional.of(new HistoryQuery.MetadataMatch(name.substring("metadata.".length()), value));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(name, e);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static Account find(Call call) {
        String ref = call.path("id");
        if (ref.length() > Inputs.MAX_ACCOUNT_REF) {
            throw ApiException.invalid(
                    "id", "an account id or username is at most " + Inputs.MAX_ACCOUNT_REF + " characters");
        }
        return Inputs.account(call.ledger(), "id", ref);
    }

    /** The account after a change; the engine's VERSION_CONFLICT on a conditional change is HTTP's 412. */
    private static Account changed(Outcome o) {
        if (o instanceof Outcome.Rejected r && r.rejection().code() == RejectionCode.VERSION_CONFLICT) {
            throw ApiException.of(ApiCode.PRECONDITION_FAILED, r.rejection().message());
        }
        return Outcomes.account(o);
    }

    /**
     * The version an {@code If-Match} asks for. {@code *} means "whatever is current". Every other member
     * must be a strong, quoted entity tag ({@code "2"}): a weak tag ({@code W/"2"}) cannot guard a change
     * (RFC 9110 compares strongly for If-Match) and an unquoted {@code 2} is no entity tag, so both are
     * refused as invalid rather than guessed at. A well-formed tag that cannot be this account's (not a
     * version, or not the current one when several are listed) fails with 412.
     */
    static Optional<Long> ifMatch(Call call, Account current) {
        Optional<String> header = call.header("If-Match");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        List<Long> versions = new ArrayList<>();
        for (String tag : header.get().split(",", -1)) {
            String t = tag.strip();
            if (t.equals("*")) {
                return Optional.of(current.version());
            }
            if (t.startsWith("W/")) {
                throw ApiException.invalid(
                        "If-Match",
                        "If-Match must name the strong ETag you read, such as \"" + current.version()
                                + "\"; a weak ETag (W/...) cannot guard a change");
            }
            if (t.length() < 2
                    || !t.startsWith("\"")
                    || !t.endsWith("\"")
                    || t.substring(1, t.length() - 1).indexOf('"') >= 0) {
                throw ApiException.invalid(
                        "If-Match",
                        "If-Match must be * or ETags in double quotes, such as \"" + current.version() + "\"");
            }
            String inner = t.substring(1, t.length() - 1);
            if (VERSION.matcher(inner).matches()) {
                try {
                    versions.add(Long.parseLong(inner));
                } catch (NumberFormatException tooLong) {
                    // not one of our ETags: it cannot match
                }
            }
        }
        if (versions.size() == 1) {
            return Optional.of(versions.get(0));
        }
        if (versions.contains(current.version())) {
            return Optional.of(current.version());
        }
        throw ApiException.of(
                ApiCode.PRECONDITION_FAILED,
                "account " + current.username() + " is at version " + current.version() + " (ETag \""
                        + current.version() + "\"), which the If-Match header does not name; reload and retry");
    }

    static void respond(Call call, int status, Account a) {
        call.responseHeader("ETag", etag(a));
        call.json(
                status,
                Views.withLimits(
                        Views.account(a, call.ledger().reads().balances(a.id())),
                        a.limits(),
                        call.ledger().reads()::currencyOrScale));
    }

    static String etag(Account a) {
        return "\"" + a.version() + "\"";
    }

    /** The role of a new account, spelt exactly as accounts show it: one spelling per value in a body. */
    private static Role role(String text) {
        for (Role r : Role.values()) {
            if (r.name().equals(text)) {
                return r;
            }
        }
        throw ApiException.invalid("role", "role must be USER, ADMIN or SYSTEM (in capitals)");
    }

    /** A role filter of a listing (a read), as before: any case. */
    private static Role roleFilter(String text) {
        for (Role r : Role.values()) {
            if (r.name().equalsIgnoreCase(text)) {
                return r;
            }
        }
        throw ApiException.invalid("role", "role must be USER, ADMIN or SYSTEM");
    }

    private static UUID uuid(String field, String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, field + " must be the id of the last account of the previous page");
        }
    }

    private static void validate(String field, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, e);
        }
    }
}
