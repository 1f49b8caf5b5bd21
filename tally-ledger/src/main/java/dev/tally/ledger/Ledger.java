package dev.tally.ledger;

import dev.tally.core.account.Account;
import dev.tally.core.account.AccountLimit;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.command.Exchange;
import dev.tally.core.engine.BalanceSnapshotter;
import dev.tally.core.engine.BatchExtension;
import dev.tally.core.engine.Engine;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.MerkleExtension;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Rules;
import dev.tally.core.engine.WriteSet;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.error.TallyException;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TimeOrderedIds;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.core.store.LedgerStore;
import dev.tally.ledger.internal.LedgerInternals;
import dev.tally.ledger.merkle.AutoCheckpoints;
import dev.tally.ledger.merkle.CheckpointConfig;
import dev.tally.ledger.merkle.Checkpointer;
import dev.tally.ledger.merkle.MerkleLog;
import dev.tally.ledger.merkle.SignerKeys;
import dev.tally.ledger.sequencer.Sequencer;
import dev.tally.ledger.sequencer.SequencerOptions;
import dev.tally.ledger.sequencer.SequencerStats;
import dev.tally.store.Stores;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * Tally as a library: one ledger over one store, with its sequencer. Thread-safe; share one instance.
 *
 * <p>This class holds the money commands. Writes go through the sequencer and are durable when a method
 * returns. Blocking methods throw {@link RejectedException} for a refused command (nothing written);
 * {@code submit} methods return {@link Outcome} values instead, one per command, as the batch API does.
 * The rest is in focused views: {@link #reads()} (accounts, balances, entries, supply), {@link #audit()}
 * (verification, reconciliation, their runs) and {@link #log()} (Merkle proofs and signed checkpoints).
 *
 * <pre>{@code
 * try (Ledger ledger = Ledger.open(LedgerConfig.sqlite(Path.of("tally.db")))) {
 *     Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
 *     ledger.mint("mint-1", alice.id(), ledger.money("100.00", "EUR"), EntryContext.actor("admin"));
 *     Map<String, Money> balances = ledger.reads().balances(alice.id());
 * }
 * }</pre>
 */
public final class Ledger implements AutoCloseable {
    static {
        LedgerInternals.grant(new LedgerInternals.Access() {
            @Override
            public LedgerStore store(Ledger ledger) {
                return ledger.store;
            }

            @Override
            public Sequencer sequencer(Ledger ledger) {
                return ledger.sequencer;
            }
        });
    }

    private final LedgerStore store;
    private final Engine engine;
    private final Sequencer sequencer;
    private final Clock clock;
    /** Where the next step of the expiry sweep starts: after this seq (0: from the oldest). */
    private final java.util.concurrent.atomic.AtomicLong expiryCursor = new java.util.concurrent.atomic.AtomicLong();

    private final LedgerReads reads;
    private final LedgerAudit audit;
    private Optional<Checkpointer> checkpointer = Optional.empty();
    private Optional<AutoCheckpoints> autoCheckpoints = Optional.empty();

    private Ledger(LedgerStore store, Rules rules, Clock clock, SequencerOptions options) {
        // Before anything is written: a configuration that rescales existing amounts must not open the ledger.
        store.fixScales(rules.currencies());
        this.store = store;
        this.engine = new Engine(rules);
        this.clock = clock;
        this.sequencer = new Sequencer(store, engine, clock, options);
        this.sequencer.addExtension(new MerkleExtension(store::readTreeHashes));
        this.sequencer.addExtension(new SnapshotExtension(() -> new BalanceSnapshotter(
                BalanceSnapshotter.DEFAULT_EVERY, rules.treasuryId(), Set.of(rules.treasuryId(), Rules.ESCROW_ID))));
        this.reads = new LedgerReads(store, engine.rules(), clock);
        this.audit = new LedgerAudit(store, engine.rules(), clock);
        ensureTreasury();
    }

    /** Opens a ledger on a store location (file path or URL, see {@link Stores#open}) with default rules. */
    public static Ledger open(String location) {
        return open(LedgerConfig.defaults().withLocation(location));
    }

    /** Opens a ledger as configured. */
    public static Ledger open(LedgerConfig config) {
        // The store creates its monthly partitions (PostgreSQL) ahead of the ledger's clock, not the system's.
        return open(Stores.open(config.location(), config.storeOptions().withClock(config.clock())), config);
    }

    /**
     * Opens a ledger as configured over a store the caller opened (and may go on using for what lies beside
     * the ledger, such as API keys); {@link LedgerConfig#location()} is not used. Closing the ledger closes
     * the store.
     */
    public static Ledger open(LedgerStore store, LedgerConfig config) {
        try {
            Ledger ledger = new Ledger(store, config.rules(), config.clock(), config.sequencer());
            try {
                config.checkpoints().ifPresent(ledger::startCheckpoints);
            } catch (RuntimeException e) {
                ledger.sequencer.close();
                throw e;
            }
            return ledger;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Opens a ledger over a store the caller built; closing the ledger closes the store. */
    public static Ledger over(LedgerStore store, Rules rules, Clock clock, SequencerOptions options) {
        return new Ledger(store, rules, clock, options);
    }

    private void ensureTreasury() {
        UUID id = engine.rules().treasuryId();
        if (store.findAccount(id).isEmpty()) {
            Outcome o = join(sequencer.submit(
                    new Command.OpenAccount(id, Rules.TREASURY_USERNAME, "treasury@tally.invalid", Role.SYSTEM)));
            if (!o.ok() && store.findAccount(id).isEmpty()) {
                throw new TallyException("could not create the treasury account: " + o);
            }
        }
    }

    /** The store this ledger writes, for the read side's choice between it and a replica. */
    LedgerStore primaryStore() {
        return store;
    }

    /** The rules this ledger applies: currencies, tax, limits. */
    public Rules rules() {
        return engine.rules();
    }

    /** Where the ledger lives, for people, e.g. {@code sqlite:/data/tally.db}. */
    public String describe() {
        return store.describe();
    }

    /** The clock that stamps entries. */
    public Clock clock() {
        return clock;
    }

    /** The writer's counters: batches, commands, queue depth, latencies. */
    public SequencerStats stats() {
        return sequencer.stats();
    }

    // ---- commands -------------------------------------------------------------------------------

    /** Submits any command; the future completes once it is durable or refused. */
    public CompletableFuture<Outcome> submit(Command command) {
        return sequencer.submit(command);
    }

    /** Submits independent commands in one batch; one outcome each, in order. */
    public CompletableFuture<List<Outcome>> submitAll(List<? extends Command> commands) {
        return sequencer.submitAll(commands);
    }

    /** Submits commands that succeed or fail together. */
    public CompletableFuture<List<Outcome>> submitLinked(List<? extends Command> commands) {
        return sequencer.submitLinked(commands);
    }

    /** Opens an account. */
    public Account createAccount(String username, String email, Role role) {
        return accountOf(join(submit(new Command.OpenAccount(TimeOrderedIds.next(), username, email, role))));
    }

    /** Changes an account's e-mail if it is still at {@code expectedVersion}; a stale one is VERSION_CONFLICT. */
    public Account updateEmail(UUID accountId, String email, long expectedVersion) {
        return accountOf(join(submit(new Command.UpdateEmail(accountId, email, expectedVersion))));
    }

    /** Freezes an account for fraud: it can no longer send money. */
    public Account freezeAccount(UUID accountId, String reason) {
        return accountOf(
                join(submit(new Command.SetAccountFrozen(accountId, true, Optional.of(reason), Optional.empty()))));
    }

    /** Lifts an account's fraud freeze. */
    public Account unfreezeAccount(UUID accountId) {
        return accountOf(
                join(submit(new Command.SetAccountFrozen(accountId, false, Optional.empty(), Optional.empty()))));
    }

    /**
     * Sets an account's limits in one currency (admin): how far below zero its balance may go and the most
     * it may hold. With {@code expectedVersion}, a stale version is VERSION_CONFLICT.
     */
    public Account setAccountLimit(
            UUID accountId, String currency, AccountLimit limit, Optional<Long> expectedVersion) {
        return accountOf(join(submit(new Command.SetAccountLimit(accountId, currency, limit, expectedVersion))));
    }

    /**
     * Converts money of one currency into another for one account, through a market account, atomically:
     * both legs (sell, then buy) are written or neither is. Returns the two entries. A refusal is the
     * refusing leg's own (for example INSUFFICIENT_LIQUIDITY), never the other leg's LINKED_EVENT_FAILED.
     */
    public List<LedgerEntry> exchange(Exchange exchange) {
        List<Outcome> outcomes = join(submitLinked(exchange.legs()));
        for (Outcome o : outcomes) {
            if (o instanceof Outcome.Rejected r && r.rejection().code() != RejectionCode.LINKED_EVENT_FAILED) {
                throw rejection(o);
            }
        }
        return outcomes.stream().map(Ledger::entryOf).toList();
    }

    /** Stops (or restarts) every money movement in the ledger. */
    public LedgerControls setLedgerFrozen(boolean frozen, Optional<String> reason, String actor) {
        Outcome o = join(submit(new Command.SetLedgerFrozen(frozen, reason, actor)));
        if (o instanceof Outcome.ControlsChanged c) {
            return c.controls();
        }
        throw rejection(o);
    }

    /**
     * A TRANSFER, PURCHASE or INCOME; returns the entry (the original one for an idempotent replay). When a
     * fraud rule with the {@code hold} action stops the payment, the entry returned is the pending transfer it
     * became (type PENDING, {@link dev.tally.core.engine.Engine#holdingRule}); {@link #submit} answers
     * {@link Outcome.Held} for it.
     */
    public LedgerEntry pay(
            String transactionId, EntryType type, UUID sender, UUID receiver, Money amount, EntryContext context) {
        return entryOf(join(submit(new Command.Payment(transactionId, type, sender, receiver, amount, context))));
    }

    /** A plain TRANSFER. */
    public LedgerEntry transfer(String transactionId, UUID sender, UUID receiver, Money amount, EntryContext context) {
        return pay(transactionId, EntryType.TRANSFER, sender, receiver, amount, context);
    }

    /** Creates money in an account (admin). */
    public LedgerEntry mint(String transactionId, UUID receiver, Money amount, EntryContext context) {
        return entryOf(join(submit(new Command.Mint(transactionId, receiver, amount, context))));
    }

    /** Destroys money in an account (admin). */
    public LedgerEntry burn(String transactionId, UUID sender, Money amount, EntryContext context) {
        return entryOf(join(submit(new Command.Burn(transactionId, sender, amount, context))));
    }

    /** Undoes an earlier entry with a new REVERSAL entry (admin). */
    public LedgerEntry reverse(String transactionId, String originalTransactionId, EntryContext context) {
        return entryOf(join(submit(new Command.Reverse(transactionId, originalTransactionId, context))));
    }

    /** A pending (two-phase) payment: reserves {@code amount} now; post or void it later, or it expires. */
    public LedgerEntry createPending(
            String transactionId,
            EntryType type,
            UUID sender,
            UUID receiver,
            Money amount,
            java.time.Duration timeout,
            EntryContext context) {
        return entryOf(join(
                submit(new Command.CreatePending(transactionId, type, sender, receiver, amount, timeout, context))));
    }

    /** Completes a pending payment for {@code amount} (all of it when empty); the rest goes back to the sender. */
    public LedgerEntry postPending(
            String transactionId, String pendingTransactionId, Optional<Money> amount, EntryContext context) {
        return entryOf(join(submit(new Command.PostPending(transactionId, pendingTransactionId, amount, context))));
    }

    /** Releases a pending payment whole. */
    public LedgerEntry voidPending(String transactionId, String pendingTransactionId, EntryContext context) {
        return entryOf(join(submit(new Command.VoidPending(transactionId, pendingTransactionId, context))));
    }

    /**
     * One step of the expiry sweep: examines up to {@code limit} open pending payments, in the order they
     * were written, starting after the last one the previous step examined (and from the oldest again once a
     * step reaches the newest), and voids those whose timeout has passed by the ledger's clock, each with a
     * VOID_PENDING entry of its own ({@code expire-<pending id>}, actor {@code tally:expiry}). Returns the
     * entries written. Steps go round, so every open pending payment is examined once per
     * ceil(open / limit) steps: a payment held open for long never keeps the later ones from expiring.
     * One already posted or voided meanwhile is skipped.
     */
    public List<LedgerEntry> expirePending(int limit) {
        ExpirySweep step = expireAfter(expiryCursor.get(), limit);
        expiryCursor.set(step.reachedNewest() ? 0 : step.lastExamined());
        return step.voided();
    }

    /** A whole sweep: every open pending payment examined once, {@code page} at a time; returns the voids. */
    public List<LedgerEntry> expireAllPending(int page) {
        List<LedgerEntry> voided = new java.util.ArrayList<>();
        ExpirySweep step = new ExpirySweep(List.of(), 0, false);
        while (!step.reachedNewest()) {
            step = expireAfter(step.lastExamined(), page);
            voided.addAll(step.voided());
        }
        return voided;
    }

    private ExpirySweep expireAfter(long afterSeq, int limit) {
        java.time.Instant now = clock.instant();
        List<LedgerEntry> open = store.openPending(Optional.empty(), afterSeq, limit);
        long last = open.isEmpty() ? afterSeq : open.get(open.size() - 1).seq();
        List<Command> voids = open.stream()
                .filter(p -> !now.isBefore(dev.tally.core.engine.Engine.expiresAt(p)))
                .map(p -> (Command) new Command.VoidPending(
                        expiryId(p.transactionId()), p.transactionId(), EntryContext.actor("tally:expiry"), true))
                .toList();
        List<LedgerEntry> written = voids.isEmpty()
                ? List.of()
                : join(submitAll(voids)).stream()
                        .flatMap(o -> o instanceof Outcome.Written w
                                ? java.util.stream.Stream.of(w.entry())
                                : java.util.stream.Stream.empty())
                        .toList();
        return new ExpirySweep(written, last, open.size() < limit);
    }

    /** What one step of the expiry sweep did, and where the next one starts. */
    private record ExpirySweep(List<LedgerEntry> voided, long lastExamined, boolean reachedNewest) {}

    /** The transaction id of the void that expires a pending one: the same for every sweep, so sweeps are idempotent. */
    static String expiryId(String pendingId) {
        return derivedId("expire-", pendingId);
    }

    /**
     * A transaction id of the ledger's own for a pending transfer's settlement: {@code prefix} and the pending
     * id, or its SHA-256 when that is too long; the same every time, so a retry replays.
     */
    static String derivedId(String prefix, String pendingId) {
        String id = prefix + pendingId;
        if (id.length() <= Command.MAX_TRANSACTION_ID) {
            return id;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(pendingId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return prefix + "sha256-" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    // ---- views ----------------------------------------------------------------------------------

    /** Parses an amount in a currency this ledger knows. */
    public Money money(String amount, String currencyCode) {
        return Money.parse(amount, currency(currencyCode));
    }

    /** A currency of this ledger; throws {@link RejectedException} with UNKNOWN_CURRENCY otherwise. */
    public Currency currency(String code) {
        return rules().currencies()
                .find(code)
                .orElseThrow(() -> new RejectedException(new Rejection(
                        RejectionCode.UNKNOWN_CURRENCY,
                        "currency " + code + " is not enabled in this ledger",
                        Optional.of("currency"))));
    }

    /** Accounts, balances, entries, totals, supply and controls as committed now. */
    public LedgerReads reads() {
        return reads;
    }

    /**
     * Calls {@code listener} with the fraud events of every batch once it is durable, on the writer thread
     * (keep it quick: count, hand off). A server uses it for alerts and metrics.
     */
    public void onFraudEvents(Consumer<List<FraudEvent>> listener) {
        sequencer.addExtension(new BatchExtension() {
            @Override
            public WriteSet extend(WriteSet batch) {
                return batch;
            }

            @Override
            public void committed(WriteSet batch) {
                if (!batch.fraudEvents().isEmpty()) {
                    listener.accept(batch.fraudEvents());
                }
            }

            @Override
            public void invalidate() {}
        });
    }

    /** The fraud shield's events and their review. */
    public FraudReview fraud() {
        return new FraudReview(store.fraudEvents(), store.adminLog(), this, clock);
    }

    /** Verification, reconciliation and their recorded runs. */
    public LedgerAudit audit() {
        return audit;
    }

    /** The verifiable log: Merkle tree, proofs and signed checkpoints. */
    public LedgerLog log() {
        return new LedgerLog(store, clock, checkpointer, autoCheckpoints);
    }

    private void startCheckpoints(CheckpointConfig config) {
        Checkpointer c = new Checkpointer(store, SignerKeys.loadSigner(config.privateKey()), config.witness(), clock);
        checkpointer = Optional.of(c);
        if (config.everyEntries() > 0 || !config.every().isZero()) {
            AutoCheckpoints auto = new AutoCheckpoints(c, new MerkleLog(store), config.everyEntries(), config.every());
            autoCheckpoints = Optional.of(auto);
            sequencer.addExtension(auto);
        }
    }

    @Override
    public void close() {
        try {
            sequencer.close();
            autoCheckpoints.ifPresent(AutoCheckpoints::close);
        } finally {
            store.close();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TallyException("interrupted while waiting for the ledger", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new TallyException("the ledger failed: " + cause.getMessage(), cause);
        }
    }

    private static LedgerEntry entryOf(Outcome o) {
        return switch (o) {
            case Outcome.Written w -> w.entry();
            case Outcome.Replayed r -> r.entry();
            case Outcome.Held h -> h.pending();
            default -> throw rejection(o);
        };
    }

    private static Account accountOf(Outcome o) {
        if (o instanceof Outcome.AccountChanged a) {
            return a.account();
        }
        throw rejection(o);
    }

    private static RuntimeException rejection(Outcome o) {
        if (o instanceof Outcome.Rejected r) {
            return new RejectedException(r.rejection());
        }
        throw new AssertionError("unexpected outcome " + o);
    }
}
