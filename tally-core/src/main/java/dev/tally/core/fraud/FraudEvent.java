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
 * @param pendingTransactionId for a {@code hold}: the pending transfer the held payment became, which
 *     review posts or voids
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
        Optional<Instant> resolvedAt,
        Optional<String> pendingTransactionId) {
    public FraudEvent {
        transactionIds = List.copyOf(transactionIds);
    }

    /** An event that holds no payment (every action but {@code hold}). */
    public FraudEvent(
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
        this(
                id,
                rule,
                account,
                transactionIds,
                figures,
                action,
                createdAt,
                status,
                resolvedBy,
                resolvedAt,
                Optional.empty());
    }

    /** A new, open event for a {@code hold} finding, naming the pending transfer the payment became. */
    public static FraudEvent held(Finding f, Instant at, String pendingTransactionId) {
        return opened(f, at, Optional.of(pendingTransactionId));
    }

    /** A new, open event for a finding. */
    public static FraudEvent open(Finding f, Instant at) {
        return opened(f, at, Optional.empty());
    }

    private static FraudEvent opened(Finding f, Instant at, Optional<String> pendingTransactionId) {
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
                Optional.empty(),
                pendingTransactionId);
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
