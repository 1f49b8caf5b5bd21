package dev.tally.ledger;

import dev.tally.core.account.Account;
import dev.tally.core.audit.ReconciliationReport;
import dev.tally.core.audit.VerificationReport;
import dev.tally.core.audit.VerificationRun;
import dev.tally.core.audit.VerifyOptions;
import dev.tally.core.account.Role;
import dev.tally.core.command.Command;
import dev.tally.core.engine.Engine;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.Outcome;
import dev.tally.core.engine.Rules;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.error.Rejection;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.RejectionCode;
import dev.tally.core.error.TallyException;
import dev.tally.core.ledger.EntryContext;
import dev.tally.core.ledger.EntryType;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.core.store.AccountQuery;
import dev.tally.core.store.HistoryQuery;
import dev.tally.core.store.LedgerStore;
import dev.tally.store.Stores;
import dev.tally.store.jdbc.JdbcLedgerStore;
import dev.tally.store.merkle.AutoCheckpoints;
import dev.tally.store.merkle.CheckpointConfig;
import dev.tally.store.merkle.Checkpointer;
import dev.tally.store.merkle.MerkleExtension;
import dev.tally.store.merkle.MerkleLog;
import dev.tally.store.merkle.SignedCheckpoint;
import dev.tally.store.merkle.SignerKeys;
import dev.tally.store.audit.LedgerAuditor;
import dev.tally.store.sequencer.Sequencer;
import dev.tally.store.sequencer.SequencerOptions;
import dev.tally.store.sequencer.SequencerStats;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.LoggerFactory;

/**
 * Tally as a library: one ledger over one store, with its sequencer. Thread-safe; share one instance.
 *
 * <p>Writes go through the sequencer and are durable when a method returns. Blocking methods throw
 * {@link RejectedException} for a refused command (nothing written); {@code submit} methods return
 * {@link Outcome} values instead, one per command, as the batch API does. Reads go straight to the store.
 *
 * <pre>{@code
 * try (Ledger ledger = Ledger.open(LedgerConfig.sqlite(Path.of("tally.db")))) {
 *     Account alice = ledger.createAccount("alice", "alice@example.com", Role.USER);
 *     ledger.mint("mint-1", alice.id(), ledger.money("100.00", "EUR"), EntryContext.actor("admin"));
 * }
 * }</pre>
 */
public final class Ledger implements AutoCloseable {
    private static final AtomicBoolean VERIFY_BLOCKCHAIN_WARNED = new AtomicBoolean();
    private final LedgerStore store;
    private final Engine engine;
    private final Sequencer sequencer;
    private final Clock clock;
    private Optional<Checkpointer> checkpointer = Optional.empty();
    private Optional<AutoCheckpoints> autoCheckpoints = Optional.empty();

    private Ledger(LedgerStore store, Rules rules, Clock clock, SequencerOptions options) {
        this.store = store;
        this.engine = new Engine(rules);
        this.clock = clock;
        this.sequencer = new Sequencer(store, engine, clock, options);
        this.sequencer.addExtension(new MerkleExtension(store::readTreeHashes));
        ensureTreasury();
    }

    /** Opens a ledger on a store location (file path or URL, see {@link Stores#open}) with default rules. */
    public static Ledger open(String location) {
        return open(LedgerConfig.defaults().withLocation(location));
    }

