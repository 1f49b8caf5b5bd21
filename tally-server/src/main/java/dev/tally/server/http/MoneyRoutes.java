package dev.tally.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.account.Account;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Engine;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.Outcome;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.json.Views;
import dev.tally.ledger.Ledger;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Money: transfers (one, or a batch that may be linked all-or-nothing), mint, burn and reversal (admin),
 * and reading a transaction. The client's {@code transaction_id} is the idempotency key (the
 * {@code Idempotency-Key} header is its alias): the first request answers 201 with the entry, a retry with
 * the same content 200 with the same entry, and the same id for different content 409.
 */
final class MoneyRoutes {
    private MoneyRoutes() {}

    /** Something that must hold before a mint is accepted (an incremental verification, when audits run). */
    @FunctionalInterface
    interface MintGate {
        /** Throws an {@link ApiException} (or a rejection) when a mint must be refused. */
        void check();
    }

    static List<Route> routes(MintGate gate) {
        return List.of(
                new Route(
                        "POST",
                        "/v1/transfers",
                        Access.SERVICE,
                        "Transfer money (TRANSFER, PURCHASE or INCOME)",
                        MoneyRoutes::transfer),
                new Route(
                        "POST",
                        "/v1/transfers/{id}/post",
                        Access.SERVICE,
                        "Complete a pending transfer, optionally for part of its amount",
                        MoneyRoutes::postPending),
                new Route(
                        "POST",
                        "/v1/transfers/{id}/void",
                        Access.SERVICE,
                        "Release a pending transfer",
                        MoneyRoutes::voidPending),
                new Route(
                        "POST",
                        "/v1/transfers/batch",
                        Access.SERVICE,
                        "Transfer in a batch, optionally linked",
                        MoneyRoutes::batch),
                new Route("POST", "/v1/mint", Access.ADMIN, "Create money in an account", c -> mint(c, gate)),
                new Route("POST", "/v1/burn", Access.ADMIN, "Destroy money in an account", MoneyRoutes::burn),
                new Route("POST", "/v1/reversals", Access.ADMIN, "Reverse an earlier entry", MoneyRoutes::reverse),
                new Route(
                        "GET",
                        "/v1/transactions/{id}",
                        Access.READ,
                        "Get a transaction by its id",
                        MoneyRoutes::transaction));
    }

    private static void transfer(Call call) {
        JsonBody body = call.body();
        if (body.optionalBoolean("pending").orElse(false)) {
            movement(call, pending(call, body));
            return;
        }
        Command.Payment p = payment(call, body, call.header("Idempotency-Key"));
        movement(call, p);
    }

    /**
     * A pending transfer: the fields of a transfer plus {@code "pending": true} and {@code timeout_seconds}
     * (1 to 30 days in seconds).
     */
    private static Command.CreatePending pending(Call call, JsonBody body) {
        body.only(
                "transaction_id",
                "type",
                "sender_id",
                "receiver_id",
                "currency",
                "amount",
                "metadata",
                "pending",
                "timeout_seconds");
        Command.Payment p = payment(call, body.without("pending", "timeout_seconds"), call.header("Idempotency-Key"));
        long seconds = body.optionalLong("timeout_seconds")
                .orElseThrow(() -> ApiException.invalid("timeout_seconds", "a pending transfer needs timeout_seconds"));
        if (seconds < 1 || seconds > Command.MAX_PENDING_TIMEOUT.toSeconds()) {
            throw ApiException.invalid(
                    "timeout_seconds",
                    "timeout_seconds must be between 1 and " + Command.MAX_PENDING_TIMEOUT.toSeconds());
        }
        return new Command.CreatePending(
                p.transactionId(),
                p.type(),
                p.senderId(),
                p.receiverId(),
                p.amount(),
                java.time.Duration.ofSeconds(seconds),
                p.context());
    }

