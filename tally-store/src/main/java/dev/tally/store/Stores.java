package dev.tally.store;

import dev.tally.core.store.LedgerStore;
import dev.tally.store.internal.jdbc.JdbcStores;
import dev.tally.store.internal.jdbc.LedgerPresence;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens a store from what a user types after {@code --db}: a file path or {@code jdbc:sqlite:} URL for
 * the embedded default, or a {@code jdbc:postgresql://} / {@code postgresql://} URL for a server. Applies
 * the schema migrations (one ordered set per dialect, owned by this module) before returning. With
 * {@link OpenMode#EXISTING} (see {@link StoreOptions#openMode()}) a missing ledger is a {@link NoLedgerException}
 * and nothing is created; any other URL scheme is refused in every mode.
 */
public final class Stores {
    /** Where the embedded default lives when no location is given. */
    public static final Path DEFAULT_SQLITE = Path.of("tally-data", "tally.db");

    private Stores() {}

    /** Opens (creating if needed) the store at {@code location} with durable commits. */
    public static LedgerStore open(String location) {
        return open(location, StoreOptions.DEFAULTS);
    }

    /** Opens the store at {@code location}, creating it if needed unless {@code options} say it must exist. */
    public static LedgerStore open(String location, StoreOptions options) {
        String db = location == null || location.isBlank() ? DEFAULT_SQLITE.toString() : location.trim();
        if (db.startsWith("jdbc:postgresql:")) {
            return JdbcStores.openPostgres(db, Optional.empty(), Optional.empty(), options);
        }
        if (PostgresUrl.isLibpqForm(db)) {
            return JdbcStores.openPostgresUri(db, options);
        }
        LedgerPresence.requireKnownScheme(db);
        String path = db.startsWith("jdbc:sqlite:") ? db.substring("jdbc:sqlite:".length()) : db;
        int query = path.indexOf('?');
        return openSqlite(Path.of(query >= 0 ? path.substring(0, query) : path), options);
    }

    /** The embedded default: one SQLite file in WAL mode, fsync on every commit unless opted down. */
    public static LedgerStore openSqlite(Path file, StoreOptions options) {
        return JdbcStores.openSqlite(file, options);
    }

    /** A PostgreSQL server, with an optional user and password beside the JDBC URL. */
    public static LedgerStore openPostgres(
            String jdbcUrl, Optional<String> user, Optional<String> password, StoreOptions options) {
        return JdbcStores.openPostgres(jdbcUrl, user, password, options);
    }
}