    /** Opens a ledger as configured. */
    public static Ledger open(LedgerConfig config) {
        LedgerStore store = Stores.open(config.location(), config.storeOptions());
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
            Outcome o = join(sequencer.submit(new Command.OpenAccount(id, Rules.TREASURY_USERNAME, "treasury@tally.invalid", Role.SYSTEM)));
            if (!o.ok() && store.findAccount(id).isEmpty()) {
                throw new TallyException("could not create the treasury account: " + o);
            }
        }
    }

    public Rules rules() {
        return engine.rules();
    }

    public LedgerStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    public SequencerStats stats() {
        return sequencer.stats();
    }

    /** The sequencer, for components that extend every batch (the Merkle log). */
    public Sequencer sequencer() {
        return sequencer;
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
        return accountOf(join(submit(new Command.OpenAccount(UUID.randomUUID(), username, email, role))));
    }

    /** Changes an account's e-mail if it is still at {@code expectedVersion}; a stale one is VERSION_CONFLICT. */
    public Account updateEmail(UUID accountId, String email, long expectedVersion) {
        return accountOf(join(submit(new Command.UpdateEmail(accountId, email, expectedVersion))));
    }

    /** Freezes an account for fraud: it can no longer send money. */
    public Account freezeAccount(UUID accountId, String reason) {
        return accountOf(join(submit(new Command.SetAccountFrozen(accountId, true, Optional.of(reason), Optional.empty()))));
    }

    /** Lifts an account's fraud freeze. */
    public Account unfreezeAccount(UUID accountId) {
        return accountOf(join(submit(new Command.SetAccountFrozen(accountId, false, Optional.empty(), Optional.empty()))));
    }

    /** Stops (or restarts) every money movement in the ledger. */
    public LedgerControls setLedgerFrozen(boolean frozen, Optional<String> reason, String actor) {
        Outcome o = join(submit(new Command.SetLedgerFrozen(frozen, reason, actor)));
        if (o instanceof Outcome.ControlsChanged c) {
            return c.controls();
        }
        throw rejection(o);
    }

    /** A TRANSFER, PURCHASE or INCOME; returns the entry (the original one for an idempotent replay). */
    public LedgerEntry pay(String transactionId, EntryType type, UUID sender, UUID receiver, Money amount, EntryContext context) {
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

    // ---- reads ----------------------------------------------------------------------------------

    /** Parses an amount in a currency this ledger knows. */
    public Money money(String amount, String currencyCode) {
        return Money.parse(amount, currency(currencyCode));
    }

    /** A currency of this ledger; throws {@link RejectedException} with UNKNOWN_CURRENCY otherwise. */
    public Currency currency(String code) {
        return rules().currencies().find(code).orElseThrow(() -> new RejectedException(new Rejection(RejectionCode.UNKNOWN_CURRENCY,
                "currency " + code + " is not enabled in this ledger", Optional.of("currency"))));
    }

    /** Finds an account by its id or its username. */
    public Optional<Account> findAccount(String idOrUsername) {
        if (idOrUsername == null || idOrUsername.isBlank()) {
            return Optional.empty();
        }
        try {
            Optional<Account> byId = store.findAccount(UUID.fromString(idOrUsername));
            if (byId.isPresent()) {
                return byId;
            }
        } catch (IllegalArgumentException notAUuid) {
            // fall through to the username
        }
        return store.findAccountByUsername(idOrUsername);
    }

    /** The id of an account named by id or username; UNKNOWN_ACCOUNT when there is none. */
    public UUID resolve(String idOrUsername) {
        return findAccount(idOrUsername).map(Account::id).orElseThrow(() -> new RejectedException(
                Rejection.of(RejectionCode.UNKNOWN_ACCOUNT, "no account " + idOrUsername)));
    }

    public List<Account> listAccounts(AccountQuery query) {
        return store.listAccounts(query);
    }

    /** An account's balances as money, by currency code. */
    public Map<String, Money> balances(UUID accountId) {
        Map<String, Money> result = new java.util.LinkedHashMap<>();
        store.balancesOf(accountId).forEach((code, minor) -> result.put(code, Money.ofMinor(currencyOrScale(code), minor)));
        return result;
    }

    public Optional<LedgerEntry> findEntry(String transactionId) {
        return store.findEntry(transactionId);
    }

    public List<LedgerEntry> history(HistoryQuery query) {
        return store.history(query);
    }

    public Map<TreasuryKey, Long> treasuryTotals() {
        return store.treasuryTotals();
    }

    /** Per currency: minted, burned, circulating (sum of balances) and whether they agree. */
    public List<SupplyReport> supply() {
        Map<String, Supply> supplies = store.supplies();
        Map<String, Long> circulating = store.circulating();
        java.util.TreeSet<String> codes = new java.util.TreeSet<>(supplies.keySet());
        codes.addAll(circulating.keySet());
        return codes.stream().map(code -> {
            Supply s = supplies.getOrDefault(code, Supply.NONE);
            long c = circulating.getOrDefault(code, 0L);
            return new SupplyReport(currencyOrScale(code), s.minted(), s.burned(), c);
        }).toList();
    }

    public LedgerControls controls() {
        return store.loadControls();
    }

    // ---- audit ----------------------------------------------------------------------------------

    /**
     * Verifies every entry of the chain, as the seed's {@code verifyChainIntegrity()} does (chain links,
     * hashes, sequence, timestamps, entry arithmetic), on every core; records the run.
     */
    public VerificationReport verifyChainIntegrity() {
        return verifyChainIntegrity(VerifyOptions.full());
    }

    /** Verifies the chain fully or incrementally (see {@link VerifyOptions}); records the run. */
    public VerificationReport verifyChainIntegrity(VerifyOptions options) {
        return new LedgerAuditor(store, rules(), clock).verify(options);
    }

    /**
     * The seed's old name for {@link #verifyChainIntegrity()}.
     *
     * @deprecated use {@link #verifyChainIntegrity()}; this alias logs a warning once per JVM
     */
    @Deprecated
    public VerificationReport verifyBlockchain() {
        if (VERIFY_BLOCKCHAIN_WARNED.compareAndSet(false, true)) {
            LoggerFactory.getLogger(Ledger.class).warn("[LEDGER] verifyBlockchain() is deprecated. Use verifyChainIntegrity() instead.");
        }
        return verifyChainIntegrity();
    }

    /**
     * Replays every entry and compares the result with the stored balances, treasury totals and supply,
     * which a hash chain alone cannot vouch for; records the run.
     */
    public ReconciliationReport reconcile() {
        return new LedgerAuditor(store, rules(), clock).reconcile(VerifyOptions.full().parallelism(), VerifyOptions.DEFAULT_MAX_FINDINGS);
    }

    /** The newest recorded verification and reconciliation runs first. */
    public List<VerificationRun> verificationHistory(int limit) {
        return new LedgerAuditor(store, rules(), clock).history(limit);
    }

    /** A known currency, or one with scale 0 for a code found in the data but no longer configured. */
    public Currency currencyOrScale(String code) {
        return rules().currencies().find(code).orElseGet(() -> new Currency(code, 0));
    }

    // ---- verifiable log -------------------------------------------------------------------------

    /**
     * The ledger as an RFC 9162 verifiable log: tree size, roots, inclusion and consistency proofs, and the
     * signed checkpoints.
     *
     * @throws IllegalStateException over a store that is not SQLite or PostgreSQL
     */
    public MerkleLog merkleLog() {
        return new MerkleLog(jdbcStore());
    }

    /**
     * Signs, stores and appends to the witness file a checkpoint of the ledger as committed now, with the
     * configured key ({@link LedgerConfig#checkpoints()}).
     *
     * @throws IllegalStateException when no checkpoint key is configured
     */
    public SignedCheckpoint checkpoint() {
        return checkpointer.orElseThrow(() -> new IllegalStateException("no checkpoint key is configured for this ledger"))
                .checkpoint();
    }

    /** The automatic checkpoints' last failure, if the last attempt failed. */
    public Optional<RuntimeException> checkpointFailure() {
        return autoCheckpoints.flatMap(AutoCheckpoints::lastFailure);
    }

    private void startCheckpoints(CheckpointConfig config) {
        JdbcLedgerStore jdbc = jdbcStore();
        Checkpointer c = new Checkpointer(jdbc, SignerKeys.loadSigner(config.privateKey()), config.witness(), clock);
        checkpointer = Optional.of(c);
        if (config.everyEntries() > 0 || !config.every().isZero()) {
            AutoCheckpoints auto = new AutoCheckpoints(c, new MerkleLog(jdbc), config.everyEntries(), config.every());
            autoCheckpoints = Optional.of(auto);
            sequencer.addExtension(auto);
        }
    }

    private JdbcLedgerStore jdbcStore() {
        if (store instanceof JdbcLedgerStore jdbc) {
            return jdbc;
        }
        throw new IllegalStateException("the Merkle log needs a SQLite or PostgreSQL store, not " + store.describe());
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

    private static <T> T join(CompletableFuture<T> future) {
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
