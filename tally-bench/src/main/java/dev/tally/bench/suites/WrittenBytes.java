package dev.tally.bench.suites;

import dev.tally.core.store.LedgerStore;
import dev.tally.store.testing.bench.BenchSql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * How many bytes a store has made the disk take so far, to say how much of a phase's cost is the disk:
 * for SQLite, what this process wrote to storage ({@code /proc/self/io}, Linux only); for PostgreSQL, the WAL
 * the server generated ({@code pg_stat_wal}, PostgreSQL 14 and later). Empty where the system does not tell.
 */
final class WrittenBytes {
    private WrittenBytes() {}

    /** The counter for {@code store}'s kind, or empty. */
    static OptionalLong sofar(LedgerStore store) {
        return BenchSql.isPostgres(store) ? BenchSql.walBytes(store) : processWriteBytes();
    }

    /** The JSON field name of a per-entry figure of {@code store}'s kind. */
    static String perEntryName(LedgerStore store) {
        return BenchSql.isPostgres(store) ? "wal_bytes_per_entry" : "bytes_written_per_entry";
    }

    /** Words for a per-entry figure of {@code store}'s kind. */
    static String perEntryText(LedgerStore store, long bytesPerEntry) {
        return Format.count(bytesPerEntry / 1024.0)
                + (BenchSql.isPostgres(store) ? " KiB of WAL per entry" : " KiB written per entry");
    }

    private static OptionalLong processWriteBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("write_bytes:")) {
                    return OptionalLong.of(Long.parseLong(
                            line.substring("write_bytes:".length()).trim()));
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
