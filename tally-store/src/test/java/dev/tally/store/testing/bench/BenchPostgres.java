package dev.tally.store.testing.bench;

import dev.tally.core.error.StoreException;
import dev.tally.store.PostgresUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;

/**
 * A PostgreSQL server {@code tally bench} creates its scratch schemas on: one the user named, or an embedded
 * one the run started (zonky). It lives beside the store because it is SQL by nature; the bench jar carries
 * it, the production jar does not.
 */
public final class BenchPostgres implements AutoCloseable {
    private final String jdbcUrl;
    private final Optional<String> user;
    private final Optional<String> password;
    private final Optional<io.zonky.test.db.postgres.embedded.EmbeddedPostgres> embedded;

    private BenchPostgres(
            String jdbcUrl,
            Optional<String> user,
            Optional<String> password,
            Optional<io.zonky.test.db.postgres.embedded.EmbeddedPostgres> embedded) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    /** A server named by a {@code jdbc:postgresql:} or {@code postgresql://} URL. */
    public static BenchPostgres external(String url) {
        if (url.startsWith("jdbc:postgresql:")) {
            return new BenchPostgres(url, Optional.empty(), Optional.empty(), Optional.empty());
        }
        if (!PostgresUrl.isLibpqForm(url)) {
            throw new IllegalArgumentException(
                    "--db must be a jdbc:postgresql:// or postgresql:// URL for --store postgres");
        }
        PostgresUrl parsed = PostgresUrl.parse(url);
        return new BenchPostgres(parsed.jdbcUrl(), parsed.user(), parsed.password(), Optional.empty());
    }

    /**
     * An embedded PostgreSQL (the binaries come with the bench jar), configured durable: fsync and
     * synchronous_commit on, whatever the library's defaults are. The checkpoint settings are the ones
     * docs/OPERATIONS.md recommends for production: the larger WAL and the longer timeout only space out
     * checkpoints; they trade disk space and recovery time, not durability.
     */
    public static BenchPostgres embedded() {
        try {
            var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("shared_buffers", "512MB")
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("checkpoint_timeout", "15min")
                    .setServerConfig("checkpoint_completion_target", "0.9")
                    .start();
            return new BenchPostgres(
                    "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres",
                    Optional.of("postgres"),
                    Optional.empty(),
                    Optional.of(pg));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Whether this run started the server. */
    public boolean isEmbedded() {
        return embedded.isPresent();
    }

    /** The location ({@code --db} value) of the schema {@code schema} on this server, user and password included. */
    public String locationOf(String schema) {
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema
                + user.map(u -> "&user=" + u).orElse("")
                + password.map(p -> "&password=" + p).orElse("");
    }

    /** Creates the (empty) schema {@code schema}. */
    public void createSchema(String schema) {
        execute("CREATE SCHEMA " + schema);
    }

    /** Drops the schema {@code schema} and everything in it, if it is there. */
    public void dropSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private void execute(String sql) {
        Properties props = new Properties();
        user.ifPresent(u -> props.setProperty("user", u));
        password.ifPresent(p -> props.setProperty("password", p));
        try (Connection c = DriverManager.getConnection(jdbcUrl, props);
                Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw new StoreException("bench setup failed (" + sql + "): " + e.getMessage(), e);
        }
    }

    /** Stops the server if this run started it. */
    @Override
    public void close() {
        if (embedded.isPresent()) {
            try {
                embedded.get().close();
            } catch (IOException e) {
                System.err.println("tally bench: stopping the embedded PostgreSQL failed: " + e.getMessage());
            }
        }
    }
}
