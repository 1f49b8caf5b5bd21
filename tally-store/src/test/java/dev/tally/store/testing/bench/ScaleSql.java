package dev.tally.store.testing.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tally.core.error.StoreException;
import dev.tally.core.store.LedgerStore;
import dev.tally.store.PostgresUrl;
import dev.tally.store.internal.jdbc.Dialect;
import dev.tally.store.internal.jdbc.JdbcLedgerStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What {@code tally bench scale} needs below the store's interface: a read-only store over a streaming standby
 * (no migrations, no partition upkeep, which a standby refuses), whether a server is a standby, and how many
 * bytes the entries take on disk in the partitioned layout and in the layout from before the partitions. SQL by
 * nature, so it lives beside the store; the bench jar carries it, the production jar does not.
 */
public final class ScaleSql {
    private ScaleSql() {}

    /**
     * Opens the PostgreSQL ledger at {@code location} for reading only, through connections of its own: nothing is
     * migrated or created, every connection is read-only, so it also works on a hot standby. Recording a
     * verification run fails there, which the auditor tolerates (the run is reported, not recorded).
     */
    public static LedgerStore openReadOnly(String location, int poolSize) {
        HikariConfig hc = new HikariConfig();
        if (location.startsWith("jdbc:postgresql:")) {
            hc.setJdbcUrl(location);
        } else {
            PostgresUrl url = PostgresUrl.parse(location);
            hc.setJdbcUrl(url.jdbcUrl());
            url.user().ifPresent(hc::setUsername);
            url.password().ifPresent(hc::setPassword);
        }
        hc.addDataSourceProperty("prepareThreshold", "1");
        hc.setPoolName("tally-bench-read");
        hc.setMaximumPoolSize(poolSize);
        hc.setMinimumIdle(1);
        hc.setReadOnly(true);
        HikariDataSource ds = new HikariDataSource(hc);
        return new JdbcLedgerStore(ds, Dialect.POSTGRES, "postgres (read-only)", ds);
    }

    /** Whether the server behind {@code store} is a standby in recovery (a replica), not a primary. */
    public static boolean inRecovery(LedgerStore store) {
        try (Connection c = BenchSql.dataSource(store).getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new StoreException("cannot ask the server whether it is a standby: " + e.getMessage(), e);
        }
    }

    /** Bytes on disk: the heap (with TOAST and maps) and the indexes of a set of tables, and the rows they hold. */
    public record DiskUse(long entries, long tableBytes, long indexBytes, int tables) {
        public long totalBytes() {
            return tableBytes + indexBytes;
        }
    }

    /**
     * The partitioned layout as it stands: every monthly partition of {@code ledger_entries} with its indexes,
     * plus {@code ledger_entry_keys}, the unpartitioned table of ids that keeps transaction ids unique across
     * partitions (it exists only because of the partitions, so it is part of their cost).
     */
    public static DiskUse partitionedLayout(LedgerStore store) {
        String sql = "SELECT count(*), coalesce(sum(pg_table_size(c.oid)), 0), coalesce(sum(pg_indexes_size(c.oid)), 0)"
                + " FROM pg_class c WHERE c.oid IN (SELECT inhrelid FROM pg_inherits"
                + " WHERE inhparent = 'ledger_entries'::regclass) OR c.oid = 'ledger_entry_keys'::regclass";
        try (Connection c = BenchSql.dataSource(store).getConnection();
                Statement st = c.createStatement()) {
            long entries = count(st);
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return new DiskUse(entries, rs.getLong(2), rs.getLong(3), rs.getInt(1));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot measure the partitioned layout: " + e.getMessage(), e);
        }
    }

    /**
     * The layout from before the partitions, measured on a copy of the same rows: one {@code ledger_entries}
     * table with {@code seq} as its primary key and the indexes it had then (unique transaction ids, hashes and
     * reversals in the table itself, no table of ids), built after the copy as a restore would; dropped afterwards.
     */
    public static DiskUse unpartitionedLayout(LedgerStore store) {
        String copy = "tally_bench_unpartitioned";
        List<String> build = List.of(
                "DROP TABLE IF EXISTS " + copy,
                "CREATE TABLE " + copy + " (LIKE ledger_entries INCLUDING DEFAULTS)",
                "INSERT INTO " + copy + " SELECT * FROM ledger_entries",
                "ALTER TABLE " + copy + " ADD PRIMARY KEY (seq)",
                "CREATE UNIQUE INDEX " + copy + "_transaction_id_uq ON " + copy + " (transaction_id)",
                "CREATE INDEX " + copy + "_sender_created_idx ON " + copy + " (sender_id, created_at DESC)",
                "CREATE INDEX " + copy + "_receiver_created_idx ON " + copy + " (receiver_id, created_at DESC)",
                "CREATE INDEX " + copy + "_currency_type_idx ON " + copy + " (currency, type)",
                "CREATE INDEX " + copy + "_created_idx ON " + copy + " (created_at DESC)",
                "CREATE UNIQUE INDEX " + copy + "_current_hash_uq ON " + copy + " (current_hash)",
                "CREATE INDEX " + copy + "_status_idx ON " + copy + " (status)",
                "CREATE INDEX " + copy + "_type_created_idx ON " + copy + " (type, created_at)",
                "CREATE UNIQUE INDEX " + copy + "_reverses_uq ON " + copy
                        + " (reverses_transaction_id) WHERE reverses_transaction_id IS NOT NULL",
                "CREATE INDEX " + copy + "_pending_idx ON " + copy + " (seq) WHERE type = 'PENDING'",
                "VACUUM ANALYZE " + copy);
        try (Connection c = BenchSql.dataSource(store).getConnection();
                Statement st = c.createStatement()) {
            try {
                for (String sql : build) {
                    st.execute(sql);
                }
                long entries = count(st);
                try (ResultSet rs = st.executeQuery(
                        "SELECT pg_table_size('" + copy + "'::regclass), pg_indexes_size('" + copy + "'::regclass)")) {
                    rs.next();
                    return new DiskUse(entries, rs.getLong(1), rs.getLong(2), 1);
                }
            } finally {
                st.execute("DROP TABLE IF EXISTS " + copy);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot measure the unpartitioned layout: " + e.getMessage(), e);
        }
    }

    /** Vacuums and analyzes the entries, so that both layouts are measured settled, as a copy is. */
    public static void settle(LedgerStore store) {
        try (Connection c = BenchSql.dataSource(store).getConnection();
                Statement st = c.createStatement()) {
            st.execute("VACUUM ANALYZE ledger_entries");
            st.execute("VACUUM ANALYZE ledger_entry_keys");
        } catch (SQLException e) {
            throw new StoreException("cannot vacuum the bench ledger: " + e.getMessage(), e);
        }
    }

    private static long count(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM ledger_entries")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
