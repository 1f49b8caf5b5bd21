package dev.tally.ledger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** A point of the ledger's history: just after entry {@code seq}, or just after the last entry written by a time. */
public sealed interface AsOf {
    /** Just after the entry at this position of the chain (0: before the first entry). */
    record Seq(long seq) implements AsOf {
        public Seq {
            if (seq < 0) {
                throw new IllegalArgumentException("a position in the chain is 0 or more, not " + seq);
            }
        }
    }

    /** Just after the last entry written at or before this time. */
    record Time(Instant at) implements AsOf {}

    /**
     * Reads a sequence number ({@code 1042}) or an ISO-8601 time with its offset ({@code 2026-03-01T00:00:00Z},
     * {@code 2026-03-01T09:00:00+09:00}).
     *
     * @throws IllegalArgumentException when the text is neither
     */
    static AsOf parse(String text) {
        String t = text.strip();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            try {
                return new Seq(Long.parseLong(t));
            } catch (NumberFormatException tooLong) {
                throw new IllegalArgumentException("as_of " + t + " is not a position in the chain");
            }
        }
        try {
            return new Time(OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "as_of must be an entry's sequence number or an ISO-8601 time with an offset, such as"
                            + " 2026-03-01T00:00:00Z");
        }
    }
}
