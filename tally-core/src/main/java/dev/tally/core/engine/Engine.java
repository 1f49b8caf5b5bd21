package dev.tally.core.engine;

import dev.tally.core.account.Account;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.fraud.Finding;
import dev.tally.core.fraud.FraudAction;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.core.fraud.FraudShield;
import dev.tally.core.fraud.Payment;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.Metadata;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Money;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The ledger's decision function: given the state and a command, either apply the command to the
 * overlay and say what it wrote, or refuse it and change nothing. Pure and deterministic: the clock is a
 * parameter, there is no I/O, and the same state and commands always give the same entries and hashes.
 *
 * <p>Order of checks for money commands: idempotency first (a replay answers with the original even if the
 * ledger has been frozen since), then the ledger freeze, the currency, the accounts, the freeze of the
 * sender, the funds. The first failing rule is the rejection.
 */
public final class Engine {
    private final Rules rules;
    private FraudShield shield;
    /**
     * While a linked batch is decided: its payments, recorded by the shield only once the batch takes
     * effect, and the side effects of a fraud refusal, which stand even though the batch does not.
     */
    private @Nullable List<Payment> linkedPayments;

    private @Nullable List<Consumer<Overlay>> linkedRefusals;

    public Engine(Rules rules) {
        this.rules = Objects.requireNonNull(rules);
        this.shield = new FraudShield(rules.fraudPolicy());
    }

    /**
     * Resets the fraud rules' windows to {@code recent}, the payments of the recent ledger in order: after
     * a restart, and whenever the writer's view of the ledger was reset (another writer, a failed batch).
     * Call from the writer thread only.
     */
    public void rebuildFraudWindows(Iterable<Payment> recent, Instant now) {
        rebuildFraudWindows(recent, List.of(), now);
    }

    /**
     * As {@link #rebuildFraudWindows(Iterable, Instant)}, also remembering the flags that {@code opened}, the
     * events of the same recent ledger, already raised: a repeat within its window opens no second event.
     */
    public void rebuildFraudWindows(Iterable<Payment> recent, Iterable<FraudEvent> opened, Instant now) {
        FraudShield fresh = shield.empty();
        for (Payment p : recent) {
            fresh.record(p);
        }
        fresh.rememberFlags(opened);
        fresh.sweep(now);
        shield = fresh;
    }

    /** The fraud shield's windows (for tests and metrics). */
    public FraudShield fraudShield() {
        return shield;
    }

    /** What the rules know of an account: its age and whether it is a system account. */
    public Payment.AccountFacts factsOf(Account a) {
        return new Payment.AccountFacts(a.createdAt(), isExemptByRole(a));
    }

    public Rules rules() {
        return rules;
    }

    /** Decides one command against {@code state}; on success its changes are in {@code state}. */
    public Outcome apply(Command command, Overlay state, Instant now) {
        return switch (command) {
            case Command.Movement m -> applyMovement(m, state, now);
            case Command.OpenAccount c -> openAccount(c, state, now);
            case Command.UpdateEmail c -> updateEmail(c, state, now);
            case Command.SetAccountFrozen c -> setAccountFrozen(c, state, now);
            case Command.SetLedgerFrozen c -> setLedgerFrozen(c, state, now);
            case Command.SetAccountLimit c -> setAccountLimit(c, state, now);
        };
    }

    /**
     * Decides a linked batch: all commands take effect or none does. When one fails, it keeps its own
     * rejection and every other command gets {@code LINKED_EVENT_FAILED}.
     */
    public List<Outcome> applyLinked(List<? extends Command> commands, Overlay state, Instant now) {
        linkedPayments = new ArrayList<>();
        linkedRefusals = new ArrayList<>();
        try {
            return decideLinked(commands, state, now);
        } finally {
            linkedPayments = null;
            linkedRefusals = null;
        }
    }

    private List<Outcome> decideLinked(List<? extends Command> commands, Overlay state, Instant now) {
        Overlay scratch = state.child();
        Outcome[] outcomes = new Outcome[commands.size()];
        int failed = -1;
        for (int i = 0; i < commands.size(); i++) {
            outcomes[i] = apply(commands.get(i), scratch, now);
            if (!outcomes[i].ok()) {
                failed = i;
                break;
            }
        }
        if (failed < 0) {
            scratch.mergeInto(state);
            Objects.requireNonNull(linkedPayments).forEach(shield::record);
            return List.of(outcomes);
        }
        Objects.requireNonNull(linkedRefusals).forEach(effect -> effect.accept(state));
        for (int i = 0; i < outcomes.length; i++) {
            if (i != failed) {
                outcomes[i] = new Outcome.Rejected(Rejection.of(
                        RejectionCode.LINKED_EVENT_FAILED, "not applied: linked command #" + failed + " was rejected"));
            }
        }
        return List.of(outcomes);
    }

