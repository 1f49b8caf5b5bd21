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
 */
final class BatchWriter {
    private static final String MOVE_HEAD =
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
    private static final String INSERT_TOTAL =
            "INSERT INTO treasury_totals (currency, tax_kind, amount, version) VALUES (?, ?, ?, 1)";
    private static final String UPDATE_TOTAL =
            "UPDATE treasury_totals SET amount = ?, version = version + 1 WHERE currency = ? AND tax_kind = ? AND version = ?";
    private static final String INSERT_SUPPLY =
            "INSERT INTO currency_supply (currency, minted, burned, version) VALUES (?, ?, ?, 1)";
    private static final String UPDATE_SUPPLY =
            "UPDATE currency_supply SET minted = ?, burned = ?, version = version + 1 WHERE currency = ? AND version = ?";

    private static final String INSERT_TREE_HASH = "INSERT INTO merkle_hashes (idx, hash) VALUES (?, ?)";
    private static final String INSERT_SNAPSHOT =
            "INSERT INTO balance_snapshots (account_id, currency, seq, amount, opening) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (account_id, currency, seq) DO NOTHING";

    // PostgreSQL runs each row of a JDBC batch as its own statement (bind, execute, executor start-up); for
    // thousands of rows a batch, one set-based statement over arrays does the same writes with one of each.
    private static final String PG_INSERT_BALANCES = "INSERT INTO balances (account_id, currency, amount, version) "
            + "SELECT a, c, m, 1 FROM unnest(?::uuid[], ?::text[], ?::bigint[]) AS v(a, c, m)";
    private static final String PG_UPDATE_BALANCES = "UPDATE balances AS b SET amount = v.m, version = b.version + 1 "
            + "FROM unnest(?::uuid[], ?::text[], ?::bigint[], ?::bigint[]) AS v(a, c, m, r) "
            + "WHERE b.account_id = v.a AND b.currency = v.c AND b.version = v.r";
    private static final String PG_INSERT_TREE_HASHES =
            "INSERT INTO merkle_hashes (idx, hash) " + "SELECT * FROM unnest(?::bigint[], ?::bytea[])";

    private final Dialect dialect;

    BatchWriter(Dialect dialect) {
        this.dialect = dialect;
    }

    void write(Connection c, WriteSet batch) throws SQLException {
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
        if (dialect == Dialect.POSTGRES) {
            int n = tree.hashes().size();
            Long[] indexes = new Long[n];
            for (int i = 0; i < n; i++) {
                indexes[i] = tree.firstIndex() + i;
            }
            try (PreparedStatement ps = c.prepareStatement(PG_INSERT_TREE_HASHES)) {
                ps.setArray(1, c.createArrayOf("int8", indexes));
                ps.setArray(2, c.createArrayOf("bytea", tree.hashes().toArray(new byte[0][])));
                ps.executeUpdate();
            }
            return;
        }
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

    private void writeControls(Connection c, LedgerControls controls) throws SQLException {
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

    private void writeAccounts(Connection c, List<WriteSet.AccountWrite> writes) throws SQLException {
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
        if (dialect == Dialect.POSTGRES) {
            // The keys first: a transaction id already taken in any month fails here, before the larger insert.
            Rows.insertKeys(c, entries);
            try (PreparedStatement ps = c.prepareStatement(Rows.INSERT_ENTRIES_UNNEST)) {
                Rows.bindEntryArrays(c, ps, entries);
                ps.executeUpdate();
            }
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
        if (dialect == Dialect.POSTGRES) {
            writeBalancesSetBased(c, balances);
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

    /**
     * PostgreSQL: every balance of the batch in two statements. The update matches a row only at the version
     * the batch read, so fewer updated rows than asked means another writer moved one: a conflict, as with
     * row-by-row updates (only which row is no longer named).
     */
    private static void writeBalancesSetBased(Connection c, Map<BalanceKey, Balance> balances) throws SQLException {
        List<Map.Entry<BalanceKey, Balance>> inserts = new ArrayList<>();
        List<Map.Entry<BalanceKey, Balance>> updates = new ArrayList<>(balances.size());
        for (Map.Entry<BalanceKey, Balance> e : balances.entrySet()) {
            (e.getValue().version() == 0 ? inserts : updates).add(e);
        }
        if (!inserts.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(PG_INSERT_BALANCES)) {
                bindBalanceArrays(c, ps, inserts, false);
                ps.executeUpdate();
            }
        }
        if (!updates.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(PG_UPDATE_BALANCES)) {
                bindBalanceArrays(c, ps, updates, true);
                int updated = ps.executeUpdate();
                if (updated != updates.size()) {
                    throw new VersionConflictException(
                            (updates.size() - updated) + " of " + updates.size() + " balances changed concurrently");
                }
            }
        }
    }

    private static void bindBalanceArrays(
            Connection c, PreparedStatement ps, List<Map.Entry<BalanceKey, Balance>> rows, boolean withVersion)
            throws SQLException {
        int n = rows.size();
        java.util.UUID[] accounts = new java.util.UUID[n];
        String[] currencies = new String[n];
        Long[] amounts = new Long[n];
        Long[] versions = new Long[n];
        for (int i = 0; i < n; i++) {
            Map.Entry<BalanceKey, Balance> e = rows.get(i);
            accounts[i] = e.getKey().accountId();
            currencies[i] = e.getKey().currency();
            amounts[i] = e.getValue().amount();
            versions[i] = e.getValue().version();
        }
        ps.setArray(1, c.createArrayOf("uuid", accounts));
        ps.setArray(2, c.createArrayOf("text", currencies));
        ps.setArray(3, c.createArrayOf("int8", amounts));
        if (withVersion) {
            ps.setArray(4, c.createArrayOf("int8", versions));
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
