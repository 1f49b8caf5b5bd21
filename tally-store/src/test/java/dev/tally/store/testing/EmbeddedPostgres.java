package dev.tally.store.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One PostgreSQL server for the whole test JVM: the embedded binaries from Maven Central by default, or
 * the server named by {@code TALLY_TEST_PG_URL} (a JDBC URL whose user may create databases). Each test
 * gets a fresh database on it, so tests never see each other's rows.
 */
public final class EmbeddedPostgres {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static volatile Server server;

    private EmbeddedPostgres() {}

    /** A JDBC URL of a new, empty database. */
    public static String freshDatabase() {
        Server s = server();
        String name = "tally_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
        try (Connection c = DriverManager.getConnection(s.adminUrl, s.user, s.password);
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database: " + e.getMessage(), e);
        }
        return s.urlFor(name);
    }

    private static Server server() {
        Server s = server;
        if (s == null) {
            synchronized (EmbeddedPostgres.class) {
                s = server;
                if (s == null) {
                    s = start();
                    server = s;
                }
            }
        }
        return s;
    }

    private static Server start() {
        String external = System.getenv("TALLY_TEST_PG_URL");
        if (external != null && !external.isBlank()) {
            return Server.external(external);
        }
        try {
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg =
                    io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                            .setServerConfig("fsync", "on")
                            .setServerConfig("synchronous_commit", "on")
                            .setServerConfig("max_connections", "300")
                            .setServerConfig("shared_buffers", "256MB")
                            .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (java.io.IOException ignored) {
                    // the JVM is exiting; the temp directory is removed by the library
                }
            }));
            String base = "jdbc:postgresql://localhost:" + pg.getPort() + "/";
            return new Server(base + "postgres", base, "postgres", "postgres", "");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot start embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** Where the server is and who we are on it. */
    private record Server(String adminUrl, String base, String suffix, String user, String password) {
        static Server external(String url) {
            int slash = url.indexOf('/', "jdbc:postgresql://".length());
            int query = url.indexOf('?');
            String base = url.substring(0, slash + 1);
            String params = query >= 0 ? url.substring(query) : "";
            return new Server(url, base, params, null, null);
        }

        String urlFor(String db) {
            if (user != null) {
                return base + db + "?user=" + user;
            }
            return base + db + suffix;
        }
    }
}
