package dev.tally.store.testing;

import dev.tally.core.store.LedgerStore;
import dev.tally.store.internal.jdbc.Dialect;
import dev.tally.store.internal.jdbc.JdbcLedgerStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * Looks at a PostgreSQL ledger's monthly partitions from below the store, for tests: the rows each partition
 * holds, the plan of a query, and a copy of a ledger in the layout of the schema before partitioning (V7), on
 * which the partitioning migration can then run.
 */
public final class PartitionSql {
    /** The tables of a V7 ledger, in an order that satisfies nothing but itself (V7 has no foreign keys). */
    private static final List<String> V7_TABLES = List.of(
            "accounts",
            "balances",
            "ledger_entries",
            "treasury_totals",
            "currency_supply",
            "chain_head",
            "ledger_controls",
            "merkle_hashes",
            "checkpoints",
            "currencies",
            "checkpoint_keys",
            "verification_runs");

    private PartitionSql() {}

    /** The number of entries in each partition of {@code ledger_entries}, by partition name, oldest first. */
    public static Map<String, Long> rowsPerPartition(LedgerStore store) {
        Map<String, Long> rows = new LinkedHashMap<>();
        query(
                store,
                "SELECT c.relname, (SELECT count(*) FROM ledger_entries e WHERE e.tableoid = c.oid) "
                        + "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        + "WHERE i.inhparent = 'ledger_entries'::regclass ORDER BY c.relname",
                rs -> rows.put(rs.getString(1), rs.getLong(2)));
        return rows;
    }

    /** The plan PostgreSQL ran {@code sql} with: {@code EXPLAIN (ANALYZE)} without costs or timings. */
    public static String explain(LedgerStore store, String sql) {
        List<String> lines = new ArrayList<>();
        query(
                store,
                "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, BUFFERS OFF) " + sql,
                rs -> lines.add(rs.getString(1)));
        return String.join("\n", lines);
    }

    /**
     * Creates the partition of {@code month} in a transaction that stays open (holding the locks the creation took)
     * until the returned handle is closed, which commits it.
     */
    public static AutoCloseable creatingPartition(LedgerStore store, java.time.YearMonth month) {
        try {
            Connection c = ((JdbcLedgerStore) store).dataSource().getConnection();
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT tally_ensure_ledger_month(?)")) {
                ps.setObject(1, month.atDay(1), java.sql.Types.DATE);
                ps.executeQuery().close();
            }
            return () -> {
                try (c) {
                    c.commit();
                }
            };
        } catch (SQLException e) {
            throw new IllegalStateException("creating the partition of " + month + " failed: " + e.getMessage(), e);
        }
    }

    /** Refreshes the planner's statistics, as autovacuum would in a while. */
    public static void analyze(LedgerStore store) {
        StoreSql.execute(store, "ANALYZE");
    }

    /**
     * A new database whose schema stops at V7 (one unpartitioned {@code ledger_entries}), holding every row of
     * {@code source}'s ledger: a ledger as it was written before the partitioning migration.
     *
     * @return its JDBC URL
     */
    public static String copyIntoV7Schema(LedgerStore source) {
        JdbcLedgerStore jdbc = (JdbcLedgerStore) source;
        if (jdbc.dialect() != Dialect.POSTGRES) {
            throw new IllegalArgumentException("only a PostgreSQL ledger has a partitioned layout to go back from");
        }
        String url = EmbeddedPostgres.freshDatabase();
        Flyway.configure()
                .dataSource(url, null, null)
                .locations(Dialect.POSTGRES.migrationLocation())
                .table("tally_schema_history")
                .target("7")
                .load()
                .migrate();
        try (Connection from = jdbc.dataSource().getConnection();
                Connection to = DriverManager.getConnection(url)) {
            to.setAutoCommit(false);
            try (Statement st = to.createStatement()) {
                st.execute("DELETE FROM chain_head");
                st.execute("DELETE FROM ledger_controls");
            }
            for (String table : V7_TABLES) {
                copy(from, to, table);
            }
            to.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("copying the ledger into a V7 schema failed: " + e.getMessage(), e);
        }
        return url;
    }

    private static void copy(Connection from, Connection to, String table) throws SQLException {
        // The V7 table's own columns: later migrations add columns that V7 does not have.
        List<String> columns = columnsOf(to, table);
        int n = columns.size();
        try (Statement st = from.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + String.join(", ", columns) + " FROM " + table)) {
            String insert = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                    + String.join(", ", Collections.nCopies(n, "?")) + ")";
            try (PreparedStatement ps = to.prepareStatement(insert)) {
                while (rs.next()) {
                    for (int i = 1; i <= n; i++) {
                        ps.setObject(i, rs.getObject(i));
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
    }

    private static List<String> columnsOf(Connection c, String table) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT * FROM " + table + " WHERE false")) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i));
            }
            return columns;
        }
    }

    private static void query(LedgerStore store, String sql, Row row) {
        try (Connection c = ((JdbcLedgerStore) store).dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                row.handle(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Row {
        void handle(ResultSet rs) throws SQLException;
    }
}
