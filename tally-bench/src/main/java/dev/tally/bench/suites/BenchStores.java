package dev.tally.bench.suites;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.core.store.LedgerStore;
import dev.tally.json.Views;
import dev.tally.store.testing.bench.BenchPostgres;
import dev.tally.store.testing.bench.BenchSql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Where a benchmark's fresh, empty stores come from, so that every measured phase starts from the same
 * state and never touches a user's ledger. SQLite stores are new files in a scratch directory; PostgreSQL
 * stores are new schemas on the server given with {@code --db} (the user needs {@code CREATE} on that
 * database), or on an embedded server started for the run. {@link #close()} removes everything it
 * created: the files, the schemas, and the embedded server.
 */
final class BenchStores implements AutoCloseable {
    private final String kind;
    /** Null for PostgreSQL stores. */
    private final @Nullable Path dir;
    /** The bench directory when this run created it (removed at close), else null. */
    private final @Nullable Path createdParent;
    /** Null for SQLite stores. */
    private final @Nullable BenchPostgres pg;

    private final List<String> schemas = new ArrayList<>();
    private int counter;

    private BenchStores(String kind, @Nullable Path dir, @Nullable Path createdParent, @Nullable BenchPostgres pg) {
        this.kind = kind;
        this.dir = dir;
        this.createdParent = createdParent;
        this.pg = pg;
    }

    /** SQLite files in a new directory under {@code dir}; {@code dir} is created, and removed at close if it was new. */
    static BenchStores sqlite(Path dir) {
        try {
            boolean fresh = !Files.exists(dir);
            Path scratch = Files.createDirectories(
                    dir.resolve("run-" + ProcessHandle.current().pid()));
            return new BenchStores("sqlite", scratch, fresh ? dir : null, null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the bench directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Schemas on the server at {@code url}, or on an embedded server when no URL is given. */
    static BenchStores postgres(Optional<String> url) {
        return new BenchStores(
                "postgres", null, null, url.map(BenchPostgres::external).orElseGet(BenchPostgres::embedded));
    }

    /** {@code sqlite} or {@code postgres}. */
    String kind() {
        return kind;
    }

    /** The location ({@code --db} value) of a new, empty store; {@code label} only makes it readable. */
    String fresh(String label) {
        int n = ++counter;
        if (pg == null) {
            return dir().resolve(label + "-" + n + ".db").toString();
        }
        String schema =
                "tally_bench_" + ProcessHandle.current().pid() + "_" + n + "_" + label.replaceAll("[^a-z0-9]", "");
        pg.createSchema(schema);
        schemas.add(schema);
        return pg.locationOf(schema);
    }

    /**
     * The location of the schema of {@code location} (a store {@link #fresh} made) on another server, a streaming
     * standby of this one, named by {@code serverUrl}: the schema arrives there by replication, not by this class.
     */
    String sameSchemaOn(String serverUrl, String location) {
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("currentSchema=([a-z0-9_]+)").matcher(location);
        if (pg == null || !m.find()) {
            throw new IllegalArgumentException("only a PostgreSQL bench store has a schema to read elsewhere");
        }
        return BenchPostgres.external(serverUrl).locationOf(m.group(1));
    }

    /** What the store is and how durable its commits are, read from a live store. */
    ObjectNode describe(LedgerStore store) {
        ObjectNode d = Views.object();
        d.put("kind", kind);
        for (Map.Entry<String, Object> setting : BenchSql.settings(store).entrySet()) {
            switch (setting.getValue()) {
                case Boolean b -> d.put(setting.getKey(), b);
                case Long n -> d.put(setting.getKey(), n);
                default -> d.put(setting.getKey(), setting.getValue().toString());
            }
        }
        if (pg == null) {
            d.put("directory", dir().toAbsolutePath().toString());
        } else {
            d.put("server", pg.isEmbedded() ? "embedded (zonky), loopback" : "given with --db");
        }
        return d;
    }

    @Override
    public void close() {
        if (pg != null) {
            try {
                for (String schema : schemas) {
                    pg.dropSchema(schema);
                }
            } finally {
                pg.close();
            }
        } else {
            deleteTree(createdParent != null ? createdParent : dir());
        }
    }

    private Path dir() {
        return Objects.requireNonNull(dir, "only SQLite stores have a directory");
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
}