    private Outcome applyMovement(Command.Movement command, Overlay state, Instant now) {
        Optional<LedgerEntry> existing = state.entry(command.transactionId());
        if (existing.isPresent()) {
            return Idempotency.sameContent(command, existing.get())
                    ? replayOf(existing.get())
                    : rejected(
                            RejectionCode.DUPLICATE_TRANSACTION,
                            "transaction_id " + command.transactionId()
                                    + " was already used for a different transaction");
        }
        if (state.controls().frozen()) {
            return rejected(
                    RejectionCode.LEDGER_FROZEN,
                    "the ledger is frozen"
                            + state.controls().reason().map(r -> ": " + r).orElse("")
                            + "; no money can move until an admin unfreezes it");
        }
        if (command.context().metadata().hasReservedKey()) {
            return new Outcome.Rejected(Rejection.invalid(
                    "metadata", "metadata keys starting with " + Metadata.RESERVED_PREFIX + " are the ledger's own"));
        }
        Result<Draft> draft = switch (command) {
            case Command.Payment p -> payment(p, state, now);
            case Command.Mint m -> mint(m, state);
            case Command.Burn b -> burn(b, state);
            case Command.Reverse r -> reversal(r, state);
            case Command.CreatePending c -> createPending(c, state, now);
            case Command.PostPending c ->
                settle(c.pendingTransactionId(), Optional.of(c.amount()), c.byLedger(), state, now);
            case Command.VoidPending c -> settle(c.pendingTransactionId(), Optional.empty(), c.byLedger(), state, now);
            case Command.ExchangeLeg x -> exchangeLeg(x, state);
        };
        EntryContext context = command.context();
        if (command instanceof Command.CreatePending c) {
            try {
                context = context.withMetadata(context.metadata()
                        .with(
                                Metadata.EXPIRES_AT,
                                now.plus(c.timeout())
                                        .truncatedTo(ChronoUnit.MICROS)
                                        .toString()));
            } catch (Metadata.InvalidMetadataException e) {
                return new Outcome.Rejected(Rejection.invalid("metadata", String.valueOf(e.getMessage())));
            }
        }
        if (command instanceof Command.ExchangeLeg x) {
            try {
                context = context.withMetadata(context.metadata()
                        .with(Metadata.EXCHANGE, x.exchangeId())
                        .with(Metadata.RATE, x.rate()));
            } catch (Metadata.InvalidMetadataException e) {
                return new Outcome.Rejected(Rejection.invalid("metadata", String.valueOf(e.getMessage())));
            }
        }
        Optional<Finding> hold =
                draft instanceof Result.Yes<Draft> yes ? yes.value().hold() : Optional.empty();
        if (hold.isPresent()) {
            try {
                context = held(command, context, hold.get(), now);
            } catch (Metadata.InvalidMetadataException e) {
                return new Outcome.Rejected(Rejection.invalid("metadata", String.valueOf(e.getMessage())));
            }
        }
        return switch (draft) {
            case Result.No<Draft> no -> new Outcome.Rejected(no.rejection());
            case Result.Yes<Draft> yes -> {
                Outcome written = write(yes.value(), command.transactionId(), context, state, now);
                yield hold.isPresent() && written instanceof Outcome.Written w
                        ? new Outcome.Held(w.entry(), hold.get().rule(), false)
                        : written;
            }
        };
    }

    /** A replay answers as the original did: a payment the shield held is still held. */
    private static Outcome replayOf(LedgerEntry existing) {
        Optional<String> rule = holdingRule(existing);
        return rule.isPresent() ? new Outcome.Held(existing, rule.get(), true) : new Outcome.Replayed(existing);
    }

    /** The rule that holds {@code entry} pending review, if it is a pending transfer the fraud shield holds. */
    public static Optional<String> holdingRule(LedgerEntry entry) {
        return entry.type() == EntryType.PENDING
                ? Optional.ofNullable(entry.metadata().values().get(Metadata.FRAUD_HOLD))
                : Optional.empty();
    }

    /**
     * The context of a held payment's pending transfer: marked with the rule that held it and, for a payment,
     * with the hold's expiry (a pending transfer the client created keeps its own timeout).
     */
    private EntryContext held(Command.Movement command, EntryContext context, Finding hold, Instant now)
            throws Metadata.InvalidMetadataException {
        Metadata marked = context.metadata().with(Metadata.FRAUD_HOLD, hold.rule());
        if (command instanceof Command.Payment) {
            marked = marked.with(
                    Metadata.EXPIRES_AT,
                    now.plus(shield.policy().holdExpiry())
                            .truncatedTo(ChronoUnit.MICROS)
                            .toString());
        }
        return context.withMetadata(marked);
    }

