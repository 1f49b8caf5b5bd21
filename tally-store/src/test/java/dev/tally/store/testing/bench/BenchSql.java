package dev.tally.store.testing.bench;

import dev.tally.core.error.StoreException;
import dev.tally.core.store.LedgerStore;
import dev.tally.store.internal.jdbc.Dialect;
import dev.tally.store.internal.jdbc.JdbcLedgerStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What {@code tally bench} reads or writes below a live store's interface: the database's own settings, the
 * WAL a PostgreSQL server has generated, and the Merkle hashes a round without the tree left out. It lives
 * beside the store because it is SQL by nature; the bench jar carries it, the production jar does not.
 */
public final class BenchSql {
    private BenchSql() {}

    /** Whether {@code store} is a PostgreSQL store (otherwise SQLite). */
    public static boolean isPostgres(LedgerStore store) {
        return jdbc(store).dialect() == Dialect.POSTGRES;
    }

    /**
     * The database's version and how durable its commits are, as JSON-ready values (text, numbers, booleans)
     * in the order a report shows them.
     */
    public static Map<String, Object> settings(LedgerStore store) {
        Map<String, Object> d = new LinkedHashMap<>();
        try (Connection c = jdbc(store).dataSource().getConnection();
                Statement st = c.createStatement()) {
            if (jdbc(store).dialect() == Dialect.SQLITE) {
                d.put("version", scalar(st, "SELECT sqlite_version()"));
                d.put("journal_mode", scalar(st, "PRAGMA journal_mode"));
                String sync = scalar(st, "PRAGMA synchronous");
                d.put(
                        "synchronous",
                        switch (sync) {
                            case "0" -> "OFF";
                            case "1" -> "NORMAL";
                            case "2" -> "FULL";
                            case "3" -> "EXTRA";
                            default -> sync;
                        });
                d.put("fsync_on_commit", "2".equals(sync) || "3".equals(sync));
                d.put("page_size", Long.parseLong(scalar(st, "PRAGMA page_size")));
            } else {
                d.put("version", scalar(st, "SHOW server_version"));
                d.put("fsync", scalar(st, "SHOW fsync"));
                d.put("synchronous_commit", scalar(st, "SHOW synchronous_commit"));
                d.put("wal_sync_method", scalar(st, "SHOW wal_sync_method"));
                d.put(
                        "fsync_on_commit",
                        "on".equals(scalar(st, "SHOW fsync")) && "on".equals(scalar(st, "SHOW synchronous_commit")));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot describe the bench store: " + e.getMessage(), e);
        }
        return d;
    }

    /** The bytes of WAL the PostgreSQL server has generated ({@code pg_stat_wal}, PostgreSQL 14 and later), or empty. */
    public static OptionalLong walBytes(LedgerStore store) {
        try (Connection c = jdbc(store).dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT wal_bytes FROM pg_stat_wal")) {
            return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        } catch (SQLException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Stores Merkle hashes at consecutive indexes from {@code firstIndex}: the part of the tree a sequencer
     * without its Merkle extension left out, so that the next round with the tree starts from a complete one.
     */
    public static void appendTreeHashes(LedgerStore store, long firstIndex, List<byte[]> hashes) {
        try (Connection c = jdbc(store).dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO merkle_hashes (idx, hash) VALUES (?, ?)")) {
            long index = firstIndex;
            for (byte[] h : hashes) {
                ps.setLong(1, index++);
                ps.setBytes(2, h);
                ps.addBatch();
            }
            ps.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("bench merkle: catching the tree up failed: " + e.getMessage(), e);
        }
    }

    private static String scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The connections of a SQLite or PostgreSQL store, for the bench's other SQL helpers. */
    static javax.sql.DataSource dataSource(LedgerStore store) {
        return jdbc(store).dataSource();
    }

    private static JdbcLedgerStore jdbc(LedgerStore store) {
        if (store instanceof JdbcLedgerStore jdbc) {
            return jdbc;
        }
        throw new IllegalArgumentException("not a SQLite or PostgreSQL store: " + store.describe());
    }
}
