package dev.tally.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL 15 primary and its streaming hot standby, for tests of reads from a replica: the primary is
 * made by {@code initdb}, the standby by {@code pg_basebackup -R} (which writes {@code primary_conninfo} and
 * {@code standby.signal}), both started with {@code wal_level=replica} and {@code hot_standby=on} on free ports.
 * Debian's binaries ({@code /usr/lib/postgresql/15/bin}, or {@code $TALLY_PG15_BIN}) refuse to run as root, so as
 * root they run as the {@code postgres} OS user. Starting a pair takes a few seconds: share one per test class.
 */
public final class StreamingStandby implements AutoCloseable {
    /** The script that installs the binaries; a test that cannot find them fails naming it. */
    public static final String INSTALL_SCRIPT = "scripts/install/postgres15.sh";

    private static final String OS_USER = "postgres";
    private final Path bin;
    private final Path work;
    private final Path primaryData;
    private final Path standbyData;
    private final int primaryPort;
    private final int standbyPort;
    private boolean standbyRunning;

    private StreamingStandby(Path bin, Path work) throws IOException {
        this.bin = bin;
        this.work = work;
        this.primaryData = work.resolve("primary");
        this.standbyData = work.resolve("standby");
        this.primaryPort = freePort();
        this.standbyPort = freePort();
    }

    /** Starts a primary with a database {@code tally} and a hot standby streaming from it. */
    public static StreamingStandby start() {
        Path bin = binaries();
        try {
            Path work = Files.createTempDirectory("tally-standby");
            StreamingStandby pair = new StreamingStandby(bin, work);
            try {
                pair.startPair();
                return pair;
            } catch (RuntimeException | IOException e) {
                pair.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path binaries() {
        String env = System.getenv("TALLY_PG15_BIN");
        Path bin = Path.of(env != null && !env.isBlank() ? env : "/usr/lib/postgresql/15/bin");
        for (String tool : List.of("initdb", "pg_ctl", "pg_basebackup", "postgres")) {
            if (!Files.isExecutable(bin.resolve(tool))) {
                throw new IllegalStateException("PostgreSQL 15's " + tool + " is missing from " + bin + ": run "
                        + INSTALL_SCRIPT + " (test.sh runs it)");
            }
        }
        return bin;
    }

    private void startPair() throws IOException {
        asPostgresOwner(work);
        run(tool("initdb"), "-D", primaryData.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8");
        Files.writeString(
                primaryData.resolve("pg_hba.conf"),
                "local all all trust\nhost all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n",
                StandardCharsets.UTF_8);
        startServer(primaryData, primaryPort);
        sql(primaryUrl("postgres"), "CREATE DATABASE tally");
        run(
                tool("pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                String.valueOf(primaryPort),
                "-U",
                "postgres",
                "-D",
                standbyData.toString(),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast");
        startServer(standbyData, standbyPort);
        standbyRunning = true;
    }

    private void startServer(Path data, int port) {
        run(
                tool("pg_ctl"),
                "-D",
                data.toString(),
                "-l",
                data.resolve("server.log").toString(),
                "-w",
                "-t",
                "60",
                "-o",
                "-p " + port + " -k " + data + " -c listen_addresses=127.0.0.1 -c wal_level=replica"
                        + " -c hot_standby=on -c max_wal_senders=4 -c fsync=off -c wal_receiver_status_interval=1s"
                        + " -c shared_buffers=32MB",
                "start");
    }

    private String tool(String name) {
        return bin.resolve(name).toString();
    }

    /** The primary's {@code tally} database, as a JDBC URL with its user. */
    public String primaryUrl() {
        return primaryUrl("tally");
    }

    /** The standby's {@code tally} database, as a JDBC URL with its user. */
    public String standbyUrl() {
        return standbyUrl("tally");
    }

    /** The primary's database {@code database}, as a JDBC URL with its user. */
    public String primaryUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + primaryPort + "/" + database + "?user=postgres";
    }

    /** The standby's database {@code database}, as a JDBC URL with its user. */
    public String standbyUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + standbyPort + "/" + database + "?user=postgres";
    }

    /**
     * Creates an empty database on the primary (the standby replays it), so that tests sharing a pair need not
     * share a ledger.
     */
    public void createDatabase(String database) {
        if (!database.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        sql(primaryUrl("postgres"), "CREATE DATABASE " + database);
    }

    /** Waits until the standby has replayed everything the primary has written so far. */
    public void awaitCaughtUp(Duration timeout) {
        String target = query(primaryUrl(), "SELECT pg_current_wal_lsn()::text");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            String caughtUp =
                    query(standbyUrl(), "SELECT (pg_last_wal_replay_lsn() >= '" + target + "'::pg_lsn)::text");
            if ("true".equals(caughtUp)) {
                return;
            }
            sleep(20);
        }
        throw new IllegalStateException("the standby did not replay up to " + target + " within " + timeout);
    }

    /** Stops replaying WAL on the standby: it still answers reads, at the position it stopped at. */
    public void pauseReplay() {
        query(standbyUrl(), "SELECT pg_wal_replay_pause()::text");
    }

    /** Resumes replaying WAL on the standby. */
    public void resumeReplay() {
        query(standbyUrl(), "SELECT pg_wal_replay_resume()::text");
    }

    /** Stops the standby (fast shutdown); {@link #startStandby()} brings it back. */
    public void stopStandby() {
        if (standbyRunning) {
            run(tool("pg_ctl"), "-D", standbyData.toString(), "-m", "fast", "-w", "stop");
            standbyRunning = false;
        }
    }

    /** Starts the standby again after {@link #stopStandby()}. */
    public void startStandby() {
        if (!standbyRunning) {
            startServer(standbyData, standbyPort);
            standbyRunning = true;
        }
    }

    @Override
    public void close() {
        for (Path data : List.of(standbyData, primaryData)) {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                try {
                    run(tool("pg_ctl"), "-D", data.toString(), "-m", "immediate", "-w", "stop");
                } catch (RuntimeException e) {
                    // Best effort: the directory goes anyway.
                }
            }
        }
        deleteTree(work);
    }

    private static String query(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return String.valueOf(rs.getString(1));
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static void sql(String url, String sql) {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void asPostgresOwner(Path dir) {
        if (isRoot()) {
            run("chown", OS_USER, dir.toString());
            run("chmod", "700", dir.toString());
        }
    }

    private static void run(String... command) {
        List<String> line = new ArrayList<>();
        if (isRoot() && !command[0].equals("chown") && !command[0].equals("chmod")) {
            line.addAll(List.of("runuser", "-u", OS_USER, "--"));
        }
        line.addAll(List.of(command));
        try {
            Path log = Files.createTempFile("tally-standby-cmd", ".log");
            try {
                Process p = new ProcessBuilder(line)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", line) + " did not finish in 120 s");
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", line) + " failed (exit " + p.exitValue() + "): "
                            + Files.readString(log, StandardCharsets.UTF_8));
                }
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // A leftover in the temp directory is harmless.
                }
            });
        } catch (IOException e) {
            // Same.
        }
    }
}