    private Result<Draft> payment(Command.Payment p, Overlay state, Instant now) {
        Money amount = p.amount();
        Optional<Rejection> invalid = checkCurrency(amount);
        if (invalid.isPresent()) {
            return Result.no(invalid.get());
        }
        if (p.senderId().equals(p.receiverId())) {
            return Result.no(
                    Rejection.of(RejectionCode.SAME_ACCOUNT, "sender and receiver must be different accounts"));
        }
        Optional<Account> sender = state.account(p.senderId());
        Optional<Account> receiver = state.account(p.receiverId());
        if (sender.isEmpty() || receiver.isEmpty()) {
            return Result.no(unknownAccount(sender.isEmpty() ? p.senderId() : p.receiverId()));
        }
        if (sender.get().frozenForFraud()) {
            return Result.no(frozen(sender.get()));
        }
        List<Finding> findings = List.of();
        Optional<Payment> seen = Optional.empty();
        if (shield.active() && !isExemptByRole(sender.get())) {
            seen = Optional.of(new Payment(
                    p.transactionId(),
                    p.senderId(),
                    p.receiverId(),
                    amount.currency().code(),
                    amount.minor(),
                    now,
                    p.context().ipAddress(),
                    p.context().userAgent(),
                    factsOf(sender.get()),
                    factsOf(receiver.get())));
            findings = shield.assess(seen.get());
        }
        if (!findings.isEmpty() && findings.get(0).action().compareTo(FraudAction.HOLD) > 0) {
            return Result.no(refuse(findings.get(0), sender.get(), state, now));
        }
        if (!findings.isEmpty() && findings.get(0).action() == FraudAction.HOLD) {
            // Held: the payment becomes a pending transfer that review posts (with its tax then) or voids.
            return Result.yes(new Draft(
                    EntryType.PENDING,
                    Optional.of(p.senderId()),
                    Optional.of(p.receiverId()),
                    amount.currency().code(),
                    amount.minor(),
                    0,
                    p.type().taxKind(),
                    Optional.empty(),
                    seen,
                    findings));
        }
        Account payer = p.type() == EntryType.INCOME ? receiver.get() : sender.get();
        long tax = rules.taxPolicy()
                .taxOn(p.type(), amount.currency().code(), amount.minor(), payer.id(), isExemptByRole(payer));
        return Result.yes(new Draft(
                p.type(),
                Optional.of(p.senderId()),
                Optional.of(p.receiverId()),
                amount.currency().code(),
                amount.minor(),
                tax,
                p.type().taxKind(),
                Optional.empty(),
                seen,
                findings));
    }

    /**
     * Refuses a payment the shield stopped: opens the event, and for {@code freeze} writes the freeze (the
     * shield's purpose, so it stands even when the payment was part of a linked batch that fails).
     */
    private Rejection refuse(Finding finding, Account sender, Overlay state, Instant now) {
        FraudEvent event = FraudEvent.open(finding, now);
        if (finding.action() == FraudAction.FREEZE) {
            Account frozen = sender.freeze(finding.reason(), now);
            effect(state, s -> {
                s.putAccount(frozen, Optional.of(sender));
                s.addFraudEvent(event);
            });
            return frozen(frozen);
        }
        effect(state, s -> s.addFraudEvent(event));
        return Rejection.of(RejectionCode.FRAUD_SUSPECTED, "refused by the " + finding.reason());
    }

    private void effect(Overlay state, Consumer<Overlay> change) {
        if (linkedRefusals != null) {
            linkedRefusals.add(change);
        } else {
            change.accept(state);
        }
    }

    /** A pending transfer is checked as the payment it will become, and withholds no tax yet. */
    private Result<Draft> createPending(Command.CreatePending c, Overlay state, Instant now) {
        Command.Payment as =
                new Command.Payment(c.transactionId(), c.type(), c.senderId(), c.receiverId(), c.amount(), c.context());
        return switch (payment(as, state, now)) {
            case Result.No<Draft> no -> no;
            case Result.Yes<Draft> yes ->
                Result.yes(new Draft(
                        EntryType.PENDING,
                        yes.value().sender,
                        yes.value().receiver,
                        yes.value().currency,
                        yes.value().gross,
                        0,
                        c.type().taxKind(),
                        Optional.empty(),
                        yes.value().seen,
                        yes.value().flags));
        };
    }

