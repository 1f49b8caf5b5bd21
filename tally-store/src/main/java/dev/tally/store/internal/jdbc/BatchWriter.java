package dev.tally.store.internal.jdbc;

import dev.tally.core.account.Account;
import dev.tally.core.engine.Balance;
import dev.tally.core.engine.BalanceKey;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.engine.WriteSet;
import dev.tally.core.error.VersionConflictException;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.BalanceSnapshot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes one {@link WriteSet} inside the caller's transaction, with optimistic version checks on every
 * shared row. The chain head moves first: on PostgreSQL that takes the head's row lock, so a second
 * process writing the same ledger waits there and then finds the head moved, before it has done any work.
 * On PostgreSQL, {@link PostgresBatch} writes the batch set-based, in one round trip.
 */
final class BatchWriter {
    static final String MOVE_HEAD =
            "UPDATE chain_head SET seq = ?, hash = ?, version = version + 1 WHERE id = 1 AND seq = ? AND hash = ?";
    private static final String UPDATE_CONTROLS =
            "UPDATE ledger_controls SET is_frozen = ?, reason = ?, actor = ?, changed_at = ?, "
                    + "version = version + 1 WHERE id = 1 AND version = ?";
    private static final String INSERT_ACCOUNT =
            "INSERT INTO accounts (" + Rows.ACCOUNT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE_ACCOUNT =
            "UPDATE accounts SET email = ?, is_frozen_for_fraud = ?, frozen_reason = ?, "
                    + "frozen_at = ?, updated_at = ?, version = ?, account_limits = ? WHERE id = ? AND version = ?";
    private static final String INSERT_BALANCE =
            "INSERT INTO balances (account_id, currency, amount, version) VALUES (?, ?, ?, 1)";
    private static final String UPDATE_BALANCE =
            "UPDATE balances SET amount = ?, version = version + 1 WHERE account_id = ? AND currency = ? AND version = ?";
    static final String INSERT_TOTAL =
            "INSERT INTO treasury_totals (currency, tax_kind, amount, version) VALUES (?, ?, ?, 1)";
    static final String UPDATE_TOTAL =
            "UPDATE treasury_totals SET amount = ?, version = version + 1 WHERE currency = ? AND tax_kind = ? AND version = ?";
    static final String INSERT_SUPPLY =
            "INSERT INTO currency_supply (currency, minted, burned, version) VALUES (?, ?, ?, 1)";
    static final String UPDATE_SUPPLY =
            "UPDATE currency_supply SET minted = ?, burned = ?, version = version + 1 WHERE currency = ? AND version = ?";

    private static final String INSERT_TREE_HASH = "INSERT INTO merkle_hashes (idx, hash) VALUES (?, ?)";
    private static final String INSERT_SNAPSHOT =
            "INSERT INTO balance_snapshots (account_id, currency, seq, amount, opening) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (account_id, currency, seq) DO NOTHING";

    private final Dialect dialect;
    private final PostgresBatch postgres = new PostgresBatch(this);

    BatchWriter(Dialect dialect) {
        this.dialect = dialect;
    }

    void write(Connection c, WriteSet batch) throws SQLException {
        if (dialect == Dialect.POSTGRES) {
            postgres.write(c, batch);
            return;
        }
        if (!batch.entries().isEmpty()) {
            moveHead(c, batch);
        }
        if (batch.controls().isPresent()) {
            writeControls(c, batch.controls().get());
        }
        writeAccounts(c, batch.accounts());
        insertEntries(c, batch.entries());
        writeBalances(c, batch.balances());
        writeTotals(c, batch.treasuryTotals());
        writeSupply(c, batch.supply());
        if (batch.treeHashes().isPresent()) {
            insertTreeHashes(c, batch.treeHashes().get());
        }
        insertSnapshots(c, batch.balanceSnapshots());
        JdbcFraudEvents.insert(c, batch.fraudEvents());
    }

    /** About 2 rows per 64 entries: a JDBC batch is enough on both dialects. */
    private void insertSnapshots(Connection c, List<BalanceSnapshot> snapshots) throws SQLException {
        if (snapshots.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_SNAPSHOT)) {
            for (BalanceSnapshot s : snapshots) {
                dialect.setUuid(ps, 1, s.accountId());
                ps.setString(2, s.currency());
                ps.setLong(3, s.seq());
                ps.setLong(4, s.amount());
                ps.setBoolean(5, s.opening());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void insertTreeHashes(Connection c, WriteSet.TreeHashes tree) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_TREE_HASH)) {
            long index = tree.firstIndex();
            for (byte[] hash : tree.hashes()) {
                ps.setLong(1, index++);
                ps.setBytes(2, hash);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void moveHead(Connection c, WriteSet batch) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(MOVE_HEAD)) {
            ps.setLong(1, batch.toHead().seq());
            ps.setBytes(2, batch.toHead().hash().bytes());
            ps.setLong(3, batch.fromHead().seq());
            ps.setBytes(4, batch.fromHead().hash().bytes());
            if (ps.executeUpdate() != 1) {
                throw new VersionConflictException(
                        "the chain head moved past seq " + batch.fromHead().seq() + ": another writer appended");
            }
        }
    }

