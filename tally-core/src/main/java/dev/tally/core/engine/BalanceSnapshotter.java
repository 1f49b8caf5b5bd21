package dev.tally.core.engine;

import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.BalanceSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Picks, from every committed batch, the balances worth keeping as snapshots, so that a balance as of any
 * entry replays at most about {@code every} entries (plus one batch) after the newest snapshot before it.
 * It adds nothing to the batch's transaction: the snapshots go to {@code sink}, which stores them behind
 * the commit; one that is never stored (a crash) only lengthens a later replay.
 *
 * <p>An ordinary account is found by its entries (sender or receiver), so it is snapshotted after
 * {@code every} entries that name it. The system accounts ({@code systemAccounts}: the treasury and the
 * escrow) gain tax and reserves from entries that do not name them; a replay for them reads the ledger's
 * entries in order, so they are snapshotted every {@code every} ledger entries instead, with the last value
 * a batch wrote for them when this batch did not change them.
 *
 * <p>The counts live in memory and start again at zero when the process starts, which only spaces the
 * next snapshot further. Called on the sequencer's writer thread.
 */
public final class BalanceSnapshotter implements BatchExtension {
    /** Entries between two snapshots of one balance, by default. */
    public static final int DEFAULT_EVERY = 64;

    private final int every;
    private final Set<UUID> systemAccounts;
    private final Consumer<List<BalanceSnapshot>> sink;
    private final Map<BalanceKey, Integer> sinceSnapshot = new HashMap<>();
    private final Map<BalanceKey, Integer> systemSinceSnapshot = new HashMap<>();
    private final Map<BalanceKey, Long> systemBalances = new HashMap<>();
    private long committedSeq = -1;

    public BalanceSnapshotter(int every, Set<UUID> systemAccounts, Consumer<List<BalanceSnapshot>> sink) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be positive, not " + every);
        }
        this.every = every;
        this.systemAccounts = Set.copyOf(systemAccounts);
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public WriteSet extend(WriteSet batch) {
        return batch;
    }

    @Override
    public void committed(WriteSet batch) {
        if (batch.entries().isEmpty()) {
            return;
        }
        if (batch.fromHead().seq() != committedSeq) {
            // Another writer's entries came in between: a system balance remembered from before may be stale.
            systemBalances.clear();
        }
        committedSeq = batch.toHead().seq();
        List<BalanceSnapshot> due = new ArrayList<>();
        openings(batch, due);
        countOrdinary(batch, due);
        countSystem(batch, due);
        if (!due.isEmpty()) {
            sink.accept(List.copyOf(due));
        }
    }

    @Override
    public void invalidate() {
        systemBalances.clear();
        committedSeq = -1;
    }

    /**
     * A balance row the batch creates (read at version 0) did not exist before it: its zero just before the
     * batch is exact, and tells a later read that this currency needs no replay before that point.
     */
    private static void openings(WriteSet batch, List<BalanceSnapshot> due) {
        long before = batch.fromHead().seq();
        if (before < 1) {
            return;
        }
        batch.balances().forEach((key, b) -> {
            if (b.version() == 0) {
                due.add(new BalanceSnapshot(key.accountId(), key.currency(), before, 0, true));
            }
        });
    }

    private void countOrdinary(WriteSet batch, List<BalanceSnapshot> due) {
        for (LedgerEntry e : batch.entries()) {
            e.senderId().ifPresent(id -> count(new BalanceKey(id, e.currency())));
            e.receiverId().ifPresent(id -> count(new BalanceKey(id, e.currency())));
        }
        sinceSnapshot.entrySet().removeIf(counted -> {
            Balance written = batch.balances().get(counted.getKey());
            // A key the batch named but did not write (a pending receipt) waits for a batch that writes it.
            if (counted.getValue() < every || written == null) {
                return false;
            }
            due.add(snapshot(counted.getKey(), batch, written.amount()));
            return true;
        });
    }

    private void count(BalanceKey key) {
        if (!systemAccounts.contains(key.accountId())) {
            sinceSnapshot.merge(key, 1, Integer::sum);
        }
    }

    private void countSystem(WriteSet batch, List<BalanceSnapshot> due) {
        batch.balances().forEach((key, b) -> {
            if (systemAccounts.contains(key.accountId())) {
                systemBalances.put(key, b.amount());
            }
        });
        int entries = batch.entries().size();
        systemBalances.forEach((key, amount) -> {
            int since = systemSinceSnapshot.merge(key, entries, Integer::sum);
            if (since >= every) {
                due.add(snapshot(key, batch, amount));
                systemSinceSnapshot.put(key, 0);
            }
        });
    }

    private static BalanceSnapshot snapshot(BalanceKey key, WriteSet batch, long amount) {
        return new BalanceSnapshot(
                key.accountId(), key.currency(), batch.toHead().seq(), amount);
    }
}