    /**
     * Posts ({@code amount} present: the amount to post, all when empty inside) or voids ({@code amount} empty)
     * the pending transfer {@code pendingId}. Tax is on what is posted; the rest goes back to the sender.
     */
    private Result<Draft> settle(
            String pendingId, Optional<Optional<Money>> amount, boolean byLedger, Overlay state, Instant now) {
        Optional<LedgerEntry> found = state.entry(pendingId);
        if (found.isEmpty()) {
            return Result.no(Rejection.of(RejectionCode.UNKNOWN_TRANSACTION, "no transaction " + pendingId));
        }
        LedgerEntry p = found.get();
        if (p.type() != EntryType.PENDING) {
            return Result.no(Rejection.of(
                    RejectionCode.NOT_PENDING,
                    "transaction " + pendingId + " is a " + p.type() + ", not a pending one"));
        }
        Optional<String> holdingRule = holdingRule(p);
        if (holdingRule.isPresent() && !byLedger) {
            return Result.no(Rejection.of(
                    RejectionCode.FRAUD_SUSPECTED,
                    "pending transaction " + pendingId + " is held by the fraud shield (" + holdingRule.get()
                            + ") pending review; only its review can post or void it"));
        }
        Optional<String> closedBy = state.reversalOf(pendingId);
        if (closedBy.isPresent()) {
            boolean posted = state.entry(closedBy.get())
                    .map(e -> e.type() == EntryType.POST_PENDING)
                    .orElse(false);
            return Result.no(Rejection.of(
                    posted ? RejectionCode.PENDING_ALREADY_POSTED : RejectionCode.PENDING_ALREADY_VOIDED,
                    "pending transaction " + pendingId + " was already " + (posted ? "posted" : "voided") + " by "
                            + closedBy.get()));
        }
        UUID sender = p.senderId().orElseThrow();
        UUID receiver = p.receiverId().orElseThrow();
        if (amount.isEmpty()) {
            return Result.yes(new Draft(
                    EntryType.VOID_PENDING,
                    p.senderId(),
                    p.receiverId(),
                    p.currency(),
                    p.amountGross(),
                    0,
                    p.taxKind(),
                    Optional.of(pendingId),
                    0));
        }
        if (!now.isBefore(expiresAt(p))) {
            return Result.no(Rejection.of(
                    RejectionCode.PENDING_EXPIRED,
                    "pending transaction " + pendingId + " expired at " + expiresAt(p)
                            + " and can no longer be posted"));
        }
        long posted = p.amountGross();
        if (amount.get().isPresent()) {
            Money m = amount.get().get();
            if (!m.currency().code().equals(p.currency()) || m.minor() > p.amountGross()) {
                return Result.no(Rejection.invalid(
                        "amount", "the amount posted must be in " + p.currency() + " and at most the pending amount"));
            }
            posted = m.minor();
        }
        EntryType type = EntryType.paymentOf(p.taxKind()).orElseThrow();
        Optional<Account> payer = state.account(type == EntryType.INCOME ? receiver : sender);
        long tax = rules.taxPolicy()
                .taxOn(
                        type,
                        p.currency(),
                        posted,
                        type == EntryType.INCOME ? receiver : sender,
                        payer.map(this::isExemptByRole).orElse(false));
        return Result.yes(new Draft(
                EntryType.POST_PENDING,
                p.senderId(),
                p.receiverId(),
                p.currency(),
                p.amountGross(),
                tax,
                p.taxKind(),
                Optional.of(pendingId),
                posted - tax));
    }

    /** When a pending entry expires, as its metadata records it. */
    public static Instant expiresAt(LedgerEntry pending) {
        return Instant.parse(pending.metadata().values().getOrDefault(Metadata.EXPIRES_AT, Instant.MAX.toString()));
    }

    private Result<Draft> mint(Command.Mint m, Overlay state) {
        Optional<Rejection> invalid = checkCurrency(m.amount());
        if (invalid.isPresent()) {
            return Result.no(invalid.get());
        }
        if (state.account(m.receiverId()).isEmpty()) {
            return Result.no(unknownAccount(m.receiverId()));
        }
        return Result.yes(new Draft(
                EntryType.MINT,
                Optional.empty(),
                Optional.of(m.receiverId()),
                m.amount().currency().code(),
                m.amount().minor(),
                0,
                TaxKind.NONE,
                Optional.empty(),
                Optional.empty(),
                List.of()));
    }