    /** {@code POST /v1/transfers/{id}/post}: {@code {"transaction_id"?, "amount"?, "metadata"?}}. */
    private static void postPending(Call call) {
        JsonBody body = call.optionalBody().only("transaction_id", "amount", "metadata");
        String pendingId = pendingId(call);
        Optional<LedgerEntry> pending = call.ledger().reads().findEntry(pendingId);
        Optional<Money> amount = body.optionalString("amount", 64)
                .map(text -> Inputs.amount(
                        body,
                        "amount",
                        call.ledger()
                                .reads()
                                .currencyOrScale(
                                        pending.map(LedgerEntry::currency).orElse("EUR"))));
        String id = settlementId(body, call, "post-" + pendingId);
        movement(
                call,
                new Command.PostPending(
                        id, pendingId, amount, call.entryContext().withMetadata(body.metadata())));
    }

    /** {@code POST /v1/transfers/{id}/void}: {@code {"transaction_id"?, "metadata"?}}. */
    private static void voidPending(Call call) {
        JsonBody body = call.optionalBody().only("transaction_id", "metadata");
        String pendingId = pendingId(call);
        String id = settlementId(body, call, "void-" + pendingId);
        movement(
                call, new Command.VoidPending(id, pendingId, call.entryContext().withMetadata(body.metadata())));
    }

    /**
     * The pending id of the path. Settling a pending transfer moves the money its sender reserved, so a key
     * must be allowed to debit that sender, as for the transfer itself.
     */
    private static String pendingId(Call call) {
        String id = call.path("id");
        if (id.length() > Command.MAX_TRANSACTION_ID) {
            throw ApiException.rejected(Rejection.of(RejectionCode.UNKNOWN_TRANSACTION, "no transaction " + id));
        }
        Optional<UUID> sender = call.ledger().reads().findEntry(id).flatMap(LedgerEntry::senderId);
        if (sender.isPresent()) {
            Optional<Account> account =
                    call.ledger().reads().findAccount(sender.get().toString());
            if (account.isPresent()) {
                Reach.requireMayDebit(call, account.get().role(), "id");
            }
        }
        return id;
    }

    /**
     * The settlement's own transaction id: the one given (body or Idempotency-Key), else one derived from the
     * pending id, so that a retried post or void is a replay rather than a second attempt.
     */
    private static String settlementId(JsonBody body, Call call, String derived) {
        if (body.optionalString("transaction_id", Command.MAX_TRANSACTION_ID + 1)
                        .isPresent()
                || call.header("Idempotency-Key").isPresent()) {
            return Inputs.transactionId(body, call.header("Idempotency-Key"));
        }
        return derived.length() <= Command.MAX_TRANSACTION_ID
                ? derived
                : derived.substring(0, Command.MAX_TRANSACTION_ID);
    }

    private static void mint(Call call, MintGate gate) {
        JsonBody body = call.body().only("transaction_id", "receiver_id", "currency", "amount", "metadata");
        String id = Inputs.transactionId(body, call.header("Idempotency-Key"));
        Account receiver = Inputs.account(call.ledger(), body, "receiver_id");
        Money amount = money(call.ledger(), body);
        // A replay must answer even if verification would now fail: check the gate only for new money. A
        // frozen ledger refuses first, so that a refused mint does not leave a verification run behind.
        if (call.ledger().reads().findEntry(id).isEmpty()) {
            LedgerControls controls = call.ledger().reads().controls();
            if (controls.frozen()) {
                throw ApiException.rejected(Rejection.of(
                        RejectionCode.LEDGER_FROZEN,
                        "the ledger is frozen"
                                + controls.reason().map(r -> ": " + r).orElse("")
                                + "; no money can move until an admin unfreezes it"));
            }
            gate.check();
        }
        if (movement(
                        call,
                        new Command.Mint(
                                id, receiver.id(), amount, call.entryContext().withMetadata(body.metadata())))
                .isPresent()) {
            call.recordAdminAction(
                    "MINT",
                    Optional.of(receiver.id() + " (" + receiver.username() + ")"),
                    Optional.of(amount + " in " + id));
        }
    }

