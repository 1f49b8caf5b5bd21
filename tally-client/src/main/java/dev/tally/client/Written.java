package dev.tally.client;

/**
 * The answer to a money movement: the entry, and whether this request wrote it ({@link Outcome#CREATED}) or it
 * had been written before under the same {@code transaction_id} ({@link Outcome#REPLAYED}: nothing was written
 * now, so a retry never pays twice).
 */
public record Written(Entry entry, Outcome outcome) {
    /** Whether the entry was written by this request or an earlier one. */
    public enum Outcome {
        CREATED,
        REPLAYED
    }

    public boolean replayed() {
        return outcome == Outcome.REPLAYED;
    }
}