    /**
     * A leg of an exchange. The market must be a system account other than the treasury and the escrow (only
     * admins open those), and on the buy leg it must hold the whole amount it pays out: its liquidity is what
     * it holds, never a credit limit.
     */
    private Result<Draft> exchangeLeg(Command.ExchangeLeg x, Overlay state) {
        Optional<Rejection> invalid = checkCurrency(x.amount());
        if (invalid.isPresent()) {
            return Result.no(invalid.get());
        }
        Optional<Account> sender = state.account(x.senderId());
        Optional<Account> receiver = state.account(x.receiverId());
        if (sender.isEmpty() || receiver.isEmpty()) {
            return Result.no(unknownAccount(sender.isEmpty() ? x.senderId() : x.receiverId()));
        }
        Account market = x.sell() ? receiver.get() : sender.get();
        Account client = x.sell() ? sender.get() : receiver.get();
        if (!isMarket(market)) {
            return Result.no(Rejection.invalid(
                    "market_id",
                    "account " + market.username() + " is not a market: a market is a SYSTEM account other than the"
                            + " treasury and the escrow"));
        }
        if (client.role() == Role.SYSTEM || client.id().equals(rules.treasuryId())) {
            return Result.no(Rejection.invalid("account_id", "a system account or the treasury cannot exchange"));
        }
        if (sender.get().frozenForFraud()) {
            return Result.no(frozen(sender.get()));
        }
        String currency = x.amount().currency().code();
        if (!x.sell()
                && state.balance(new BalanceKey(market.id(), currency)).amount()
                        < x.amount().minor()) {
            return Result.no(Rejection.of(
                    RejectionCode.INSUFFICIENT_LIQUIDITY,
                    "market " + market.username() + " holds less than " + x.amount() + " to pay out"));
        }
        return Result.yes(new Draft(
                EntryType.EXCHANGE,
                Optional.of(x.senderId()),
                Optional.of(x.receiverId()),
                currency,
                x.amount().minor(),
                x.fee(),
                x.fee() > 0 ? TaxKind.EXCHANGE_FEE : TaxKind.NONE,
                Optional.empty(),
                Optional.empty(),
                List.of()));
    }

    private boolean isMarket(Account a) {
        return a.role() == Role.SYSTEM && !a.id().equals(rules.treasuryId()) && !a.id().equals(Rules.ESCROW_ID);
    }

    private Result<Draft> burn(Command.Burn b, Overlay state) {
        Optional<Rejection> invalid = checkCurrency(b.amount());
        if (invalid.isPresent()) {
            return Result.no(invalid.get());
        }
        if (state.account(b.senderId()).isEmpty()) {
            return Result.no(unknownAccount(b.senderId()));
        }
        return Result.yes(new Draft(
                EntryType.BURN,
                Optional.of(b.senderId()),
                Optional.empty(),
                b.amount().currency().code(),
                b.amount().minor(),
                0,
                TaxKind.NONE,
                Optional.empty(),
                Optional.empty(),
                List.of()));
    }

    // A reversal moves the money back: the original's receiver is its sender.
    @SuppressWarnings("ArgumentSelectionDefectChecker")
    private Result<Draft> reversal(Command.Reverse r, Overlay state) {
        Optional<LedgerEntry> found = state.entry(r.originalTransactionId());
        if (found.isEmpty()) {
            return Result.no(
                    Rejection.of(RejectionCode.UNKNOWN_TRANSACTION, "no transaction " + r.originalTransactionId()));
        }
        LedgerEntry original = found.get();
        if (original.type() == EntryType.REVERSAL) {
            return Result.no(Rejection.of(
                    RejectionCode.NOT_REVERSIBLE, "a reversal cannot itself be reversed; make a new entry"));
        }
        if (original.type() == EntryType.PENDING || original.type().settlesPending()) {
            return Result.no(Rejection.of(
                    RejectionCode.NOT_REVERSIBLE,
                    "a pending transfer is voided, not reversed, and its post or void cannot be reversed"));
        }
        Optional<String> earlier = state.reversalOf(original.transactionId());
        if (earlier.isPresent()) {
            return Result.no(Rejection.of(
                    RejectionCode.ALREADY_REVERSED,
                    "transaction " + original.transactionId() + " was already reversed by " + earlier.get()));
        }
        return Result.yes(new Draft(
                EntryType.REVERSAL,
                original.receiverId(),
                original.senderId(),
                original.currency(),
                original.amountGross(),
                original.taxWithheld(),
                original.taxKind(),
                Optional.of(original.transactionId()),
                Optional.empty(),
                List.of()));
    }

    /** Checks funds and overflow for every effect, then appends the entry and applies its effects. */
    private Outcome write(Draft d, String transactionId, EntryContext context, Overlay state, Instant now) {
        ChainHead head = state.head();
        LedgerEntry entry = LedgerEntry.sealed(
                head.seq() + 1,
                transactionId,
                d.type,
                d.sender,
                d.receiver,
                d.currency,
                d.gross,
                d.tax,
                d.net,
                d.taxKind,
                now,
                context,
                d.reverses,
                head.hash());
        Pending pending = new Pending(state, entry);
        EntryEffects.apply(entry, rules.treasuryId(), pending);
        if (pending.rejection != null) {
            return new Outcome.Rejected(pending.rejection);
        }
        if (entry.type() == EntryType.PENDING && state.account(Rules.ESCROW_ID).isEmpty()) {
            if (state.usernameTaken(Rules.ESCROW_USERNAME)) {
                return new Outcome.Rejected(Rejection.invalid(
                        "type",
                        "the username " + Rules.ESCROW_USERNAME + " is taken, so no escrow account can be opened"));
            }
            state.putAccount(
                    Account.open(Rules.ESCROW_ID, Rules.ESCROW_USERNAME, "escrow@tally.invalid", Role.SYSTEM, now),
                    Optional.empty());
        }
        pending.flush();
        state.append(entry);
        d.flags.forEach(f -> state.addFraudEvent(
                f.action() == FraudAction.HOLD ? FraudEvent.held(f, now, transactionId) : FraudEvent.open(f, now)));
        if (d.seen.isPresent()) {
            shield.flagged(d.flags, now);
        }
        // A held payment has not taken effect (and a rebuild, which reads payments, would not see it).
        if (d.seen.isPresent() && d.hold().isEmpty()) {
            if (linkedPayments != null) {
                linkedPayments.add(d.seen.get());
            } else {
                shield.record(d.seen.get());
            }
        }
        return new Outcome.Written(entry);
    }

