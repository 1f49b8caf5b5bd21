package dev.tally.cli;

import dev.tally.ledger.ReplicaConfig;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options of a command that only reads: a read replica to read from ({@code --read-db}, else
 * {@code $TALLY_READ_DB_URL}), how far behind the primary it may be, and what to do when it cannot serve.
 * Writes, and the records of audit runs, stay on {@code --db}.
 */
public final class ReplicaOptions {
    /** The environment variable that names the read replica when {@code --read-db} is not given. */
    public static final String READ_DB_ENV = "TALLY_READ_DB_URL";

    @Option(
            names = "--read-db",
            paramLabel = "URL",
            order = 110,
            description = "Read from this replica of --db (a PostgreSQL streaming standby); writes stay on --db."
                    + " Default: $" + READ_DB_ENV + ", else read --db.")
    String readDb;

    @Option(
            names = "--replica-max-lag",
            paramLabel = "ENTRIES",
            order = 111,
            description = "The most entries the replica may be behind the primary (default "
                    + ReplicaConfig.DEFAULT_MAX_LAG_ENTRIES + ").")
    Long maxLagEntries;

    @Option(
            names = "--replica-fallback",
            paramLabel = "primary|fail",
            order = 112,
            description =
                    "When the replica is down or lags further: read the primary with a warning (default), or fail.")
    String fallback;

    /** The replica to read from, when one is given. */
    public Optional<ReplicaConfig> config() {
        Optional<String> url = Optional.ofNullable(readDb)
                .filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(System.getenv(READ_DB_ENV)).filter(s -> !s.isBlank()));
        return url.map(u -> {
            ReplicaConfig c = ReplicaConfig.of(u.trim()).withFallback(fallback());
            return maxLagEntries == null ? c : c.withMaxLagEntries(maxLagEntries);
        });
    }

    private ReplicaConfig.Fallback fallback() {
        if (fallback == null) {
            return ReplicaConfig.Fallback.PRIMARY;
        }
        return switch (fallback.trim().toLowerCase(Locale.ROOT)) {
            case "primary" -> ReplicaConfig.Fallback.PRIMARY;
            case "fail" -> ReplicaConfig.Fallback.FAIL;
            default ->
                throw new CliException(
                        ExitCodes.USAGE, "--replica-fallback must be 'primary' or 'fail', not '" + fallback + "'");
        };
    }
}
