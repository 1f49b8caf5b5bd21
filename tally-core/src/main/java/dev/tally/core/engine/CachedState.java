package dev.tally.core.engine;

import dev.tally.core.account.Account;
import dev.tally.core.command.Command;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.StateLoader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The committed state as the single writer knows it: a cache in front of the store. It stays valid because
 * the sequencer is the only writer in its process; when another process writes, a version conflict tells
 * the sequencer to {@link #invalidate()} and reload.
 *
 * <p>Accounts, balances, tax totals, supply, the chain head and the controls are cached across batches.
 * Transaction-id lookups (idempotency, reversals) are loaded per batch by {@link #prefetch} and forgotten
 * after it, so memory does not grow with the ledger. Single-threaded.
 *
 * <p>Pipelining: the sequencer decides the next batch while the previous one commits. It calls
 * {@link #applySpeculative} with the batch it has handed to the store, so that the next batch is decided on
 * exactly the state the serial order would give it: the new balances and versions, the new head, and the
 * batch's entries, reversals and payments, which are not in the store yet. {@link #confirm()} says the batch
 * is durable (its rows can now be read from the store); {@link #invalidate()} forgets it with everything else.
 */
public final class CachedState implements StateView {
    private final StateLoader loader;
    private final Map<UUID, Optional<Account>> accounts = new HashMap<>();
    private final Map<BalanceKey, Balance> balances = new HashMap<>();
    /** Loaded on first use, like {@link #head} and {@link #controls}; null until then or after {@link #invalidate()}. */
    private @Nullable Map<TreasuryKey, Balance> treasury;

    private @Nullable Map<String, Supply> supply;
    private final Map<String, Optional<LedgerEntry>> entries = new HashMap<>();
    private final Map<String, Optional<String>> reversals = new HashMap<>();
    private @Nullable ChainHead head;
    private @Nullable LedgerControls controls;
    /** The batch applied but not yet durable (pipelining): its entries, reversals and payments by sender. */
    private final Map<String, LedgerEntry> speculativeEntries = new HashMap<>();

    private final Map<String, String> speculativeReversals = new HashMap<>();
    private final Map<UUID, Integer> speculativePayments = new HashMap<>();

    public CachedState(StateLoader loader) {
        this.loader = loader;
    }

    /** Loads, in a few bulk reads, everything the commands will ask for that is not cached. */
    public void prefetch(Collection<? extends Command> commands) {
        Set<String> txIds = new HashSet<>();
        Set<String> originals = new HashSet<>();
        Set<UUID> accountIds = new HashSet<>();
        Set<BalanceKey> balanceKeys = new HashSet<>();
        for (Command c : commands) {
            switch (c) {
                case Command.Payment p -> {
                    txIds.add(p.transactionId());
                    addAccount(p.senderId(), p.amount().currency().code(), accountIds, balanceKeys);
                    addAccount(p.receiverId(), p.amount().currency().code(), accountIds, balanceKeys);
                }
                case Command.Mint m -> {
                    txIds.add(m.transactionId());
                    addAccount(m.receiverId(), m.amount().currency().code(), accountIds, balanceKeys);
                }
                case Command.Burn b -> {
                    txIds.add(b.transactionId());
                    addAccount(b.senderId(), b.amount().currency().code(), accountIds, balanceKeys);
                }
                case Command.Reverse r -> {
                    txIds.add(r.transactionId());
                    txIds.add(r.originalTransactionId());
                    originals.add(r.originalTransactionId());
                }
                case Command.CreatePending p -> {
                    txIds.add(p.transactionId());
                    addAccount(p.senderId(), p.amount().currency().code(), accountIds, balanceKeys);
                    addAccount(p.receiverId(), p.amount().currency().code(), accountIds, balanceKeys);
                    addAccount(Rules.ESCROW_ID, p.amount().currency().code(), accountIds, balanceKeys);
                }
                case Command.PostPending p -> {
                    txIds.add(p.transactionId());
                    txIds.add(p.pendingTransactionId());
                    originals.add(p.pendingTransactionId());
                }
                case Command.VoidPending v -> {
                    txIds.add(v.transactionId());
                    txIds.add(v.pendingTransactionId());
                    originals.add(v.pendingTransactionId());
                }
                case Command.ExchangeLeg x -> {
                    txIds.add(x.transactionId());
                    addAccount(x.senderId(), x.amount().currency().code(), accountIds, balanceKeys);
                    addAccount(x.receiverId(), x.amount().currency().code(), accountIds, balanceKeys);
                }
                case Command.SetAccountLimit l -> accountIds.add(l.accountId());
                case Command.UpdateEmail u -> accountIds.add(u.accountId());
                case Command.SetAccountFrozen f -> accountIds.add(f.accountId());
                case Command.OpenAccount o -> accountIds.add(o.id());
                case Command.SetLedgerFrozen l -> {}
            }
        }
        loadEntries(txIds);
        loadReversals(originals);
        for (String original : originals) {
            entry(original).ifPresent(e -> {
                if (e.type() == dev.tally.core.ledger.EntryType.PENDING) {
                    addAccount(Rules.ESCROW_ID, e.currency(), accountIds, balanceKeys);
                }
                e.senderId().ifPresent(id -> addAccount(id, e.currency(), accountIds, balanceKeys));
                e.receiverId().ifPresent(id -> addAccount(id, e.currency(), accountIds, balanceKeys));
            });
        }
        loadAccounts(accountIds);
        loadBalances(balanceKeys);
    }

    private void addAccount(UUID id, String currency, Set<UUID> ids, Set<BalanceKey> keys) {
        ids.add(id);
        keys.add(new BalanceKey(id, currency));
    }

    private void loadEntries(Collection<String> txIds) {
        List<String> missing = txIds.stream()
                .filter(id -> !entries.containsKey(id) && !speculativeEntries.containsKey(id))
                .toList();
        if (!missing.isEmpty()) {
            Map<String, LedgerEntry> found = loader.loadEntries(missing);
            missing.forEach(id -> entries.put(id, Optional.ofNullable(found.get(id))));
        }
    }

    private void loadReversals(Collection<String> originals) {
        List<String> missing = originals.stream()
                .filter(id -> !reversals.containsKey(id) && !speculativeReversals.containsKey(id))
                .toList();
        if (!missing.isEmpty()) {
            Map<String, String> found = loader.loadReversals(missing);
            missing.forEach(id -> reversals.put(id, Optional.ofNullable(found.get(id))));
        }
    }

    private void loadAccounts(Collection<UUID> ids) {
        List<UUID> missing =
                ids.stream().filter(id -> !accounts.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            Map<UUID, Account> found = loader.loadAccounts(missing);
            missing.forEach(id -> accounts.put(id, Optional.ofNullable(found.get(id))));
        }
    }

    private void loadBalances(Collection<BalanceKey> keys) {
        List<BalanceKey> missing = new ArrayList<>();
        for (BalanceKey k : keys) {
            if (!balances.containsKey(k)) {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            Map<BalanceKey, Balance> found = loader.loadBalances(missing);
            missing.forEach(k -> balances.put(k, found.getOrDefault(k, Balance.NONE)));
        }
    }

    @Override
    public Optional<Account> account(UUID id) {
        Optional<Account> a = accounts.get(id);
        if (a == null) {
            loadAccounts(List.of(id));
            a = loaded(accounts, id);
        }
        return a;
    }

    @Override
    public boolean usernameTaken(String username) {
        return loader.usernameExists(username);
    }

    @Override
    public boolean emailTaken(String email) {
        return loader.emailExists(email);
    }

    @Override
    public Balance balance(BalanceKey key) {
        Balance b = balances.get(key);
        if (b == null) {
            loadBalances(List.of(key));
            b = loaded(balances, key);
        }
        return b;
    }

    @Override
    public Balance treasuryTotal(TreasuryKey key) {
        return treasury().getOrDefault(key, Balance.NONE);
    }

    private Map<TreasuryKey, Balance> treasury() {
        Map<TreasuryKey, Balance> t = treasury;
        if (t == null) {
            t = new HashMap<>(loader.loadTreasuryTotals());
            treasury = t;
        }
        return t;
    }

    @Override
    public Supply supply(String currency) {
        return supply().getOrDefault(currency, Supply.NONE);
    }

    private Map<String, Supply> supply() {
        Map<String, Supply> s = supply;
        if (s == null) {
            s = new HashMap<>(loader.loadSupplies());
            supply = s;
        }
        return s;
    }

    @Override
    public Optional<LedgerEntry> entry(String transactionId) {
        LedgerEntry pending = speculativeEntries.get(transactionId);
        if (pending != null) {
            return Optional.of(pending);
        }
        Optional<LedgerEntry> e = entries.get(transactionId);
        if (e == null) {
            loadEntries(List.of(transactionId));
            e = loaded(entries, transactionId);
        }
        return e;
    }

    @Override
    public Optional<String> reversalOf(String originalTransactionId) {
        String pending = speculativeReversals.get(originalTransactionId);
        if (pending != null) {
            return Optional.of(pending);
        }
        Optional<String> r = reversals.get(originalTransactionId);
        if (r == null) {
            loadReversals(List.of(originalTransactionId));
            r = loaded(reversals, originalTransactionId);
        }
        return r;
    }

    @Override
    public ChainHead head() {
        ChainHead h = head;
        if (h == null) {
            h = loader.loadHead();
            head = h;
        }
        return h;
    }

    @Override
    public LedgerControls controls() {
        LedgerControls c = controls;
        if (c == null) {
            c = loader.loadControls();
            controls = c;
        }
        return c;
    }

    /** Takes in a batch that has committed: every written row is now one version later. */
    public void applyCommitted(WriteSet batch) {
        for (WriteSet.AccountWrite w : batch.accounts()) {
            accounts.put(w.account().id(), Optional.of(w.account()));
        }
        batch.balances().forEach((k, v) -> balances.put(k, v.committed()));
        if (!batch.treasuryTotals().isEmpty()) {
            Map<TreasuryKey, Balance> t = treasury();
            batch.treasuryTotals().forEach((k, v) -> t.put(k, v.committed()));
        }
        if (!batch.supply().isEmpty()) {
            Map<String, Supply> s = supply();
            batch.supply().forEach((k, v) -> s.put(k, v.committed()));
        }
        head = batch.toHead();
        batch.controls().ifPresent(c -> controls = c.committed());
        endBatch();
    }

    @Override
    public int pendingPayments(UUID sender) {
        return speculativePayments.getOrDefault(sender, 0);
    }

    /**
     * Takes in a batch handed to the store but not yet durable, as {@link #applyCommitted} would, and keeps
     * its entries, reversals and payments visible until {@link #confirm()}: the store cannot show them yet.
     */
    public void applySpeculative(WriteSet batch) {
        applyCommitted(batch);
        for (LedgerEntry e : batch.entries()) {
            speculativeEntries.put(e.transactionId(), e);
            e.reverses().ifPresent(original -> speculativeReversals.put(original, e.transactionId()));
            if (e.type().isPayment()) {
                e.senderId().ifPresent(sender -> speculativePayments.merge(sender, 1, Integer::sum));
            }
        }
    }

    /** The speculative batch is durable: the store now answers for its rows. */
    public void confirm() {
        dropSpeculative();
    }

    /** A value a load has just put in {@code cache}: every load fills each key it is asked for. */
    private static <K, V> V loaded(Map<K, V> cache, K key) {
        V value = cache.get(key);
        if (value == null) {
            throw new IllegalStateException("the load did not fill " + key);
        }
        return value;
    }

    private void dropSpeculative() {
        speculativeEntries.clear();
        speculativeReversals.clear();
        speculativePayments.clear();
    }

    /** Forgets the per-batch transaction lookups. */
    public void endBatch() {
        entries.clear();
        reversals.clear();
    }

    /** Forgets everything: another writer moved, so the next read goes to the store. */
    public void invalidate() {
        dropSpeculative();
        accounts.clear();
        balances.clear();
        treasury = null;
        supply = null;
        head = null;
        controls = null;
        endBatch();
    }
}