    private Outcome openAccount(Command.OpenAccount c, Overlay state, Instant now) {
        if (state.account(c.id()).isPresent()) {
            return rejected(RejectionCode.DUPLICATE_USERNAME, "an account with id " + c.id() + " already exists");
        }
        if (state.usernameTaken(c.username())) {
            return new Outcome.Rejected(new Rejection(
                    RejectionCode.DUPLICATE_USERNAME,
                    "username " + c.username() + " is taken (usernames are unique regardless of case)",
                    Optional.of("username")));
        }
        if (state.emailTaken(c.email())) {
            return new Outcome.Rejected(new Rejection(
                    RejectionCode.DUPLICATE_EMAIL,
                    "email " + c.email() + " is already registered",
                    Optional.of("email")));
        }
        Account account = Account.open(c.id(), c.username(), c.email(), c.role(), now);
        state.putAccount(account, Optional.empty());
        return new Outcome.AccountChanged(account);
    }

    private Outcome updateEmail(Command.UpdateEmail c, Overlay state, Instant now) {
        Optional<Account> found = state.account(c.accountId());
        if (found.isEmpty()) {
            return new Outcome.Rejected(unknownAccount(c.accountId()));
        }
        Account current = found.get();
        if (current.version() != c.expectedVersion()) {
            return rejected(
                    RejectionCode.VERSION_CONFLICT,
                    "account " + current.username() + " is at version " + current.version() + ", not "
                            + c.expectedVersion() + "; reload and retry");
        }
        if (!Overlay.normalizeEmail(current.email()).equals(Overlay.normalizeEmail(c.email()))
                && state.emailTaken(c.email())) {
            return new Outcome.Rejected(new Rejection(
                    RejectionCode.DUPLICATE_EMAIL,
                    "email " + c.email() + " is already registered",
                    Optional.of("email")));
        }
        Account updated = current.withEmail(c.email(), now);
        state.putAccount(updated, found);
        return new Outcome.AccountChanged(updated);
    }

    private Outcome setAccountFrozen(Command.SetAccountFrozen c, Overlay state, Instant now) {
        Optional<Account> found = state.account(c.accountId());
        if (found.isEmpty()) {
            return new Outcome.Rejected(unknownAccount(c.accountId()));
        }
        Account current = found.get();
        if (c.expectedVersion().isPresent() && c.expectedVersion().get() != current.version()) {
            return rejected(
                    RejectionCode.VERSION_CONFLICT,
                    "account " + current.username() + " is at version " + current.version() + ", not "
                            + c.expectedVersion().get() + "; reload and retry");
        }
        if (current.id().equals(rules.treasuryId()) && c.frozen()) {
            return new Outcome.Rejected(
                    Rejection.invalid("account", "the treasury cannot be frozen; freeze the ledger instead"));
        }
        Account updated = c.frozen() ? current.freeze(c.reason().orElseThrow(), now) : current.unfreeze(now);
        state.putAccount(updated, found);
        return new Outcome.AccountChanged(updated);
    }

