package dev.tally.store.internal.jdbc;

import dev.tally.core.account.Account;
import dev.tally.core.engine.ChainHead;
import dev.tally.core.engine.LedgerControls;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.error.StoreException;
import dev.tally.core.ledger.CanonicalEncoding;
import dev.tally.core.ledger.Hash;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.RecordedScale;
import dev.tally.core.store.LedgerSnapshot;
import dev.tally.core.store.LedgerStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One consistent, read-only view of a whole store, for export: every read through it sees the database as
 * it was when the snapshot began, even while the ledger keeps writing. On PostgreSQL it is a
 * {@code REPEATABLE READ READ ONLY} transaction; on SQLite a deferred transaction, which in WAL mode reads
 * one snapshot and never blocks the writer (the store's own transactions are {@code IMMEDIATE}, which
 * would). Holds one pooled connection until closed; not thread-safe.
 */
public final class Snapshot implements LedgerSnapshot {
    private final Connection c;
    private final Dialect dialect;
    private final String description;

    private Snapshot(Connection c, Dialect dialect, String description) {
        this.c = c;
        this.dialect = dialect;
        this.description = description;
    }

    /** Begins a snapshot of {@code store}. */
    public static Snapshot begin(JdbcLedgerStore store) {
        Connection c = null;
        try {
            c = store.dataSource().getConnection();
            if (store.dialect() == Dialect.POSTGRES) {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                c.setReadOnly(true);
            } else {
                try (Statement st = c.createStatement()) {
                    st.execute("BEGIN DEFERRED");
                }
            }
            Snapshot s = new Snapshot(c, store.dialect(), store.describe());
            s.head(); // the first read fixes the snapshot
            return s;
        } catch (SQLException e) {
            closeQuietly(c);
            throw new StoreException("cannot begin a snapshot of " + store.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The chain head: the newest entry's seq and hash. */
    @Override
    public ChainHead head() {
        List<ChainHead> found = new ArrayList<>();
        query(
                "SELECT seq, hash FROM chain_head WHERE id = 1",
                rs -> found.add(new ChainHead(rs.getLong(1), Hash.of(rs.getBytes(2)))));
        return found.isEmpty() ? ChainHead.GENESIS : found.get(0);
    }

    /** How many accounts there are. */
    @Override
    public long accountCount() {
        long[] n = {0};
        query("SELECT count(*) FROM accounts", rs -> n[0] = rs.getLong(1));
        return n[0];
    }

    /** Every account, by id. */
    @Override
    public void accounts(Consumer<Account> sink) {
        query(
                "SELECT " + Rows.ACCOUNT_COLUMNS + " FROM accounts ORDER BY id",
                rs -> sink.accept(Rows.readAccount(dialect, rs)));
    }

    /**
     * Every entry with {@code from <= seq <= to}, in seq order, as stored.
     *
     * @throws MalformedRowException at a row that does not read as an entry
     */
    @Override
    public void entries(long from, long to, LedgerStore.EntrySink sink) {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + Rows.ENTRY_COLUMNS + " FROM ledger_entries WHERE seq >= ? AND seq <= ? ORDER BY seq")) {
            ps.setFetchSize(10_000);
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!sink.accept(Rows.readEntry(dialect, rs))) {
                        return;
                    }
                }
            }
        } catch (SQLException e) {
            throw failed("reading entries", e);
        }
    }

    /** Every stored balance row, by account and currency. */
    @Override
    public void balances(LedgerStore.BalanceSink sink) {
        query(
                "SELECT account_id, currency, amount FROM balances ORDER BY account_id, currency",
                rs -> sink.accept(dialect.getUuid(rs, 1), rs.getString(2), rs.getLong(3)));
    }

    /** The treasury's tax totals. */
    @Override
    public Map<TreasuryKey, Long> treasuryTotals() {
        Map<TreasuryKey, Long> out = new LinkedHashMap<>();
        query(
                "SELECT currency, tax_kind, amount FROM treasury_totals ORDER BY currency, tax_kind",
                rs -> out.put(new TreasuryKey(rs.getString(1), TaxKind.valueOf(rs.getString(2))), rs.getLong(3)));
        return out;
    }

    /** Each currency's minted and burned totals. */
    @Override
    public Map<String, Supply> supplies() {
        Map<String, Supply> out = new LinkedHashMap<>();
        query(
                "SELECT currency, minted, burned, version FROM currency_supply ORDER BY currency",
                rs -> out.put(rs.getString(1), new Supply(rs.getLong(2), rs.getLong(3), rs.getLong(4))));
        return out;
    }

    /** The ledger-wide freeze. */
    @Override
    public LedgerControls controls() {
        List<LedgerControls> found = new ArrayList<>();
        query("SELECT is_frozen, reason, actor, changed_at, version FROM ledger_controls WHERE id = 1", rs -> {
            long changed = rs.getLong(4);
            Optional<Instant> changedAt =
                    rs.wasNull() ? Optional.empty() : Optional.of(CanonicalEncoding.fromEpochMicros(changed));
            found.add(new LedgerControls(
                    rs.getBoolean(1),
                    Optional.ofNullable(rs.getString(2)),
                    Optional.ofNullable(rs.getString(3)),
                    changedAt,
                    rs.getLong(5)));
        });
        return found.isEmpty() ? LedgerControls.INITIAL : found.get(0);
    }

    /** The stored checkpoints of at most {@code maxSize} entries, smallest first. */
    @Override
    public List<RecordedScale> recordedScales() {
        try {
            return CurrencyRows.read(c);
        } catch (SQLException e) {
            throw failed("reading the recorded currency scales", e);
        }
    }

    @Override
    public List<CheckpointRow> checkpoints(long maxSize) {
        List<CheckpointRow> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT tree_size, root_hash, note, created_at FROM checkpoints "
                + "WHERE tree_size <= ? ORDER BY tree_size")) {
            ps.setLong(1, maxSize);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new CheckpointRow(
                            rs.getLong(1),
                            rs.getBytes(2),
                            rs.getString(3),
                            CanonicalEncoding.fromEpochMicros(rs.getLong(4))));
                }
            }
        } catch (SQLException e) {
            throw failed("reading checkpoints", e);
        }
        return out;
    }

    /** Ends the snapshot (nothing was written) and returns the connection. */
    @Override
    public void close() {
        try (Statement st = c.createStatement()) {
            if (dialect == Dialect.POSTGRES) {
                c.rollback();
                c.setReadOnly(false);
                c.setAutoCommit(true);
            } else {
                st.execute("ROLLBACK");
            }
        } catch (SQLException e) {
            throw failed("ending the snapshot", e);
        } finally {
            closeQuietly(c);
        }
    }

    private void query(String sql, RowHandler handler) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.handle(rs);
                }
            }
        } catch (SQLException e) {
            throw failed("a snapshot read", e);
        }
    }

    private StoreException failed(String what, SQLException e) {
        return new StoreException(what + " from " + description + " failed: " + e.getMessage(), e);
    }

    private static void closeQuietly(@Nullable Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Closing returns it to the pool; nothing else to do.
            }
        }
    }

    @FunctionalInterface
    private interface RowHandler {
        void handle(ResultSet rs) throws SQLException;
    }
}
