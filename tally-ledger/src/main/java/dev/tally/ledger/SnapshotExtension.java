package dev.tally.ledger;

import dev.tally.core.engine.BalanceSnapshotter;
import dev.tally.core.engine.BatchExtension;
import dev.tally.core.engine.WriteSet;
import java.util.function.Supplier;

/**
 * Adds to every batch the balance snapshots that fall on its entries ({@link BalanceSnapshotter}), so the
 * store writes them in the batch's own transaction: they commit or roll back with the entries, and nothing
 * writes them afterwards. The sequencer extends a batch only after the one before it has committed, so the
 * snapshotter sees batches in chain order.
 */
final class SnapshotExtension implements BatchExtension {
    private final Supplier<BalanceSnapshotter> fresh;
    private BalanceSnapshotter snapshotter;

    /** @param fresh a snapshotter that has seen no batch yet */
    SnapshotExtension(Supplier<BalanceSnapshotter> fresh) {
        this.fresh = fresh;
        this.snapshotter = fresh.get();
    }

    @Override
    public WriteSet extend(WriteSet batch) {
        if (batch.entries().isEmpty()) {
            return batch;
        }
        return batch.withBalanceSnapshots(snapshotter.snapshotsOf(batch));
    }

    @Override
    public void committed(WriteSet batch) {
        // The snapshotter took the batch in when it extended it.
    }

    /**
     * The batch just extended was not written: the snapshotter counted its entries and remembered its system
     * balances. Starting over only spaces the next snapshots further; it never makes one wrong.
     */
    @Override
    public void invalidate() {
        snapshotter = fresh.get();
    }
}
