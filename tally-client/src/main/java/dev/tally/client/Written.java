package dev.tally.client;

import java.util.Optional;

/**
 * The answer to a money movement: the entry, and whether this request wrote it ({@link Outcome#CREATED}), it
 * had been written before under the same {@code transaction_id} ({@link Outcome#REPLAYED}: nothing was written
 * now, so a retry never pays twice), or a fraud rule held the payment pending review ({@link Outcome#HELD}:
 * the entry is the pending transfer it became, nothing reached the receiver yet, and {@link #hold()} says why
 * and until when).
 */
public record Written(Entry entry, Outcome outcome, Optional<Hold> hold) {
    /** What the answer says about the payment. */
    public enum Outcome {
        CREATED,
        REPLAYED,
        HELD
    }

    /**
     * Why and until when a payment is held: the rule that held it, the fraud event a reviewer resolves (it is
     * posted on release or dismiss, voided on confirm), and when it expires, giving the amount back.
     */
    public record Hold(String rule, Optional<Long> fraudEventId, String expiresAt, String message) {}

    public Written(Entry entry, Outcome outcome) {
        this(entry, outcome, Optional.empty());
    }

    public boolean replayed() {
        return outcome == Outcome.REPLAYED;
    }

    /** Whether the payment is held pending fraud review rather than made. */
    public boolean held() {
        return outcome == Outcome.HELD;
    }
}
