package dev.tally.store.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * SQL on a database with no store opened on it, for tests that prepare or inspect what a store must refuse
 * or leave alone: another program's SQLite file, a schema a refused command must not have touched. Opening
 * a store would apply the migrations, which is exactly what these tests must not do.
 */
public final class RawDatabases {
    private RawDatabases() {
    }

    /** Runs {@code statements} in order on the SQLite file {@code file}, creating it if it is missing. */
    public static void executeOnSqlite(Path file, String... statements) {
        execute("jdbc:sqlite:" + file, statements);
    }

    /** Runs {@code statements} in order, each on its own, on the database at the JDBC URL {@code url}. */
    public static void execute(String url, String... statements) {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            for (String sql : statements) {
                st.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test SQL on " + url + " failed: " + e.getMessage(), e);
        }
    }

    /** How many tables the current schema of the PostgreSQL database at the JDBC URL {@code url} holds. */
    public static int postgresTableCount(String url) {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the tables at " + url + ": " + e.getMessage(), e);
        }
    }
}
