package dev.tally.core.engine;

import dev.tally.core.account.Account;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.StateLoader;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The committed state of a ledger in memory, for tests of the engine and its caches: it answers the bulk
 * reads, takes in write sets as a store's commit would, and counts how often each read was made.
 */
final class MemoryStore implements StateLoader {
    final Map<UUID, Account> accounts = new HashMap<>();
    final Map<BalanceKey, Balance> balances = new HashMap<>();
    final Map<TreasuryKey, Balance> treasury = new HashMap<>();
    final Map<String, Supply> supply = new HashMap<>();
    final Map<String, LedgerEntry> entries = new HashMap<>();
    final Map<String, String> reversals = new HashMap<>();
    ChainHead head = ChainHead.GENESIS;
    LedgerControls controls = LedgerControls.INITIAL;
    final Map<String, Integer> reads = new HashMap<>();

    /** Takes in a batch as a store's commit does: every written row one version later. */
    void commit(WriteSet batch) {
        batch.accounts().forEach(w -> accounts.put(w.account().id(), w.account()));
        batch.balances().forEach((k, v) -> balances.put(k, v.committed()));
        batch.treasuryTotals().forEach((k, v) -> treasury.put(k, v.committed()));
        batch.supply().forEach((k, v) -> supply.put(k, v.committed()));
        for (LedgerEntry e : batch.entries()) {
            entries.put(e.transactionId(), e);
            e.reverses().ifPresent(original -> reversals.put(original, e.transactionId()));
        }
        head = batch.toHead();
        batch.controls().ifPresent(c -> controls = c.committed());
    }

    int reads(String kind) {
        return reads.getOrDefault(kind, 0);
    }

    private void read(String kind) {
        reads.merge(kind, 1, Integer::sum);
    }

    @Override
    public Map<UUID, Account> loadAccounts(Collection<UUID> ids) {
        read("accounts");
        Map<UUID, Account> found = new HashMap<>();
        ids.forEach(id -> {
            if (accounts.containsKey(id)) {
                found.put(id, accounts.get(id));
            }
        });
        return found;
    }

    @Override
    public Map<BalanceKey, Balance> loadBalances(Collection<BalanceKey> keys) {
        read("balances");
        Map<BalanceKey, Balance> found = new HashMap<>();
        keys.forEach(k -> {
            if (balances.containsKey(k)) {
                found.put(k, balances.get(k));
            }
        });
        return found;
    }

    @Override
    public Map<TreasuryKey, Balance> loadTreasuryTotals() {
        read("treasury");
        return Map.copyOf(treasury);
    }

    @Override
    public Map<String, Supply> loadSupplies() {
        read("supply");
        return Map.copyOf(supply);
    }

    @Override
    public Map<String, LedgerEntry> loadEntries(Collection<String> transactionIds) {
        read("entries");
        Map<String, LedgerEntry> found = new HashMap<>();
        transactionIds.forEach(id -> {
            if (entries.containsKey(id)) {
                found.put(id, entries.get(id));
            }
        });
        return found;
    }

    @Override
    public Map<String, String> loadReversals(Collection<String> originalTransactionIds) {
        read("reversals");
        Map<String, String> found = new HashMap<>();
        originalTransactionIds.forEach(id -> {
            if (reversals.containsKey(id)) {
                found.put(id, reversals.get(id));
            }
        });
        return found;
    }

    @Override
    public boolean usernameExists(String username) {
        read("username");
        return accounts.values().stream().anyMatch(a -> a.username().equals(username));
    }

    @Override
    public boolean emailExists(String email) {
        read("email");
        return accounts.values().stream().anyMatch(a -> a.email().equalsIgnoreCase(email));
    }

    @Override
    public ChainHead loadHead() {
        read("head");
        return head;
    }

    @Override
    public LedgerControls loadControls() {
        read("controls");
        return controls;
    }
}
