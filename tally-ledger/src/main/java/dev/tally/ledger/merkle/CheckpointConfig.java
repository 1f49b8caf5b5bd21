package dev.tally.ledger.merkle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a ledger takes signed checkpoints by itself: with which key, into which witness file, and how often.
 * A checkpoint is taken when {@code everyEntries} entries were committed since the last one, or when
 * {@code every} has passed and there are new entries, whichever comes first, and once more when the ledger
 * closes. Zero turns a trigger off; {@code tally checkpoint} and {@code Ledger.checkpoint()} work either way.
 *
 * @param privateKey the signer key file ({@code tally keygen}); read when the ledger opens, never stored in the database
 * @param witness the file every checkpoint is appended to, outside the database; empty: the database only
 * @param everyEntries entries between checkpoints; 0 for no count trigger
 * @param every time between checkpoints; {@link Duration#ZERO} for no timer
 */
public record CheckpointConfig(Path privateKey, Optional<Path> witness, long everyEntries, Duration every) {
    /** Entries between automatic checkpoints by default. */
    public static final long DEFAULT_EVERY_ENTRIES = 10_000;
    /** Time between automatic checkpoints by default. */
    public static final Duration DEFAULT_EVERY = Duration.ofMinutes(1);

    public CheckpointConfig {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(witness, "witness");
        Objects.requireNonNull(every, "every");
        if (everyEntries < 0) {
            throw new IllegalArgumentException("everyEntries must not be negative: " + everyEntries);
        }
        if (every.isNegative() || (!every.isZero() && every.compareTo(Duration.ofMillis(100)) < 0)) {
            throw new IllegalArgumentException("every must be zero (off) or at least 100 ms: " + every);
        }
    }

    /** Checkpoints with {@code privateKey} into {@code witness}, every {@value #DEFAULT_EVERY_ENTRIES} entries or minute. */
    public static CheckpointConfig of(Path privateKey, Path witness) {
        return new CheckpointConfig(privateKey, Optional.of(witness), DEFAULT_EVERY_ENTRIES, DEFAULT_EVERY);
    }

    public CheckpointConfig withEveryEntries(long n) {
        return new CheckpointConfig(privateKey, witness, n, every);
    }

    public CheckpointConfig withEvery(Duration interval) {
        return new CheckpointConfig(privateKey, witness, everyEntries, interval);
    }
}
