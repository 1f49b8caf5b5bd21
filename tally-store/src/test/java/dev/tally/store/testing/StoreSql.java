package dev.tally.store.testing;

import dev.tally.core.store.LedgerStore;
import dev.tally.store.internal.jdbc.JdbcLedgerStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Reaches below a store's interface for tests, as an attacker with database access would: tampering with
 * rows, taking a table away, dumping every row. Only tests use it; production code goes through the
 * store's interfaces.
 */
public final class StoreSql {
    private StoreSql() {}

    /** Runs one statement with its parameters (a UUID bound as the dialect stores it); returns the rows it changed. */
    public static int execute(LedgerStore store, String sql, Object... params) {
        try (Connection c = jdbc(store).dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                if (params[i] instanceof UUID id) {
                    jdbc(store).dialect().setUuid(ps, i + 1, id);
                } else {
                    ps.setObject(i + 1, params[i]);
                }
            }
            ps.execute();
            return Math.max(0, ps.getUpdateCount());
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row {@code sql} returns, as text. */
    public static String scalar(LedgerStore store, String sql) {
        try (Connection c = jdbc(store).dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("test SQL returned no row: " + sql);
            }
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Every row of every table (see {@link DatabaseDump}). */
    public static String dump(LedgerStore store) {
        return DatabaseDump.of(jdbc(store).dataSource());
    }

    /** The store's dialect name, {@code SQLITE} or {@code POSTGRES}. */
    public static String dialect(LedgerStore store) {
        return jdbc(store).dialect().name();
    }

    /**
     * Runs statements on the database at a JDBC URL through a plain connection, without opening it as a
     * store (which could create or migrate it): for a test that prepares a broken or foreign database.
     */
    public static void executeAt(String jdbcUrl, String... statements) {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed at " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /** The single number a query gives at a JDBC URL, through a plain connection (see {@link #executeAt}). */
    public static long queryLongAt(String jdbcUrl, String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            if (!rs.next()) {
                throw new IllegalStateException("test SQL gave no row: " + sql);
            }
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL failed at " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    private static JdbcLedgerStore jdbc(LedgerStore store) {
        if (store instanceof JdbcLedgerStore jdbc) {
            return jdbc;
        }
        throw new IllegalArgumentException("not a SQLite or PostgreSQL store: " + store.describe());
    }
}
