package dev.tally.core.fraud;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * A stored fraud event: a {@link Finding} with when it happened and where review stands.
 *
 * @param id the store's number for it, increasing; 0 before it is stored
 * @param resolvedBy who resolved it, once it is no longer open
 */
public record FraudEvent(
        long id,
        String rule,
        UUID account,
        List<String> transactionIds,
        String figures,
        FraudAction action,
        Instant createdAt,
        Status status,
        Optional<String> resolvedBy,
        Optional<Instant> resolvedAt) {
    public FraudEvent {
        transactionIds = List.copyOf(transactionIds);
    }

    /** A new, open event for a finding. */
    public static FraudEvent open(Finding f, Instant at) {
        return new FraudEvent(
                0,
                f.rule(),
                f.account(),
                f.transactionIds(),
                f.figures(),
                f.action(),
                at,
                Status.OPEN,
                Optional.empty(),
                Optional.empty());
    }

    /** Where review of an event stands. */
    public enum Status {
        OPEN,
        DISMISSED,
        CONFIRMED,
        RELEASED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status parse(String text) {
            for (Status s : values()) {
                if (s.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                    return s;
                }
            }
            throw new IllegalArgumentException(
                    "unknown status '" + text + "' (open, dismissed, confirmed or released)");
        }
    }
}
