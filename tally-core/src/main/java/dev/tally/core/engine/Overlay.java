package dev.tally.core.engine;

import dev.tally.core.account.Account;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.core.ledger.LedgerEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Uncommitted changes layered over a {@link StateView}: the engine writes here, reads see the changes,
 * the parent sees nothing until {@link #mergeInto(Overlay)}. A linked batch decides in a child overlay and
 * throws it away when any command fails. Not thread-safe: only the sequencer's writer thread uses it.
 */
public final class Overlay implements StateView {
    private final StateView parent;
    final Map<UUID, Account> accounts = new LinkedHashMap<>();
    final Map<BalanceKey, Balance> balances = new LinkedHashMap<>();
    final Map<TreasuryKey, Balance> treasury = new LinkedHashMap<>();
    final Map<String, Supply> supply = new LinkedHashMap<>();
    final Map<String, LedgerEntry> entriesByTx = new HashMap<>();
    final Map<String, String> reversals = new HashMap<>();
    final Map<String, UUID> usernames = new HashMap<>();
    final Map<String, UUID> emails = new HashMap<>();
    final List<LedgerEntry> entries = new ArrayList<>();
    private final Map<UUID, Integer> paymentsBySender = new HashMap<>();
    final List<FraudEvent> fraudEvents = new ArrayList<>();
    /** For each changed account, the version of the row as read (0 for a new account). */
    final Map<UUID, Long> accountBaseVersions = new HashMap<>();
    /** Null while this overlay has not moved them: the parent's answer stands. */
    private @Nullable ChainHead head;

    private @Nullable LedgerControls controls;

    public Overlay(StateView parent) {
        this.parent = parent;
    }

    /** A child overlay whose changes reach this one only when merged. */
    public Overlay child() {
        return new Overlay(this);
    }

    @Override
    public Optional<Account> account(UUID id) {
        Account a = accounts.get(id);
        return a != null ? Optional.of(a) : parent.account(id);
    }

    @Override
    public boolean usernameTaken(String username) {
        return usernames.containsKey(Account.usernameKey(username)) || parent.usernameTaken(username);
    }

    @Override
    public boolean emailTaken(String email) {
        return emails.containsKey(normalizeEmail(email)) || parent.emailTaken(email);
    }

    @Override
    public Balance balance(BalanceKey key) {
        Balance b = balances.get(key);
        return b != null ? b : parent.balance(key);
    }

    @Override
    public Balance treasuryTotal(TreasuryKey key) {
        Balance b = treasury.get(key);
        return b != null ? b : parent.treasuryTotal(key);
    }

    @Override
    public Supply supply(String currency) {
        Supply s = supply.get(currency);
        return s != null ? s : parent.supply(currency);
    }

    @Override
    public Optional<LedgerEntry> entry(String transactionId) {
        LedgerEntry e = entriesByTx.get(transactionId);
        return e != null ? Optional.of(e) : parent.entry(transactionId);
    }

    @Override
    public Optional<String> reversalOf(String originalTransactionId) {
        String r = reversals.get(originalTransactionId);
        return r != null ? Optional.of(r) : parent.reversalOf(originalTransactionId);
    }

    @Override
    public int pendingPayments(UUID sender) {
        return paymentsBySender.getOrDefault(sender, 0) + parent.pendingPayments(sender);
    }

    @Override
    public ChainHead head() {
        return head != null ? head : parent.head();
    }

    @Override
    public LedgerControls controls() {
        return controls != null ? controls : parent.controls();
    }

    /** Records a new or changed account; {@code before} is the account as it was, empty when new. */
    void putAccount(Account account, Optional<Account> before) {
        putAccount(account, before.map(Account::version).orElse(0L));
    }

    private void putAccount(Account account, long readVersion) {
        accounts.put(account.id(), account);
        accountBaseVersions.putIfAbsent(account.id(), readVersion);
        if (readVersion == 0) {
            usernames.put(Account.usernameKey(account.username()), account.id());
        }
        emails.put(normalizeEmail(account.email()), account.id());
    }

    void putBalance(BalanceKey key, Balance balance) {
        balances.put(key, balance);
    }

    void putTreasury(TreasuryKey key, Balance total) {
        treasury.put(key, total);
    }

    void putSupply(String currency, Supply s) {
        supply.put(currency, s);
    }

    void append(LedgerEntry entry) {
        entries.add(entry);
        entriesByTx.put(entry.transactionId(), entry);
        entry.reverses().ifPresent(original -> reversals.put(original, entry.transactionId()));
        if (entry.type().isPayment()) {
            entry.senderId().ifPresent(s -> paymentsBySender.merge(s, 1, Integer::sum));
        }
        head = new ChainHead(entry.seq(), entry.currentHash());
    }

    void addFraudEvent(FraudEvent event) {
        fraudEvents.add(event);
    }

    void putControls(LedgerControls newControls) {
        controls = newControls;
    }

    /** Moves every change of this overlay into {@code target}, in order. */
    public void mergeInto(Overlay target) {
        for (Account a : accounts.values()) {
            target.putAccount(a, baseVersion(a));
        }
        balances.forEach(target::putBalance);
        treasury.forEach(target::putTreasury);
        supply.forEach(target::putSupply);
        entries.forEach(target::append);
        fraudEvents.forEach(target::addFraudEvent);
        if (controls != null) {
            target.putControls(controls);
        }
    }

    /** The changes as a write set for the store: what to insert and which versions to move. */
    public WriteSet toWriteSet(ChainHead committedHead) {
        List<WriteSet.AccountWrite> accountWrites = new ArrayList<>();
        for (Account a : accounts.values()) {
            accountWrites.add(new WriteSet.AccountWrite(a, baseVersion(a)));
        }
        return new WriteSet(
                List.copyOf(entries),
                accountWrites,
                Map.copyOf(balances),
                Map.copyOf(treasury),
                Map.copyOf(supply),
                committedHead,
                head(),
                Optional.ofNullable(controls),
                Optional.empty(),
                fraudEvents);
    }

    /** Every changed account has a base version: {@link #putAccount} records it with the account. */
    private long baseVersion(Account changed) {
        Long version = accountBaseVersions.get(changed.id());
        if (version == null) {
            throw new IllegalStateException("no base version for changed account " + changed.id());
        }
        return version;
    }

    public boolean isEmpty() {
        return accounts.isEmpty() && entries.isEmpty() && controls == null && fraudEvents.isEmpty();
    }

    /** E-mail addresses are unique case-insensitively. */
    public static String normalizeEmail(String email) {
        return email.toLowerCase(java.util.Locale.ROOT);
    }
}
