package dev.tally.bench.suites;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.error.StoreException;
import dev.tally.json.Views;
import dev.tally.store.PostgresUrl;
import dev.tally.store.internal.jdbc.Dialect;
import dev.tally.store.internal.jdbc.JdbcLedgerStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Where a benchmark's fresh, empty stores come from, so that every measured phase starts from the same
 * state and never touches a user's ledger. SQLite stores are new files in a scratch directory; PostgreSQL
 * stores are new schemas on the server given with {@code --db} (the user needs {@code CREATE} on that
 * database), or on an embedded server started for the run. {@link #close()} removes everything it
 * created: the files, the schemas, and the embedded server.
 */
final class BenchStores implements AutoCloseable {
    private final String kind;
    private final Path dir;
    private final Path createdParent;
    private final PgServer pg;
    private final List<String> schemas = new ArrayList<>();
    private int counter;

    private BenchStores(String kind, Path dir, Path createdParent, PgServer pg) {
        this.kind = kind;
        this.dir = dir;
        this.createdParent = createdParent;
        this.pg = pg;
    }

    /** SQLite files in a new directory under {@code dir}; {@code dir} is created, and removed at close if it was new. */
    static BenchStores sqlite(Path dir) {
        try {
            boolean fresh = !Files.exists(dir);
            Path scratch = Files.createDirectories(dir.resolve("run-" + ProcessHandle.current().pid()));
            return new BenchStores("sqlite", scratch, fresh ? dir : null, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the bench directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Schemas on the server at {@code url}, or on an embedded server when no URL is given. */
    static BenchStores postgres(Optional<String> url) {
        return new BenchStores("postgres", null, null, url.map(PgServer::external).orElseGet(PgServer::embedded));
    }

    /** {@code sqlite} or {@code postgres}. */
    String kind() {
        return kind;
    }

    /** The location ({@code --db} value) of a new, empty store; {@code label} only makes it readable. */
    String fresh(String label) {
        int n = ++counter;
        if (pg == null) {
            return dir.resolve(label + "-" + n + ".db").toString();
        }
        String schema = "tally_bench_" + ProcessHandle.current().pid() + "_" + n + "_" + label.replaceAll("[^a-z0-9]", "");
        pg.execute("CREATE SCHEMA " + schema);
        schemas.add(schema);
        return pg.jdbcUrl + (pg.jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema
                + (pg.user == null ? "" : "&user=" + pg.user) + (pg.password == null ? "" : "&password=" + pg.password);
    }

    /** What the store is and how durable its commits are, read from a live store. */
    ObjectNode describe(JdbcLedgerStore store) {
        ObjectNode d = Views.object();
        d.put("kind", kind);
        try (Connection c = store.dataSource().getConnection(); Statement st = c.createStatement()) {
            if (store.dialect() == Dialect.SQLITE) {
                d.put("version", scalar(st, "SELECT sqlite_version()"));
                d.put("journal_mode", scalar(st, "PRAGMA journal_mode"));
                String sync = scalar(st, "PRAGMA synchronous");
                d.put("synchronous", switch (sync) {
                    case "0" -> "OFF";
                    case "1" -> "NORMAL";
                    case "2" -> "FULL";
                    case "3" -> "EXTRA";
                    default -> sync;
                });
                d.put("fsync_on_commit", "2".equals(sync) || "3".equals(sync));
                d.put("page_size", Long.parseLong(scalar(st, "PRAGMA page_size")));
                d.put("directory", dir.toAbsolutePath().toString());
            } else {
                d.put("version", scalar(st, "SHOW server_version"));
                d.put("fsync", scalar(st, "SHOW fsync"));
                d.put("synchronous_commit", scalar(st, "SHOW synchronous_commit"));
                d.put("wal_sync_method", scalar(st, "SHOW wal_sync_method"));
                d.put("fsync_on_commit", "on".equals(scalar(st, "SHOW fsync")) && "on".equals(scalar(st, "SHOW synchronous_commit")));
                d.put("server", pg.embedded != null ? "embedded (zonky), loopback" : "given with --db");
            }
        } catch (SQLException e) {
            throw new StoreException("cannot describe the bench store: " + e.getMessage(), e);
        }
        return d;
    }

    private static String scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public void close() {
        if (pg != null) {
            try {
                for (String schema : schemas) {
                    pg.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                }
            } finally {
                pg.close();
            }
        } else {
            deleteTree(createdParent != null ? createdParent : dir);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Left-over scratch files are harmless; the report already names the directory.
            System.err.println("tally bench: could not remove " + root + ": " + e.getMessage());
        }
    }

    /** A PostgreSQL server reached over JDBC: one the user named, or an embedded one this run started. */
    private static final class PgServer implements AutoCloseable {
        private final String jdbcUrl;
        private final String user;
        private final String password;
        private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres embedded;

        private PgServer(String jdbcUrl, String user, String password, io.zonky.test.db.postgres.embedded.EmbeddedPostgres embedded) {
            this.jdbcUrl = jdbcUrl;
            this.user = user;
            this.password = password;
            this.embedded = embedded;
        }

        /** A server named by a {@code jdbc:postgresql:} or {@code postgresql://} URL. */
        static PgServer external(String url) {
            if (url.startsWith("jdbc:postgresql:")) {
                return new PgServer(url, null, null, null);
            }
            if (!PostgresUrl.isLibpqForm(url)) {
                throw new IllegalArgumentException("--db must be a jdbc:postgresql:// or postgresql:// URL for --store postgres");
            }
            PostgresUrl parsed = PostgresUrl.parse(url);
            return new PgServer(parsed.jdbcUrl(), parsed.user().orElse(null), parsed.password().orElse(null), null);
        }

        /**
         * An embedded PostgreSQL (the binaries come with the CLI), configured durable: fsync and
         * synchronous_commit on, whatever the library's defaults are. The larger WAL only spaces out
         * checkpoints; it trades disk space, not durability.
         */
        static PgServer embedded() {
            try {
                var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "on")
                        .setServerConfig("synchronous_commit", "on")
                        .setServerConfig("full_page_writes", "on")
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("shared_buffers", "512MB")
                        .setServerConfig("max_wal_size", "4GB")
                        .start();
                return new PgServer("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres", "postgres", null, pg);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
            }
        }

        void execute(String sql) {
            Properties props = new Properties();
            if (user != null) {
                props.setProperty("user", user);
            }
            if (password != null) {
                props.setProperty("password", password);
            }
            try (Connection c = DriverManager.getConnection(jdbcUrl, props); Statement st = c.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                throw new StoreException("bench setup failed (" + sql + "): " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (embedded != null) {
                try {
                    embedded.close();
                } catch (IOException e) {
                    System.err.println("tally bench: stopping the embedded PostgreSQL failed: " + e.getMessage());
                }
            }
        }
    }
}
