package dev.tally.core.engine;

import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.store.BalanceSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Decides, for every batch in chain order (before it is written, so that its snapshots go in its own
 * transaction), which balances to keep as snapshots and at which
 * entry, so that a balance as of any entry replays at most {@code every} entries after the newest snapshot
 * before it. A batch holds each balance's value after its last entry; the value just after an earlier
 * entry of the batch is that minus what the later entries changed ({@link EntryEffects}), so a snapshot
 * falls exactly on the entry where its count is reached, however large the batch.
 *
 * <p>An ordinary account is read back through its entries (sender or receiver), so it is snapshotted after
 * every {@code every} entries that name it. The system accounts (the treasury and the escrow) gain tax and
 * reserves from entries that do not name them; a replay for them reads the ledger's entries in order, so
 * they are snapshotted every {@code every} ledger entries, with the last value a batch wrote for them when
 * the batch did not change them. A balance the batch named but did not write (a pending receipt) waits
 * for a batch that writes it.
 *
 * <p>The counts live in memory and start again at zero with the process, which only spaces the next
 * snapshot further. Not thread-safe: one caller, batches in chain order; after a batch that was not
 * written, the caller starts over with a new snapshotter.
 */
public final class BalanceSnapshotter {
    /** Entries between two snapshots of one balance, by default. */
    public static final int DEFAULT_EVERY = 64;

    private final int every;
    private final UUID treasury;
    private final Set<UUID> systemAccounts;
    private final Map<BalanceKey, Integer> sinceSnapshot = new HashMap<>();
    private final Map<BalanceKey, Long> systemBalances = new HashMap<>();
    private long committedSeq = -1;

    /**
     * @param treasury the treasury's account id (where {@link EntryEffects} puts tax)
     * @param systemAccounts the accounts that entries change without naming them
     */
    public BalanceSnapshotter(int every, UUID treasury, Set<UUID> systemAccounts) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be positive, not " + every);
        }
        this.every = every;
        this.treasury = treasury;
        this.systemAccounts = Set.copyOf(systemAccounts);
    }

    /** The snapshots of a batch; the next call must be for the batch written after it. */
    public List<BalanceSnapshot> snapshotsOf(WriteSet batch) {
        List<LedgerEntry> entries = batch.entries();
        if (entries.isEmpty()) {
            return List.of();
        }
        if (batch.fromHead().seq() != committedSeq) {
            // Another writer's entries came in between: a system balance remembered from before may be stale.
            systemBalances.clear();
        }
        committedSeq = batch.toHead().seq();
        batch.balances().forEach((key, b) -> {
            if (systemAccounts.contains(key.accountId())) {
                systemBalances.put(key, b.amount());
            }
        });
        List<BalanceSnapshot> due = new ArrayList<>(openings(batch));
        List<Map<BalanceKey, Long>> changes = new ArrayList<>(entries.size());
        List<List<BalanceKey>> dueAfter = new ArrayList<>(entries.size());
        for (LedgerEntry e : entries) {
            changes.add(changes(e));
            dueAfter.add(count(e, batch));
        }
        Map<BalanceKey, Long> later = new HashMap<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            for (BalanceKey key : dueAfter.get(i)) {
                long end = endValue(key, batch).orElseThrow();
                long amount = end - later.getOrDefault(key, 0L);
                due.add(new BalanceSnapshot(
                        key.accountId(), key.currency(), entries.get(i).seq(), amount));
            }
            changes.get(i).forEach((key, delta) -> later.merge(key, delta, Long::sum));
        }
        return due;
    }

    /** The balances whose count reaches {@code every} with this entry, and whose value is known. */
    private List<BalanceKey> count(LedgerEntry e, WriteSet batch) {
        List<BalanceKey> due = new ArrayList<>(0);
        for (Optional<UUID> named : List.of(e.senderId(), e.receiverId())) {
            if (named.isEmpty() || systemAccounts.contains(named.get())) {
                continue;
            }
            BalanceKey key = new BalanceKey(named.get(), e.currency());
            int since = sinceSnapshot.merge(key, 1, Integer::sum);
            if (since >= every && batch.balances().containsKey(key)) {
                due.add(key);
                sinceSnapshot.remove(key);
            }
        }
        for (BalanceKey key : systemBalances.keySet()) {
            int since = sinceSnapshot.merge(key, 1, Integer::sum);
            if (since >= every) {
                due.add(key);
                sinceSnapshot.remove(key);
            }
        }
        return due;
    }

    private Optional<Long> endValue(BalanceKey key, WriteSet batch) {
        Balance written = batch.balances().get(key);
        return written != null ? Optional.of(written.amount()) : Optional.ofNullable(systemBalances.get(key));
    }

    private Map<BalanceKey, Long> changes(LedgerEntry e) {
        Map<BalanceKey, Long> changes = new HashMap<>(4);
        EntryEffects.apply(e, treasury, new EntryEffects.Sink() {
            @Override
            public void balance(UUID account, String currency, long delta) {
                changes.merge(new BalanceKey(account, currency), delta, Long::sum);
            }

            @Override
            public void treasuryTotal(String currency, TaxKind kind, long delta) {}

            @Override
            public void supply(String currency, long minted, long burned) {}
        });
        return changes;
    }

    /**
     * A balance row the batch creates (read at version 0) did not exist before it: its zero just before the
     * batch is exact, and tells a later read that this currency needs no replay before that point.
     */
    private static List<BalanceSnapshot> openings(WriteSet batch) {
        long before = batch.fromHead().seq();
        List<BalanceSnapshot> openings = new ArrayList<>();
        if (before >= 1) {
            batch.balances().forEach((key, b) -> {
                if (b.version() == 0) {
                    openings.add(new BalanceSnapshot(key.accountId(), key.currency(), before, 0, true));
                }
            });
        }
        return openings;
    }
}
