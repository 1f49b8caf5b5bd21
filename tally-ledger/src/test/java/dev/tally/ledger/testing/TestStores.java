package dev.tally.ledger.testing;

import dev.tally.core.engine.Rules;
import dev.tally.ledger.Ledger;
import dev.tally.ledger.LedgerConfig;
import dev.tally.store.StoreOptions;
import dev.tally.store.testing.EmbeddedPostgres;
import dev.tally.store.testing.StoreKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** Fresh, real stores for tests: a new SQLite file in a temp directory, or a new PostgreSQL database. */
public final class TestStores {
    private TestStores() {}

    /** A location string ({@code --db} value) of a new, empty store of the given kind. */
    public static String freshLocation(StoreKind kind) {
        return switch (kind) {
            case SQLITE -> freshSqliteFile().toString();
            case POSTGRES -> EmbeddedPostgres.freshDatabase();
        };
    }

    /** A path for a new SQLite file (the file itself does not exist yet). */
    public static Path freshSqliteFile() {
        try {
            Path dir = Files.createTempDirectory("tally-test-");
            dir.toFile().deleteOnExit();
            return dir.resolve("tally.db");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A ledger with default rules on a new store of the given kind. */
    public static Ledger freshLedger(StoreKind kind) {
        return Ledger.open(config(kind));
    }

    /** The configuration of a ledger on a new store of the given kind. */
    public static LedgerConfig config(StoreKind kind) {
        return LedgerConfig.defaults()
                .withLocation(freshLocation(kind))
                .withRules(Rules.defaults())
                .withClock(Clock.systemUTC())
                .withStoreOptions(StoreOptions.DEFAULTS);
    }
}
