package dev.tally.store.internal.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tally.core.error.StoreException;
import dev.tally.store.OpenMode;
import dev.tally.store.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteOpenMode;

/**
 * Builds the JDBC store over SQLite or PostgreSQL and applies the schema migrations; {@link dev.tally.store.Stores} is the
 * public way in.
 */
public final class JdbcStores {
    /** How long a read-only (replica) store waits for a connection before it reports the replica unreachable. */
    private static final long READ_ONLY_CONNECTION_TIMEOUT_MS = 3_000;

    private JdbcStores() {}

    /** The embedded default: one SQLite file in WAL mode, fsync on every commit unless opted down. */
    public static JdbcLedgerStore openSqlite(Path file, StoreOptions options) {
        if (options.openMode() == OpenMode.READ_ONLY) {
            throw new IllegalArgumentException(
                    "a read-only store (a replica) must be PostgreSQL, not the SQLite file " + file);
        }
        LedgerPresence.checkSqliteFile(file, options.openMode());
        if (options.openMode() == OpenMode.CREATE) {
            createDirectory(file);
        } else {
            LedgerPresence.requireSqliteTables(file);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(
                options.durable() ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(30_000);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        config.setCacheSize(-262_144);
        config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, String.valueOf(1L << 30));
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        // SQLite's own per-connection mutex is redundant here: sqlite-jdbc already serializes every call on a
        // connection (its native methods are synchronized on it), and the pool hands a connection to one thread
        // at a time. Without it each sqlite3_step and sqlite3_column_* call saves a lock and an unlock, which
        // was 8% of the CPU of a full chain verification (several calls per row, a million rows).
        config.setOpenMode(SQLiteOpenMode.NOMUTEX);
        if (options.openMode() == OpenMode.EXISTING) {
            // Not even a file that vanished since the check above may be created.
            config.resetOpenMode(SQLiteOpenMode.CREATE);
        }
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        HikariConfig hc = new HikariConfig();
        hc.setDataSource(sqlite);
        hc.setPoolName("tally-sqlite");
        hc.setMaximumPoolSize(options.poolSize());
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(60_000);
        // Checkpoints run on their own thread (see WalCheckpointer); the writers' threshold is only a valve.
        hc.setConnectionInitSql("PRAGMA wal_autocheckpoint = " + WalCheckpointer.WRITER_AUTOCHECKPOINT_PAGES);
        HikariDataSource ds = new HikariDataSource(hc);
        try {
            migrate(ds, Dialect.SQLITE);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        PostingsFile postings = openPostings(file, ds, options);
        String name = file.getFileName().toString();
        WalCheckpointer checkpointer = WalCheckpointer.start(sqlite, name);
        PostingsIndexer indexer = PostingsIndexer.start(postings, name);
        AutoCloseable closeAll = () -> {
            try (ds;
                    checkpointer;
                    postings;
                    indexer) {
                // closed in reverse order: the indexer's last batch first, the ledger's pool last
            }
        };
        return new JdbcLedgerStore(ds, Dialect.SQLITE, "sqlite:" + file.toAbsolutePath(), closeAll, postings, indexer);
    }

    private static PostingsFile openPostings(Path file, HikariDataSource ds, StoreOptions options) {
        try {
            return PostingsRecovery.open(file, ds, options.poolSize());
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /**
     * A PostgreSQL server; batched inserts are rewritten into multi-row statements. Without a user or
     * password, the driver takes them from the URL or its defaults.
     */
    public static JdbcLedgerStore openPostgres(
            String jdbcUrl, Optional<String> user, Optional<String> password, StoreOptions options) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(jdbcUrl);
        user.ifPresent(hc::setUsername);
        password.ifPresent(hc::setPassword);
        hc.addDataSourceProperty("reWriteBatchedInserts", "true");
        hc.addDataSourceProperty("prepareThreshold", "1");
        hc.setPoolName("tally-postgres");
        hc.setMaximumPoolSize(options.poolSize());
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(30_000);
        boolean readOnly = options.openMode() == OpenMode.READ_ONLY;
        if (readOnly) {
            // Every transaction read-only, whatever a caller asks: a store on a replica never writes, and one
            // pointed at a primary by mistake cannot either. A replica that stops answering is reported soon.
            hc.setPoolName("tally-replica");
            hc.setReadOnly(true);
            hc.setConnectionInitSql("SET default_transaction_read_only = on");
            hc.setConnectionTimeout(READ_ONLY_CONNECTION_TIMEOUT_MS);
        } else if (!options.durable()) {
            hc.setConnectionInitSql("SET synchronous_commit = off");
        }
        HikariDataSource ds = new HikariDataSource(hc);
        if (readOnly) {
            try {
                LedgerPresence.requireTables(
                        ds,
                        LedgerPresence.POSTGRES_HAS_TABLES,
                        redact(jdbcUrl),
                        "the schema has no Tally tables",
                        false);
            } catch (RuntimeException e) {
                ds.close();
                throw e;
            }
            // No migration and no partitions: both would write.
            return new JdbcLedgerStore(ds, Dialect.POSTGRES, "postgres (read-only):" + redact(jdbcUrl), ds);
        }
        try {
            if (options.openMode() == OpenMode.EXISTING) {
                // Migrations would create the schema: a schema without Tally's tables is refused before them.
                LedgerPresence.requireTables(
                        ds,
                        LedgerPresence.POSTGRES_HAS_TABLES,
                        redact(jdbcUrl),
                        "the schema has no Tally tables",
                        true);
            }
            migrate(ds, Dialect.POSTGRES);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        MonthlyPartitions partitions;
        try {
            partitions = MonthlyPartitions.start(ds, options.clock());
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new JdbcLedgerStore(ds, Dialect.POSTGRES, "postgres:" + redact(jdbcUrl), () -> {
            try {
                partitions.close();
            } finally {
                ds.close();
            }
        });
    }

    public static JdbcLedgerStore openPostgresUri(String uri, StoreOptions options) {
        dev.tally.store.PostgresUrl url = dev.tally.store.PostgresUrl.parse(uri);
        return openPostgres(url.jdbcUrl(), url.user(), url.password(), options);
    }

    private static void createDirectory(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create the directory for " + file + ": " + e.getMessage(), e);
        }
    }

    private static void migrate(javax.sql.DataSource ds, Dialect dialect) {
        Flyway.configure()
                .dataSource(ds)
                .locations(dialect.migrationLocation())
                .table("tally_schema_history")
                .load()
                .migrate();
    }

    private static String redact(String url) {
        return url.replaceAll("password=[^&]*", "password=***");
    }
}
