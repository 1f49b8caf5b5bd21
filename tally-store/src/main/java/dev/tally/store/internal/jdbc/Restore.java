package dev.tally.store.internal.jdbc;

import dev.tally.core.account.Account;
import dev.tally.core.engine.ChainHead;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.MerkleExtension;
import dev.tally.core.engine.WriteSet;
import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.store.LedgerRestore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Loads a whole ledger into an empty store in one transaction: what {@code tally import} writes after it
 * has verified an export. Entries go in through the same row mapping the ledger writes with, the Merkle
 * tree's stored hashes are computed as they go (the write path's {@link MerkleExtension}), and the chain
 * head, balances, treasury totals, supply and checkpoints are written as given. Nothing is visible until
 * {@link #commit}; {@link #close()} without it rolls everything back. Not thread-safe.
 */
public final class Restore implements LedgerRestore {
    private static final int BATCH = 2000;
    private final Connection c;
    private final Dialect dialect;
    private final String description;
    private final MerkleExtension tree;
    private final PreparedStatement entryInsert;
    private final List<LedgerEntry> pending = new ArrayList<>();
    private ChainHead head = ChainHead.GENESIS;
    private boolean committed;
    private final CurrencyRows currencies;
    /** The currencies whose first entries are restored, by code: their scale comes with the next open. */
    private final java.util.Set<String> currenciesSeen = new java.util.HashSet<>();

    private Restore(Connection c, Dialect dialect, String description, CurrencyRows currencies) throws SQLException {
        this.c = c;
        this.currencies = currencies;
        this.dialect = dialect;
        this.description = description;
        this.tree = new MerkleExtension(indexes -> {
            throw new IllegalStateException("a restore appends to an empty tree and reads nothing back");
        });
        this.entryInsert = c.prepareStatement(Rows.INSERT_ENTRY);
    }

    /**
     * Begins a restore into {@code store}, which must hold no entries, no checkpoints, no balances and no
     * account but, at most, the treasury account {@code treasuryId} (which a ledger opened on the store
     * creates); that one is replaced by the restored one.
     *
     * @throws IllegalStateException when the store is not empty
     */
    public static Restore begin(JdbcLedgerStore store, UUID treasuryId) {
        Connection c = null;
        try {
            c = store.dataSource().getConnection();
            c.setAutoCommit(false);
            requireEmpty(c, store, treasuryId);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM accounts WHERE id = ?")) {
                store.dialect().setUuid(ps, 1, treasuryId);
                ps.executeUpdate();
            }
            return new Restore(c, store.dialect(), store.describe(), store.currencyRows());
        } catch (SQLException e) {
            rollbackQuietly(c);
            throw new StoreException("cannot begin a restore into " + store.describe() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    private static void requireEmpty(Connection c, JdbcLedgerStore store, UUID treasuryId) throws SQLException {
        String[][] checks = {
            {"SELECT count(*) FROM ledger_entries", "entries"},
            {"SELECT count(*) FROM checkpoints", "checkpoints"},
            {"SELECT count(*) FROM balances", "balances"},
            {"SELECT count(*) FROM merkle_hashes", "Merkle tree hashes"},
        };
        for (String[] check : checks) {
            if (count(c, check[0]) > 0) {
                throw new IllegalStateException(store.describe() + " is not empty: it holds " + check[1]
                        + "; import restores into an empty store only");
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM accounts WHERE id <> ?")) {
            store.dialect().setUuid(ps, 1, treasuryId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getLong(1) > 0) {
                    throw new IllegalStateException(store.describe()
                            + " is not empty: it holds accounts; import restores into an empty store only");
                }
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Adds an account as it was exported. */
    @Override
    public void account(Account a) {
        run("inserting account " + a.username(), () -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO accounts (" + Rows.ACCOUNT_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                Rows.bindAccountInsert(dialect, ps, a);
                ps.executeUpdate();
            }
        });
    }

    /**
     * Appends the next entry (seq 1, 2, ... in order) and its Merkle stored hashes.
     *
     * @throws IllegalArgumentException for an entry out of sequence or not linked to the previous one
     */
    @Override
    public void entry(LedgerEntry e) {
        LedgerEntry last = pending.isEmpty() ? null : pending.get(pending.size() - 1);
        long expected = (last != null ? last.seq() : head.seq()) + 1;
        if (e.seq() != expected) {
            throw new IllegalArgumentException(
                    "entry #" + e.seq() + " restored out of sequence: expected #" + expected);
        }
        pending.add(e);
        if (pending.size() >= BATCH) {
            flush();
        }
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        LedgerEntry last = pending.get(pending.size() - 1);
        ChainHead to = new ChainHead(last.seq(), last.currentHash());
        WriteSet batch = new WriteSet(
                List.copyOf(pending),
                List.of(),
                Map.of(),
                Map.of(),
                Map.of(),
                head,
                to,
                Optional.empty(),
                Optional.empty());
        WriteSet extended = tree.extend(batch);
        run("inserting entries up to #" + last.seq(), () -> {
            if (dialect == Dialect.POSTGRES) {
                // Restored entries may lie in any past month: their partitions are made here, in the restore's
                // own transaction, which no sequencer shares.
                MonthlyPartitions.ensureMonths(c, pending);
                Rows.insertKeys(c, pending);
            }
            for (LedgerEntry e : pending) {
                Rows.bindEntry(dialect, entryInsert, e);
                entryInsert.addBatch();
            }
            entryInsert.executeBatch();
            Map<String, Long> firstUses = new java.util.LinkedHashMap<>();
            for (LedgerEntry e : pending) {
                if (currenciesSeen.add(e.currency())) {
                    firstUses.put(e.currency(), e.seq());
                }
            }
            if (!firstUses.isEmpty()) {
                CurrencyRows.insert(c, firstUses, dev.tally.core.money.Currencies.of(List.of()));
            }
            WriteSet.TreeHashes hashes = extended.treeHashes().orElseThrow();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO merkle_hashes (idx, hash) VALUES (?, ?)")) {
                long index = hashes.firstIndex();
                for (byte[] h : hashes.hashes()) {
                    ps.setLong(1, index++);
                    ps.setBytes(2, h);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
        tree.committed(extended);
        head = to;
        pending.clear();
    }

    /** Adds a stored balance. */
    @Override
    public void balance(UUID account, String currency, long amount) {
        update("INSERT INTO balances (account_id, currency, amount, version) VALUES (?, ?, ?, 1)", ps -> {
            dialect.setUuid(ps, 1, account);
            ps.setString(2, currency);
            ps.setLong(3, amount);
        });
    }

    /** Adds a treasury tax total. */
    @Override
    public void treasuryTotal(String currency, TaxKind kind, long amount) {
        update("INSERT INTO treasury_totals (currency, tax_kind, amount, version) VALUES (?, ?, ?, 1)", ps -> {
            ps.setString(1, currency);
            ps.setString(2, kind.name());
            ps.setLong(3, amount);
        });
    }

    /** Adds a currency's minted and burned totals. */
    @Override
    public void supply(String currency, long minted, long burned) {
        update("INSERT INTO currency_supply (currency, minted, burned, version) VALUES (?, ?, ?, 1)", ps -> {
            ps.setString(1, currency);
            ps.setLong(2, minted);
            ps.setLong(3, burned);
        });
    }

    /** Sets the ledger-wide freeze. */
    @Override
    public void controls(LedgerControls controls) {
        update(
                "UPDATE ledger_controls SET is_frozen = ?, reason = ?, actor = ?, changed_at = ?, version = version + 1 WHERE id = 1",
                ps -> {
                    dialect.setBoolean(ps, 1, controls.frozen());
                    Rows.setOptional(ps, 2, controls.reason());
                    Rows.setOptional(ps, 3, controls.actor());
                    Rows.setOptionalTime(ps, 4, controls.changedAt());
                });
    }

    /** Adds a signed checkpoint (already verified by the caller). */
    @Override
    public void checkpoint(long treeSize, byte[] rootHash, String note, Instant createdAt) {
        update("INSERT INTO checkpoints (tree_size, root_hash, note, created_at) VALUES (?, ?, ?, ?)", ps -> {
            ps.setLong(1, treeSize);
            ps.setBytes(2, rootHash);
            ps.setString(3, note);
            ps.setLong(4, CanonicalEncoding.epochMicros(createdAt));
        });
    }

    /**
     * Writes the last entries and the chain head, and commits everything durably.
     *
     * @throws IllegalArgumentException when {@code expectedHead} is not the newest restored entry
     */
    @Override
    public void commit(ChainHead expectedHead) {
        flush();
        if (!head.equals(expectedHead)) {
            throw new IllegalArgumentException("the restored entries end at #" + head.seq() + " "
                    + head.hash().hex() + ", not at the expected head #" + expectedHead.seq() + " "
                    + expectedHead.hash().hex());
        }
        update("UPDATE chain_head SET seq = ?, hash = ?, version = version + 1 WHERE id = 1", ps -> {
            ps.setLong(1, head.seq());
            ps.setBytes(2, head.hash().bytes());
        });
        run("committing the restore", c::commit);
        committed = true;
        currencies.forget();
    }

    /** Rolls back unless committed, and returns the connection. */
    @Override
    public void close() {
        try {
            entryInsert.close();
            if (!committed) {
                c.rollback();
            }
            c.setAutoCommit(true);
        } catch (SQLException e) {
            throw new StoreException("ending the restore into " + description + " failed: " + e.getMessage(), e);
        } finally {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Returned to the pool either way.
            }
        }
    }

    private void update(String sql, Binder binder) {
        run(sql, () -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                ps.executeUpdate();
            }
        });
    }

    private void run(String what, SqlAction action) {
        try {
            action.run();
        } catch (SQLException e) {
            throw new StoreException("restore into " + description + " failed " + what + ": " + e.getMessage(), e);
        }
    }

    private static void rollbackQuietly(@Nullable Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.rollback();
            c.setAutoCommit(true);
            c.close();
        } catch (SQLException ignored) {
            // The failure being reported matters more.
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }
}