    void writeControls(Connection c, LedgerControls controls) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPDATE_CONTROLS)) {
            dialect.setBoolean(ps, 1, controls.frozen());
            Rows.setOptional(ps, 2, controls.reason());
            Rows.setOptional(ps, 3, controls.actor());
            Rows.setOptionalTime(ps, 4, controls.changedAt());
            ps.setLong(5, controls.version());
            if (ps.executeUpdate() != 1) {
                throw new VersionConflictException("the ledger controls changed concurrently");
            }
        }
    }

    void writeAccounts(Connection c, List<WriteSet.AccountWrite> writes) throws SQLException {
        if (writes.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(INSERT_ACCOUNT);
                PreparedStatement update = c.prepareStatement(UPDATE_ACCOUNT)) {
            for (WriteSet.AccountWrite w : writes) {
                Account a = w.account();
                if (w.isInsert()) {
                    Rows.bindAccountInsert(dialect, insert, a);
                    insert.executeUpdate();
                } else {
                    update.setString(1, a.email());
                    dialect.setBoolean(update, 2, a.frozenForFraud());
                    Rows.setOptional(update, 3, a.frozenReason());
                    Rows.setOptionalTime(update, 4, a.frozenAt());
                    update.setLong(5, dev.tally.core.ledger.CanonicalEncoding.epochMicros(a.updatedAt()));
                    update.setLong(6, a.version());
                    Rows.setOptional(update, 7, Rows.limitsColumn(a));
                    dialect.setUuid(update, 8, a.id());
                    update.setLong(9, w.readVersion());
                    if (update.executeUpdate() != 1) {
                        throw new VersionConflictException("account " + a.username()
                                + " changed concurrently (expected version " + w.readVersion() + ")");
                    }
                }
            }
        }
    }

    private void insertEntries(Connection c, List<LedgerEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(Rows.INSERT_ENTRY)) {
            for (LedgerEntry e : entries) {
                Rows.bindEntry(dialect, ps, e);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void writeBalances(Connection c, Map<BalanceKey, Balance> balances) throws SQLException {
        if (balances.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(INSERT_BALANCE);
                PreparedStatement update = c.prepareStatement(UPDATE_BALANCE)) {
            List<BalanceKey> updated = new ArrayList<>();
            int inserts = 0;
            for (Map.Entry<BalanceKey, Balance> e : balances.entrySet()) {
                BalanceKey k = e.getKey();
                Balance b = e.getValue();
                if (b.version() == 0) {
                    dialect.setUuid(insert, 1, k.accountId());
                    insert.setString(2, k.currency());
                    insert.setLong(3, b.amount());
                    insert.addBatch();
                    inserts++;
                } else {
                    update.setLong(1, b.amount());
                    dialect.setUuid(update, 2, k.accountId());
                    update.setString(3, k.currency());
                    update.setLong(4, b.version());
                    update.addBatch();
                    updated.add(k);
                }
            }
            if (inserts > 0) {
                insert.executeBatch();
            }
            if (!updated.isEmpty()) {
                requireAllUpdated(
                        update.executeBatch(),
                        i -> "balance of " + updated.get(i).accountId() + " in "
                                + updated.get(i).currency());
            }
        }
    }

    private void writeTotals(Connection c, Map<TreasuryKey, Balance> totals) throws SQLException {
        if (totals.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(INSERT_TOTAL);
                PreparedStatement update = c.prepareStatement(UPDATE_TOTAL)) {
            for (Map.Entry<TreasuryKey, Balance> e : totals.entrySet()) {
                TreasuryKey k = e.getKey();
                Balance b = e.getValue();
                PreparedStatement ps = b.version() == 0 ? insert : update;
                if (b.version() == 0) {
                    insert.setString(1, k.currency());
                    insert.setString(2, k.kind().name());
                    insert.setLong(3, b.amount());
                } else {
                    update.setLong(1, b.amount());
                    update.setString(2, k.currency());
                    update.setString(3, k.kind().name());
                    update.setLong(4, b.version());
                }
                if (ps.executeUpdate() != 1) {
                    throw new VersionConflictException("treasury total " + k + " changed concurrently");
                }
            }
        }
    }

    private void writeSupply(Connection c, Map<String, Supply> supply) throws SQLException {
        if (supply.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(INSERT_SUPPLY);
                PreparedStatement update = c.prepareStatement(UPDATE_SUPPLY)) {
            for (Map.Entry<String, Supply> e : supply.entrySet()) {
                Supply s = e.getValue();
                PreparedStatement ps = s.version() == 0 ? insert : update;
                if (s.version() == 0) {
                    insert.setString(1, e.getKey());
                    insert.setLong(2, s.minted());
                    insert.setLong(3, s.burned());
                } else {
                    update.setLong(1, s.minted());
                    update.setLong(2, s.burned());
                    update.setString(3, e.getKey());
                    update.setLong(4, s.version());
                }
                if (ps.executeUpdate() != 1) {
                    throw new VersionConflictException("supply of " + e.getKey() + " changed concurrently");
                }
            }
        }
    }

    private static void requireAllUpdated(int[] counts, java.util.function.IntFunction<String> what) {
        for (int i = 0; i < counts.length; i++) {
            // SUCCESS_NO_INFO (-2) is what some drivers report for a batch; PostgreSQL and SQLite give counts.
            if (counts[i] == 0) {
                throw new VersionConflictException(what.apply(i) + " changed concurrently");
            }
        }
    }
}
