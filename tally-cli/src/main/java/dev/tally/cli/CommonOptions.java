package dev.tally.cli;

import dev.tally.store.Stores;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options every command takes: where the ledger is, and whether to answer in JSON. */
public final class CommonOptions {
    /** The environment variable that names the store when {@code --db} is not given. */
    public static final String DB_ENV = "TALLY_DB_URL";

    @Option(
            names = "--db",
            paramLabel = "DB",
            order = 100,
            description =
                    "The store: a SQLite file path or jdbc:sqlite: URL, or a PostgreSQL URL (jdbc:postgresql: or postgresql:)."
                            + " Default: $" + DB_ENV + ", else tally-data/tally.db.")
    String db;

    @Option(names = "--json", order = 101, description = "Print JSON for machines instead of text for people.")
    boolean json;

    /** Where the ledger is: {@code --db}, else {@code $TALLY_DB_URL}, else the embedded default file. */
    public String location() {
        return explicitLocation()
                .or(() -> Optional.ofNullable(System.getenv(DB_ENV)).filter(s -> !s.isBlank()))
                .orElse(Stores.DEFAULT_SQLITE.toString());
    }

    /** The {@code --db} value, when one was given on the command line. */
    public Optional<String> explicitLocation() {
        return Optional.ofNullable(db).filter(s -> !s.isBlank());
    }

    public boolean json() {
        return json;
    }

    /**
     * These options, with those given before the command name ({@code tally --db X supply}) filling in
     * what was not given after it; the nearer one wins.
     */
    public CommonOptions orElse(CommonOptions outer) {
        CommonOptions merged = new CommonOptions();
        merged.db = explicitLocation().orElse(outer.db);
        merged.json = json || outer.json;
        return merged;
    }
}
