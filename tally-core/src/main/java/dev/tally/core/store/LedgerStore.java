package dev.tally.core.store;

import dev.tally.core.account.Account;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.engine.WriteSet;
import dev.tally.core.ledger.LedgerEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a ledger lives. The core defines it; tally-store implements it for SQLite and PostgreSQL.
 *
 * <p>Writes come only through {@link #commit(WriteSet)}, which is atomic and durable: when it returns,
 * the batch is on disk; when it throws, nothing of it is, except after a
 * {@link dev.tally.core.error.CommitOutcomeUnknownException}, when either all or nothing of it is. Reads may
 * run on any thread.
 */
public interface LedgerStore extends StateLoader, CurrencyScaleStore, SnapshotStore, AutoCloseable {
    /** A short description for people, e.g. {@code sqlite:/data/tally.db}. */
    String describe();

    /**
     * Writes a batch in one transaction and commits it durably.
     *
     * @throws dev.tally.core.error.VersionConflictException when a versioned row moved since it was read
     * @throws dev.tally.core.error.StoreException when the database fails (the transaction rolled back)
     * @throws dev.tally.core.error.CommitOutcomeUnknownException when the commit was sent and not confirmed
     */
    void commit(WriteSet batch);

    Optional<Account> findAccount(UUID id);

    Optional<Account> findAccountByUsername(String username);

    /** The limits of every account that has any (for reconciliation: negative balances are checked against them). */
    default Map<UUID, dev.tally.core.account.AccountLimits> accountLimits() {
        return Map.of();
    }

    /** Accounts ordered by id, after the cursor, filtered. */
    List<Account> listAccounts(AccountQuery query);

    /** Balances of one account by currency code (only currencies it ever held). */
    Map<String, Long> balancesOf(UUID accountId);

    Optional<LedgerEntry> findEntry(String transactionId);

    Optional<LedgerEntry> findEntryBySeq(long seq);

    /** An account's entries, newest first, keyset-paginated. */
    List<LedgerEntry> history(HistoryQuery query);

    /**
     * The pending entries not yet posted or voided, oldest first: all of them, or those where {@code account}
     * is the sender or the receiver; at most {@code limit}.
     */
    default List<LedgerEntry> openPending(java.util.Optional<java.util.UUID> account, int limit) {
        return openPending(account, 0, limit);
    }

    /**
     * The same, starting after the entry at {@code afterSeq}: a keyset page, so that a caller can read every
     * open pending entry, however many there are, {@code limit} at a time.
     */
    List<LedgerEntry> openPending(java.util.Optional<java.util.UUID> account, long afterSeq, int limit);

    /**
     * The entries that name {@code accountId} as sender or receiver with {@code afterSeq < seq <= toSeq}, by
     * increasing seq (through the history indexes: the cost follows that account's entries in the range).
     */
    List<LedgerEntry> accountEntries(UUID accountId, long afterSeq, long toSeq);

    /**
     * The pending entries {@code accountId} sent or may receive that were open just after entry {@code seq}:
     * written at or before it and not posted or voided at or before it; by increasing seq.
     */
    List<LedgerEntry> openPendingAt(UUID accountId, long seq);

    /** The balance snapshots kept beside the ledger. */
    BalanceSnapshotStore balanceSnapshots();

    Map<TreasuryKey, Long> treasuryTotals();

    Map<String, Supply> supplies();

    /** Sum of all balances per currency, the treasury included. */
    Map<String, Long> circulating();

    /** Streams entries with {@code fromSeq <= seq <= toSeq} in seq order, in bounded memory. */
    void streamEntries(long fromSeq, long toSeq, EntrySink sink);

    /**
     * Merkle stored hashes (Go sumdb tlog layout) at the given indexes, in the same order.
     *
     * @throws dev.tally.core.error.StoreException when one is missing
     */
    List<byte[]> readTreeHashes(long[] indexes);

    /** Streams every stored balance row. */
    void streamBalances(BalanceSink sink);

    /** The signed checkpoints kept beside the ledger. */
    CheckpointStore checkpoints();

    /** The record of verification and reconciliation runs. */
    VerificationRunStore verificationRuns();

    /** The API keys of the ledger's server. */
    ApiKeyStore apiKeys();

    /** The log of admin actions. */
    AdminLogStore adminLog();

    /** The fraud shield's events and their review. */
    FraudEventStore fraudEvents();

    /** The months archived out of the live ledger; none on a store that does not partition by month. */
    default ArchiveStore archives() {
        return ArchiveStore.none();
    }

    /** Receives streamed entries; returning false stops the stream. */
    @FunctionalInterface
    interface EntrySink {
        boolean accept(LedgerEntry entry);
    }

    /**
     * How far this store's database has got: its chain head and, on PostgreSQL, its WAL position. Compared
     * between a replica and its primary, it is the replica's lag. Reads only.
     */
    default ReplicationPosition replicationPosition() {
        return ReplicationPosition.headOnly(loadHead().seq());
    }

    /** Receives streamed balance rows. */
    @FunctionalInterface
    interface BalanceSink {
        void accept(UUID accountId, String currency, long amount);
    }

    @Override
    void close();
}