    /**
     * Sets an account's limits in one currency. The treasury and the escrow take none: the treasury must
     * always be able to receive tax and give it back, and the escrow only holds what senders reserved.
     */
    private Outcome setAccountLimit(Command.SetAccountLimit c, Overlay state, Instant now) {
        Optional<Account> found = state.account(c.accountId());
        if (found.isEmpty()) {
            return new Outcome.Rejected(unknownAccount(c.accountId()));
        }
        Account current = found.get();
        if (c.expectedVersion().isPresent() && c.expectedVersion().get() != current.version()) {
            return rejected(
                    RejectionCode.VERSION_CONFLICT,
                    "account " + current.username() + " is at version " + current.version() + ", not "
                            + c.expectedVersion().get() + "; reload and retry");
        }
        if (rules.currencies().find(c.currency()).isEmpty()) {
            return new Outcome.Rejected(new Rejection(
                    RejectionCode.UNKNOWN_CURRENCY,
                    "currency " + c.currency() + " is not enabled in this ledger",
                    Optional.of("currency")));
        }
        if (current.id().equals(rules.treasuryId()) || current.id().equals(Rules.ESCROW_ID)) {
            return new Outcome.Rejected(
                    Rejection.invalid("account", "the treasury and the escrow account take no limits"));
        }
        // A credit limit below what the account already owes would leave a stored balance that reconciliation
        // flags as broken (BALANCE_BELOW_CREDIT_LIMIT): the debt is paid down first, then the limit lowered.
        long balance = state.balance(new BalanceKey(current.id(), c.currency())).amount();
        if (!c.limit().allowsBalance(balance)) {
            return rejected(
                    RejectionCode.CREDIT_LIMIT_EXCEEDED,
                    "account " + current.username() + " holds " + balance + " minor units of " + c.currency()
                            + ", below minus the new credit limit " + c.limit().creditLimit()
                            + "; lower the limit once the debt is within it");
        }
        Account updated = current.withLimit(c.currency(), c.limit(), now);
        state.putAccount(updated, found);
        return new Outcome.AccountChanged(updated);
    }

    private Outcome setLedgerFrozen(Command.SetLedgerFrozen c, Overlay state, Instant now) {
        LedgerControls current = state.controls();
        LedgerControls next =
                new LedgerControls(c.frozen(), c.reason(), Optional.of(c.actor()), Optional.of(now), current.version());
        state.putControls(next);
        return new Outcome.ControlsChanged(next);
    }

    private Optional<Rejection> checkCurrency(Money amount) {
        String code = amount.currency().code();
        if (rules.currencies().find(code).filter(amount.currency()::equals).isEmpty()) {
            return Optional.of(new Rejection(
                    RejectionCode.UNKNOWN_CURRENCY,
                    "currency " + code + " is not enabled in this ledger",
                    Optional.of("currency")));
        }
        return Optional.empty();
    }

    private boolean isExemptByRole(Account payer) {
        return payer.role() == Role.SYSTEM || payer.id().equals(rules.treasuryId());
    }

    private static Rejection unknownAccount(UUID id) {
        return Rejection.of(RejectionCode.UNKNOWN_ACCOUNT, "no account " + id);
    }

    private static Rejection frozen(Account a) {
        return Rejection.of(
                RejectionCode.ACCOUNT_FROZEN,
                "account " + a.username() + " is frozen for fraud"
                        + a.frozenReason().map(r -> " (" + r + ")").orElse("") + " and cannot send money");
    }

    private static Outcome rejected(RejectionCode code, String message) {
        return new Outcome.Rejected(Rejection.of(code, message));
    }

    /** The parts of an entry decided before it is chained. */
    private record Draft(
            EntryType type,
            Optional<UUID> sender,
            Optional<UUID> receiver,
            String currency,
            long gross,
            long tax,
            TaxKind taxKind,
            Optional<String> reverses,
            long net,
            Optional<Payment> seen,
            List<Finding> flags) {
        /** A draft the fraud shield did not see, with its own net (a partial post returns the rest). */
        Draft(
                EntryType type,
                Optional<UUID> sender,
                Optional<UUID> receiver,
                String currency,
                long gross,
                long tax,
                TaxKind taxKind,
                Optional<String> reverses,
                long net) {
            this(type, sender, receiver, currency, gross, tax, taxKind, reverses, net, Optional.empty(), List.of());
        }

        /** A payment's draft: its whole gross is tax plus net, and it carries what the shield saw and flagged. */
        Draft(
                EntryType type,
                Optional<UUID> sender,
                Optional<UUID> receiver,
                String currency,
                long gross,
                long tax,
                TaxKind taxKind,
                Optional<String> reverses,
                Optional<Payment> seen,
                List<Finding> flags) {
            this(type, sender, receiver, currency, gross, tax, taxKind, reverses, gross - tax, seen, flags);
        }

        /** The finding that holds this payment pending review, when the strongest one is a hold. */
        Optional<Finding> hold() {
            return !flags.isEmpty() && flags.get(0).action() == FraudAction.HOLD
                    ? Optional.of(flags.get(0))
                    : Optional.empty();
        }
    }

    /** A decision that either carries a value or a rejection. */
    private sealed interface Result<T> {
        record Yes<T>(T value) implements Result<T> {}

        record No<T>(Rejection rejection) implements Result<T> {}

        static <T> Result<T> yes(T value) {
            return new Yes<>(value);
        }

        static <T> Result<T> no(Rejection rejection) {
            return new No<>(rejection);
        }
    }

