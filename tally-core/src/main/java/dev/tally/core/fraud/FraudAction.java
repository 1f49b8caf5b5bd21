package dev.tally.core.fraud;

import java.util.Locale;

/**
 * What the shield does when a rule fires. Ordered by strength: when several rules fire on one payment,
 * the strongest action is taken.
 */
public enum FraudAction {
    /** Commit the payment and open a fraud event for review. */
    FLAG,
    /**
     * Hold the payment pending review: it becomes a pending transfer (the sender's funds are reserved,
     * nothing reaches the receiver, no tax yet) that review posts or voids, and a fraud event opens. Weaker
     * than a refusal: a payment that another rule refuses is refused, never held.
     */
    HOLD,
    /** Refuse the payment with {@code FRAUD_SUSPECTED}, write no entry, and open a fraud event. */
    REJECT,
    /** Refuse the payment, freeze the sender with the rule as the reason, and open a fraud event. */
    FREEZE;

    /** The name used in configuration and in stored events, e.g. {@code flag}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configured action; the message lists the accepted values. */
    public static FraudAction parse(String text) {
        for (FraudAction a : values()) {
            if (a.label().equals(text.trim().toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown action '" + text + "' (flag, hold, reject or freeze)");
    }
}
