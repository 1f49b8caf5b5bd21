package dev.tally.core.engine;

import dev.tally.core.account.Account;
import dev.tally.core.fraud.FraudEvent;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.BalanceSnapshot;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one batch writes, in one database transaction. Each versioned value carries the version it
 * was read at; the store writes it {@code SET version = version + 1 WHERE version = read} (or inserts it at
 * version 1 when read at 0) and fails the whole transaction with a version conflict when a row is not
 * where the batch read it.
 *
 * @param fromHead the chain head the batch was computed on; the store moves it only from there
 * @param toHead the chain head after the batch
 * @param fraudEvents the fraud events the batch opens, stored with it (a refused payment's event too)
 * @param balanceSnapshots the balance snapshots that fall on the batch's entries, stored with them so that
 *     they commit or roll back together
 */
public record WriteSet(
        List<LedgerEntry> entries,
        List<AccountWrite> accounts,
        Map<BalanceKey, Balance> balances,
        Map<TreasuryKey, Balance> treasuryTotals,
        Map<String, Supply> supply,
        ChainHead fromHead,
        ChainHead toHead,
        Optional<LedgerControls> controls,
        Optional<TreeHashes> treeHashes,
        List<FraudEvent> fraudEvents,
        List<BalanceSnapshot> balanceSnapshots) {

    public WriteSet {
        fraudEvents = List.copyOf(fraudEvents);
        balanceSnapshots = List.copyOf(balanceSnapshots);
    }

    /** A batch that stores no balance snapshots. */
    public WriteSet(
            List<LedgerEntry> entries,
            List<AccountWrite> accounts,
            Map<BalanceKey, Balance> balances,
            Map<TreasuryKey, Balance> treasuryTotals,
            Map<String, Supply> supply,
            ChainHead fromHead,
            ChainHead toHead,
            Optional<LedgerControls> controls,
            Optional<TreeHashes> treeHashes,
            List<FraudEvent> fraudEvents) {
        this(
                entries,
                accounts,
                balances,
                treasuryTotals,
                supply,
                fromHead,
                toHead,
                controls,
                treeHashes,
                fraudEvents,
                List.of());
    }

    /** A batch that opens no fraud events and stores no balance snapshots. */
    public WriteSet(
            List<LedgerEntry> entries,
            List<AccountWrite> accounts,
            Map<BalanceKey, Balance> balances,
            Map<TreasuryKey, Balance> treasuryTotals,
            Map<String, Supply> supply,
            ChainHead fromHead,
            ChainHead toHead,
            Optional<LedgerControls> controls,
            Optional<TreeHashes> treeHashes) {
        this(entries, accounts, balances, treasuryTotals, supply, fromHead, toHead, controls, treeHashes, List.of());
    }

    /**
     * Merkle tree hashes this batch appends, at consecutive stored-hash indexes starting at
     * {@code firstIndex} (the layout of Go's sumdb tlog; see docs/FORMAT.md).
     */
    public record TreeHashes(long firstIndex, List<byte[]> hashes) {
        public TreeHashes {
            hashes = List.copyOf(hashes);
        }
    }

    /** This batch with the Merkle hashes that cover its entries. */
    public WriteSet withTreeHashes(TreeHashes tree) {
        return new WriteSet(
                entries,
                accounts,
                balances,
                treasuryTotals,
                supply,
                fromHead,
                toHead,
                controls,
                Optional.of(tree),
                fraudEvents,
                balanceSnapshots);
    }

    /** This batch with the balance snapshots that fall on its entries. */
    public WriteSet withBalanceSnapshots(List<BalanceSnapshot> snapshots) {
        return new WriteSet(
                entries,
                accounts,
                balances,
                treasuryTotals,
                supply,
                fromHead,
                toHead,
                controls,
                treeHashes,
                fraudEvents,
                snapshots);
    }

    /**
     * An account row to write: inserted when {@code readVersion} is 0, otherwise updated to
     * {@code account.version()} only where the row is still at {@code readVersion}.
     */
    public record AccountWrite(Account account, long readVersion) {
        public boolean isInsert() {
            return readVersion == 0;
        }
    }

    /** Whether the batch writes nothing at all. */
    public boolean isEmpty() {
        return entries.isEmpty() && accounts.isEmpty() && controls.isEmpty() && fraudEvents.isEmpty();
    }
}
