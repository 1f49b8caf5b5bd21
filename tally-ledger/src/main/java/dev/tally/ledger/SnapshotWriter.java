package dev.tally.ledger;

import dev.tally.core.engine.BalanceSnapshotter;
import dev.tally.core.engine.BatchExtension;
import dev.tally.core.engine.WriteSet;
import dev.tally.core.store.BalanceSnapshot;
import dev.tally.core.store.BalanceSnapshotStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * Keeps balance snapshots behind the commit: the writer thread only hands each durable batch over, and a
 * thread of its own decides the snapshots ({@link BalanceSnapshotter}, in commit order) and stores whatever
 * has queued up meanwhile in one transaction. The batch's own transaction writes no extra row. A snapshot
 * lost to a crash or a failed write only makes a later balance-as-of read replay more entries, so a failure
 * is logged, not raised.
 */
final class SnapshotWriter implements BatchExtension, AutoCloseable {
    /** A committed batch to snapshot, or the request to stop once everything before it is stored. */
    private record Item(Optional<WriteSet> batch) {}

    private final BalanceSnapshotter snapshotter;
    private final BalanceSnapshotStore store;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Object drained = new Object();
    private long submitted;
    private long done;

    SnapshotWriter(BalanceSnapshotter snapshotter, BalanceSnapshotStore store) {
        this.snapshotter = snapshotter;
        this.store = store;
        this.thread = Thread.ofPlatform().name("tally-snapshots").daemon().start(this::run);
    }

    @Override
    public WriteSet extend(WriteSet batch) {
        return batch;
    }

    /** On the sequencer's writer thread: keeps what the snapshots need and hands it over. */
    @Override
    public void committed(WriteSet batch) {
        if (batch.entries().isEmpty()) {
            return;
        }
        WriteSet kept = new WriteSet(
                List.copyOf(batch.entries()),
                List.of(),
                Map.copyOf(batch.balances()),
                Map.of(),
                Map.of(),
                batch.fromHead(),
                batch.toHead(),
                Optional.empty(),
                Optional.empty());
        synchronized (drained) {
            submitted++;
        }
        queue.add(new Item(Optional.of(kept)));
    }

    @Override
    public void invalidate() {
        // Nothing to forget here: the snapshotter sees from the next batch's head that others wrote between.
    }

    /** Waits until every batch handed over so far has its snapshots stored (or failed); for tests and benchmarks. */
    void flush() throws InterruptedException {
        synchronized (drained) {
            long target = submitted;
            while (done < target) {
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
            boolean stop = taken.stream().anyMatch(i -> i.batch().isEmpty());
            long batches = taken.stream().filter(i -> i.batch().isPresent()).count();
            List<BalanceSnapshot> rows = new ArrayList<>();
            try {
                taken.forEach(i -> i.batch().ifPresent(b -> rows.addAll(snapshotter.snapshotsOf(b))));
                store.save(rows);
            } catch (RuntimeException e) {
                LoggerFactory.getLogger(SnapshotWriter.class)
                        .warn("[SNAPSHOTS] {} balance snapshots were not stored: {}", rows.size(), e.getMessage());
            }
            synchronized (drained) {
                done += batches;
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
        queue.add(new Item(Optional.empty()));
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
