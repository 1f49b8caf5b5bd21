package dev.tally.store.internal.jdbc;

import dev.tally.store.NoLedgerException;
import dev.tally.store.OpenMode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * Whether a location holds a Tally ledger, found out without creating anything: the checks behind
 * {@link OpenMode#EXISTING}, and the refusal of locations that can never hold one.
 */
public final class LedgerPresence {
    /** Asks SQLite whether Tally's migrations ever ran in this file. */
    private static final String SQLITE_HAS_TABLES =
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tally_schema_history'";
    /** Asks PostgreSQL the same about the schema the migrations would use (the connection's current schema). */
    public static final String POSTGRES_HAS_TABLES = "SELECT 1 FROM information_schema.tables"
            + " WHERE table_schema = current_schema() AND table_name = 'tally_schema_history'";

    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    /**
     * A URL scheme other than the two stores': without this, {@code mysql://x/y} would be taken for a relative
     * file path and become {@code ./mysql:/x/y}. One letter is a Windows drive, not a scheme.
     */
    private static final Pattern FOREIGN_URL =
            Pattern.compile("^(?:jdbc:(?!sqlite:|postgresql:)[^:]*:|[A-Za-z][A-Za-z0-9+.-]+:/).*");

    private LedgerPresence() {}

    /** Refuses a location that is a URL of a kind no Tally store understands. */
    public static void requireKnownScheme(String location) {
        if (FOREIGN_URL.matcher(location).matches()) {
            String scheme = location.substring(0, location.indexOf(':', location.startsWith("jdbc:") ? 5 : 0) + 1);
            throw new NoLedgerException(
                    location,
                    "unknown URL scheme '" + scheme.toLowerCase(Locale.ROOT)
                            + "' (give a SQLite file path or jdbc:sqlite: URL, or a jdbc:postgresql: or postgresql:// URL)",
                    false);
        }
    }

    /**
     * Checks what is at {@code file} before SQLite opens it, touching nothing. A directory or a file that is
     * not SQLite is refused in every mode; a missing or empty file only when the ledger must exist (SQLite
     * would otherwise turn it into a new database).
     */
    public static void checkSqliteFile(Path file, OpenMode mode) {
        String where = file.toString();
        if (Files.isDirectory(file)) {
            throw new NoLedgerException(where, "it is a directory", false);
        }
        if (!Files.exists(file)) {
            if (mode != OpenMode.CREATE) {
                throw new NoLedgerException(
                        where, Files.isDirectory(parentOf(file)) ? "no such file" : "no such file or directory", true);
            }
            return;
        }
        byte[] header;
        try (InputStream in = Files.newInputStream(file)) {
            header = in.readNBytes(SQLITE_HEADER.length);
        } catch (AccessDeniedException e) {
            throw new NoLedgerException(where, "permission denied", false);
        } catch (IOException e) {
            throw new NoLedgerException(where, "cannot read it: " + e.getMessage(), false);
        }
        if (header.length == 0) {
            // A new WAL database can keep its first pages in the -wal file for a moment; SQLite decides then.
            if (mode != OpenMode.CREATE && !Files.exists(Path.of(file + "-wal"))) {
                throw new NoLedgerException(where, "the file is empty (0 bytes)", true);
            }
            return;
        }
        if (!Arrays.equals(header, SQLITE_HEADER)) {
            throw new NoLedgerException(where, "not a SQLite database", false);
        }
    }

    /**
     * Refuses a SQLite file in which Tally's schema was never created. It looks through a read-only
     * connection with no settings, because the store's own (WAL mode) would change another program's file.
     */
    public static void requireSqliteTables(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.resetOpenMode(SQLiteOpenMode.CREATE);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        requireTables(ds, SQLITE_HAS_TABLES, file.toString(), "a SQLite database without Tally's tables", false);
    }

    /**
     * Refuses a database in which Tally's schema was never created; reads only. {@code missing} says what
     * that means where: an empty PostgreSQL schema could become a ledger, another program's SQLite file not.
     */
    public static void requireTables(DataSource ds, String query, String location, String missing, boolean creatable) {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            if (!rs.next()) {
                throw new NoLedgerException(location, missing, creatable);
            }
        } catch (SQLException e) {
            throw new NoLedgerException(location, "cannot read it: " + e.getMessage(), false);
        }
    }

    private static Path parentOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? file.toAbsolutePath().getRoot() : parent;
    }
}
