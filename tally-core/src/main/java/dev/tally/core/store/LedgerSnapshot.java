package dev.tally.core.store;

import dev.tally.core.account.Account;
import dev.tally.core.engine.ChainHead;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.money.RecordedScale;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One consistent, read-only view of a whole ledger, for export: every read through it sees the ledger as it
 * was when the snapshot began, even while the ledger keeps writing. Not thread-safe; close it to end it.
 */
public interface LedgerSnapshot extends AutoCloseable {
    /** The chain head: the newest entry's seq and hash. */
    ChainHead head();

    long accountCount();

    /** Every account, in id order. */
    void accounts(Consumer<Account> sink);

    /** The entries with {@code from <= seq <= to}, in order. */
    void entries(long from, long to, LedgerStore.EntrySink sink);

    /** Every stored balance row. */
    void balances(LedgerStore.BalanceSink sink);

    Map<TreasuryKey, Long> treasuryTotals();

    Map<String, Supply> supplies();

    LedgerControls controls();

    /** The recorded currency scales (see {@link CurrencyScaleStore}). */
    List<RecordedScale> recordedScales();

    /**
     * A stored checkpoint, as stored (unverified).
     *
     * @param createdAt when it was taken
     */
    record CheckpointRow(long treeSize, byte[] rootHash, String note, Instant createdAt) {}

    /** The stored checkpoints of at most {@code maxSize} entries, smallest first. */
    List<CheckpointRow> checkpoints(long maxSize);

    /** Ends the snapshot; nothing was written. */
    @Override
    void close();
}