    private static void burn(Call call) {
        JsonBody body = call.body().only("transaction_id", "sender_id", "currency", "amount", "metadata");
        String id = Inputs.transactionId(body, call.header("Idempotency-Key"));
        Account sender = Inputs.account(call.ledger(), body, "sender_id");
        Reach.requireMayDebit(call, sender.role(), "sender_id");
        Money amount = money(call.ledger(), body);
        if (movement(
                        call,
                        new Command.Burn(
                                id, sender.id(), amount, call.entryContext().withMetadata(body.metadata())))
                .isPresent()) {
            call.recordAdminAction(
                    "BURN",
                    Optional.of(sender.id() + " (" + sender.username() + ")"),
                    Optional.of(amount + " in " + id));
        }
    }

    private static void reverse(Call call) {
        JsonBody body = call.body().only("transaction_id", "original_transaction_id", "metadata");
        String id = Inputs.transactionId(body, call.header("Idempotency-Key"));
        String original = Inputs.transactionId(
                body.name("original_transaction_id"),
                body.string("original_transaction_id", Command.MAX_TRANSACTION_ID + 1));
        if (movement(call, new Command.Reverse(id, original, call.entryContext().withMetadata(body.metadata())))
                .isPresent()) {
            call.recordAdminAction("REVERSE", Optional.of(original), Optional.of("reversed by " + id));
        }
    }

    private static void transaction(Call call) {
        String id = call.path("id");
        LedgerEntry e = (id.length() > Command.MAX_TRANSACTION_ID
                        ? Optional.<LedgerEntry>empty()
                        : call.ledger().reads().findEntry(id))
                .orElseThrow(() ->
                        ApiException.rejected(Rejection.of(RejectionCode.UNKNOWN_TRANSACTION, "no transaction " + id)));
        call.json(200, entry(call.ledger(), e));
    }

    /**
     * Submits one movement and answers: 201 and the entry when written, 200 and the original entry for an
     * idempotent replay, 202 when the fraud shield held the payment pending review (now or, for a replay,
     * before). Returns the entry when it was written now, empty for a replay or a hold.
     */
    private static Optional<LedgerEntry> movement(Call call, Command.Movement command) {
        Outcome o = Outcomes.await(call.ledger().submit((Command) command));
        return switch (o) {
            case Outcome.Written w -> {
                call.responseHeader("Location", "/v1/transactions/" + w.entry().transactionId());
                Currency currency =
                        call.ledger().reads().currencyOrScale(w.entry().currency());
                call.jsonWritten(201, g -> Views.writeEntry(g, w.entry(), currency));
                yield Optional.of(w.entry());
            }
            case Outcome.Replayed r -> {
                call.responseHeader("Location", "/v1/transactions/" + r.entry().transactionId());
                call.json(200, entry(call.ledger(), r.entry()));
                yield Optional.empty();
            }
            case Outcome.Held h -> {
                call.responseHeader(
                        "Location", "/v1/transactions/" + h.pending().transactionId());
                call.json(202, held(call.ledger(), h));
                yield Optional.empty();
            }
            case Outcome.Rejected r -> throw ApiException.rejected(r.rejection());
            default -> throw new AssertionError("a movement answered " + o);
        };
    }

    // ---- batch ----------------------------------------------------------------------------------

