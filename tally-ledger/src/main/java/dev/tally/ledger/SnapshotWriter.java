package dev.tally.ledger;

import dev.tally.core.store.BalanceSnapshot;
import dev.tally.core.store.BalanceSnapshotStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Stores balance snapshots behind the commit, on a thread of its own, so the batch's transaction writes no
 * extra row: whatever has queued up meanwhile goes in one transaction. A snapshot lost to a crash or a
 * failed write only makes a later balance-as-of read replay more entries, so a failure is logged, not
 * raised.
 */
final class SnapshotWriter implements AutoCloseable {
    /** Snapshots to store, or the request to stop once everything before it is stored. */
    private record Item(List<BalanceSnapshot> rows, boolean stop) {}

    private final BalanceSnapshotStore store;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Object drained = new Object();
    private long submitted;
    private long written;

    SnapshotWriter(BalanceSnapshotStore store) {
        this.store = store;
        this.thread = Thread.ofPlatform().name("tally-snapshots").daemon().start(this::run);
    }

    /** Queues snapshots to store; called on the sequencer's writer thread, so it only hands them over. */
    void submit(List<BalanceSnapshot> snapshots) {
        synchronized (drained) {
            submitted++;
        }
        queue.add(new Item(snapshots, false));
    }

    /** Waits until everything submitted so far is stored (or failed); for tests and benchmarks. */
    void flush() throws InterruptedException {
        synchronized (drained) {
            long target = submitted;
            while (written < target) {
                drained.wait(1000);
            }
        }
    }

    private void run() {
        List<Item> taken = new ArrayList<>();
        while (true) {
            try {
                taken.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(taken);
            boolean stop = taken.removeIf(Item::stop);
            List<BalanceSnapshot> rows = new ArrayList<>();
            taken.forEach(i -> rows.addAll(i.rows()));
            try {
                store.save(rows);
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(SnapshotWriter.class)
                        .warn("[SNAPSHOTS] {} balance snapshots were not stored: {}", rows.size(), e.getMessage());
            }
            synchronized (drained) {
                written += taken.size();
                drained.notifyAll();
            }
            taken.clear();
            if (stop) {
                return;
            }
        }
    }

    /** Stores what is queued, then stops. */
    @Override
    public void close() {
        queue.add(new Item(List.of(), true));
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
