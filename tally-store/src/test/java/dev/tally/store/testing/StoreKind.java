package dev.tally.store.testing;

import java.io.IOException;
import java.nio.file.Files;

/** The two real stores every store-level test runs on. */
public enum StoreKind {
    SQLITE,
    POSTGRES;

    /** The location ({@code --db} value) of a new, empty store of this kind: a file in a new temp directory, or a new database. */
    public String freshLocation() {
        return switch (this) {
            case SQLITE -> {
                try {
                    java.nio.file.Path dir = Files.createTempDirectory("tally-test-");
                    dir.toFile().deleteOnExit();
                    yield dir.resolve("tally.db").toString();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            case POSTGRES -> EmbeddedPostgres.freshDatabase();
        };
    }
}