    private static void batch(Call call) {
        if (call.header("Idempotency-Key").isPresent()) {
            throw ApiException.invalid(
                    "Idempotency-Key", "a batch takes no Idempotency-Key: each transfer's transaction_id is its key");
        }
        JsonBody body = call.body().only("linked", "transfers");
        boolean linked = body.optionalBoolean("linked").orElse(false);
        ArrayNode items = body.array("transfers");
        int max = call.server().config().limits().maxBatch();
        if (items.isEmpty()) {
            throw ApiException.invalid("transfers", "a batch needs at least one transfer");
        }
        if (items.size() > max) {
            throw ApiException.invalid("transfers", "a batch holds at most " + max + " transfers, not " + items.size());
        }
        int n = items.size();
        Command.Payment[] commands = new Command.Payment[n];
        Problem[] invalid = new Problem[n];
        int firstInvalid = -1;
        for (int i = 0; i < n; i++) {
            try {
                commands[i] = payment(call, JsonBody.nested(items.get(i), "transfers[" + i + "]."), Optional.empty());
            } catch (ApiException e) {
                if (Reach.isRefusal(e.problem())) {
                    // Beyond the key's reach is about the caller, not one transfer: the whole batch is refused,
                    // unapplied.
                    throw e;
                }
                invalid[i] = e.problem();
                firstInvalid = firstInvalid < 0 ? i : firstInvalid;
            }
        }
        Outcome[] outcomes = new Outcome[n];
        if (linked && firstInvalid >= 0) {
            // Nothing reaches the ledger: one invalid transfer fails the whole linked batch.
            for (int i = 0; i < n; i++) {
                if (invalid[i] == null) {
                    outcomes[i] = new Outcome.Rejected(Rejection.of(
                            RejectionCode.LINKED_EVENT_FAILED,
                            "not applied: linked transfer #" + firstInvalid + " is invalid"));
                }
            }
        } else {
            List<Command.Payment> valid = new ArrayList<>();
            List<Integer> at = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (commands[i] != null) {
                    valid.add(commands[i]);
                    at.add(i);
                }
            }
            List<Outcome> decided = valid.isEmpty()
                    ? List.of()
                    : Outcomes.await(
                            linked
                                    ? call.ledger().submitLinked(valid)
                                    : call.ledger().submitAll(valid));
            for (int k = 0; k < decided.size(); k++) {
                outcomes[at.get(k)] = decided.get(k);
            }
        }
        Problem[] problems = new Problem[n];
        int failed = 0;
        int culprit = -1;
        for (int i = 0; i < n; i++) {
            problems[i] = invalid[i] != null
                    ? invalid[i]
                    : outcomes[i] instanceof Outcome.Rejected rej ? Problem.rejection(rej.rejection()) : null;
            if (problems[i] != null) {
                failed++;
                if (culprit < 0 && !problems[i].code().equals(RejectionCode.LINKED_EVENT_FAILED.name())) {
                    culprit = i;
                }
            }
        }
        if (!(linked && failed > 0)) {
            int succeeded = n - failed;
            int refused = failed;
            call.jsonWritten(200, g -> {
                g.writeStartObject();
                g.writeBooleanField("linked", linked);
                g.writeNumberField("succeeded", succeeded);
                g.writeNumberField("failed", refused);
                g.writeFieldName("results");
                writeResults(g, call, items, problems, outcomes);
                g.writeEndObject();
            });
            return;
        }
        // A linked batch with a refused transfer: nothing was applied, and the answer is a problem with the results.
        JsonNode results = Views.tree(g -> writeResults(g, call, items, problems, outcomes));
        String why = culprit < 0 ? "" : " (" + problems[culprit].code() + ": " + problems[culprit].detail() + ")";
        throw new ApiException(new Problem(
                RejectionCode.LINKED_EVENT_FAILED.name(),
                RejectionCode.LINKED_EVENT_FAILED.httpStatus(),
                Problem.titleOf(RejectionCode.LINKED_EVENT_FAILED.name()),
                "transfer #" + culprit + " of the linked batch was refused" + why + "; none of its " + n
                        + " transfers was applied",
                Optional.empty(),
                Map.of("results", results)));
    }

    /**
     * A batch's {@code results[]}, written straight to the generator (a batch of 1,000 entries is too big to
     * build as a tree first): each result {@code index, transaction_id, status, outcome} and its {@code entry}
     * or, where {@code problems[i]} is set, its {@code error}.
     */
    private static void writeResults(
            JsonGenerator g, Call call, ArrayNode items, Problem[] problems, Outcome[] outcomes) throws IOException {
        g.writeStartArray();
        for (int i = 0; i < items.size(); i++) {
            g.writeStartObject();
            g.writeNumberField("index", i);
            JsonNode rawId = items.get(i).get("transaction_id");
            if (rawId != null && rawId.isTextual()) {
                g.writeStringField("transaction_id", rawId.textValue());
            } else {
                g.writeNullField("transaction_id");
            }
            Problem p = problems[i];
            if (p != null) {
                g.writeNumberField("status", p.status());
                g.writeStringField("outcome", "rejected");
                g.writeFieldName("error");
                g.writeTree(p.toJson("/v1/transfers/batch#" + i));
            } else {
                boolean replay = outcomes[i] instanceof Outcome.Replayed;
                LedgerEntry e = switch (outcomes[i]) {
                    case Outcome.Written w -> w.entry();
                    case Outcome.Replayed r -> r.entry();
                    case Outcome.Held h -> h.pending();
                    default -> throw new AssertionError("a payment answered " + outcomes[i]);
                };
                if (outcomes[i] instanceof Outcome.Held) {
                    // Held pending fraud review: the entry is the pending transfer the payment became.
                    g.writeNumberField("status", 202);
                    g.writeStringField("outcome", "held");
                } else {
                    g.writeNumberField("status", replay ? 200 : 201);
                    g.writeStringField("outcome", replay ? "replayed" : "created");
                }
                g.writeFieldName("entry");
                Views.writeEntry(g, e, call.ledger().reads().currencyOrScale(e.currency()));
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    // ---- parsing --------------------------------------------------------------------------------

    /** A payment from a body: {@code transaction_id, type?, sender_id, receiver_id, currency, amount, metadata?}. */
    private static Command.Payment payment(Call call, JsonBody body, Optional<String> idempotencyKey) {
        body.only("transaction_id", "type", "sender_id", "receiver_id", "currency", "amount", "metadata");
        String id = Inputs.transactionId(body, idempotencyKey);
        EntryType type = body.optionalString("type", 16)
                .map(t -> paymentType(body.name("type"), t))
                .orElse(EntryType.TRANSFER);
        AccountIds.Ref sender = Inputs.accountRef(call.server(), body, "sender_id");
        Reach.requireMayDebit(call, sender.role(), body.name("sender_id"));
        UUID receiver = Inputs.accountRef(call.server(), body, "receiver_id").id();
        Money amount = money(call.ledger(), body);
        return new Command.Payment(
                id, type, sender.id(), receiver, amount, call.entryContext().withMetadata(body.metadata()));
    }

    private static Money money(Ledger ledger, JsonBody body) {
        Currency currency = Inputs.currency(ledger, body, "currency");
        return Inputs.amount(body, "amount", currency);
    }

    private static EntryType paymentType(String field, String text) {
        for (EntryType t : EntryType.values()) {
            // Exactly as entries show it: one spelling per value, so "transfer" is refused, not guessed at.
            if (t.isPayment() && t.name().equals(text)) {
                return t;
            }
        }
        throw ApiException.invalid(
                field, field + " must be TRANSFER, PURCHASE or INCOME (in capitals), not " + clip(text));
    }

    /**
     * The answer to a payment the fraud shield held: that it is held pending review, the pending transfer it
     * became (the payment's own transaction id), the fraud event to review, when the hold expires, and the
     * pending entry.
     */
    static ObjectNode held(Ledger ledger, Outcome.Held h) {
        LedgerEntry pending = h.pending();
        ObjectNode o = Views.object();
        o.put("outcome", "held");
        o.put(
                "message",
                "the payment is held pending fraud review (rule " + h.rule() + "): the amount is reserved, nothing"
                        + " has reached the receiver; review posts it or returns it, or it returns when the hold expires");
        o.put("transaction_id", pending.transactionId());
        o.put("pending_transaction_id", pending.transactionId());
        Optional<Long> event = ledger.fraud().holding(pending.transactionId()).stream()
                .map(FraudEvent::id)
                .findFirst();
        if (event.isPresent()) {
            o.put("fraud_event_id", event.get());
        } else {
            o.putNull("fraud_event_id");
        }
        o.put("rule", h.rule());
        o.put("expires_at", Engine.expiresAt(pending).toString());
        o.put("replayed", h.replayed());
        o.set("entry", entry(ledger, pending));
        return o;
    }

    static ObjectNode entry(Ledger ledger, LedgerEntry e) {
        return Views.entry(e, ledger.reads().currencyOrScale(e.currency()));
    }

    private static String clip(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "...";
    }
}