    /**
     * Collects an entry's effects, checks each balance against the account's limits (no lower than minus
     * its credit limit, no higher than its cap) and against overflow, and only then writes them, so a
     * refused entry leaves the overlay untouched.
     */
    private static final class Pending implements EntryEffects.Sink {
        private final Overlay state;
        private final LedgerEntry entry;
        private final java.util.Map<BalanceKey, Balance> balances = new java.util.LinkedHashMap<>(4);
        private final java.util.Map<TreasuryKey, Balance> totals = new java.util.LinkedHashMap<>(2);
        private final java.util.Map<String, Supply> supplies = new java.util.LinkedHashMap<>(1);
        private @Nullable Rejection rejection;

        Pending(Overlay state, LedgerEntry entry) {
            this.state = state;
            this.entry = entry;
        }

        @Override
        public void balance(UUID account, String currency, long delta) {
            if (rejection != null) {
                return;
            }
            BalanceKey key = new BalanceKey(account, currency);
            Balance current = balances.getOrDefault(key, state.balance(key));
            long next = current.amount() + delta;
            if (delta < 0 && next < 0) {
                rejection = belowZero(account, currency, current.amount(), delta, next);
            } else if (next > Money.MAX_MINOR * 1000 || (delta > 0 && next < current.amount())) {
                rejection = Rejection.of(
                        RejectionCode.BALANCE_OVERFLOW, "balance of account " + account + " would overflow");
            } else if (delta > 0
                    && capApplies(account)
                    && limit(account, currency).exceedsCap(next)) {
                rejection = Rejection.of(
                        RejectionCode.MAX_BALANCE_EXCEEDED,
                        "account " + account + " may hold at most "
                                + limit(account, currency).maxBalance().orElseThrow() + " minor units of " + currency
                                + "; it holds " + current.amount() + " and would receive " + delta);
            }
            if (rejection == null) {
                balances.put(key, current.withAmount(next));
            }
        }

        /**
         * A debit below zero: allowed down to minus the account's credit limit, except for a BURN (money that
         * was never held cannot be destroyed). Without a credit limit it is plain insufficient funds.
         */
        private @Nullable Rejection belowZero(UUID account, String currency, long held, long delta, long next) {
            long credit = entry.type() == EntryType.BURN
                    ? 0
                    : limit(account, currency).creditLimit();
            if (next >= -credit) {
                return null;
            }
            if (credit == 0) {
                return Rejection.of(
                        RejectionCode.INSUFFICIENT_FUNDS,
                        "insufficient funds: account " + account + " holds " + held + " minor units of " + currency
                                + ", needs " + -delta);
            }
            return Rejection.of(
                    RejectionCode.CREDIT_LIMIT_EXCEEDED,
                    "account " + account + " may go at most " + credit + " minor units of " + currency
                            + " below zero; it holds " + held + " and needs " + -delta);
        }

        /**
         * Whether a credit to {@code account} counts against its cap. Money coming back to the account it came
         * from does not: a void, the unposted rest of a pending transfer, a reversal. Refusing those would
         * strand money in escrow or make a correction impossible.
         */
        private boolean capApplies(UUID account) {
            return switch (entry.type()) {
                case VOID_PENDING, REVERSAL -> false;
                case POST_PENDING -> !entry.senderId().map(account::equals).orElse(false);
                default -> true;
            };
        }

        private dev.tally.core.account.AccountLimit limit(UUID account, String currency) {
            return state.account(account).map(a -> a.limit(currency)).orElse(dev.tally.core.account.AccountLimit.NONE);
        }

        @Override
        public void treasuryTotal(String currency, TaxKind kind, long delta) {
            TreasuryKey key = new TreasuryKey(currency, kind);
            Balance current = totals.getOrDefault(key, state.treasuryTotal(key));
            long next = current.amount() + delta;
            if (next < 0 && rejection == null) {
                rejection = Rejection.of(
                        RejectionCode.INSUFFICIENT_FUNDS, "the treasury's " + kind + " total cannot go negative");
                return;
            }
            totals.put(key, current.withAmount(next));
        }

        @Override
        public void supply(String currency, long minted, long burned) {
            Supply current = supplies.getOrDefault(currency, state.supply(currency));
            try {
                Supply next = current.plus(minted, burned);
                if (next.minted() > Money.MAX_MINOR * 1000 && rejection == null) {
                    rejection = Rejection.of(
                            RejectionCode.BALANCE_OVERFLOW, "the supply of " + currency + " would overflow");
                }
                supplies.put(currency, next);
            } catch (ArithmeticException e) {
                rejection =
                        Rejection.of(RejectionCode.BALANCE_OVERFLOW, "the supply of " + currency + " would overflow");
            }
        }

        void flush() {
            balances.forEach(state::putBalance);
            totals.forEach(state::putTreasury);
            supplies.forEach(state::putSupply);
        }
    }
}
