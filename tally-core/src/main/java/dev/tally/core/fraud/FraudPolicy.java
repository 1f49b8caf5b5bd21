package dev.tally.core.fraud;

import java.time.Duration;
import java.util.Objects;

/**
 * When the fraud shield freezes an account (the seed's AntiFraudShield): an account that sends more than
 * {@code maxPaymentsPerWindow} payments within {@code window}, or one payment larger than
 * {@code maxSingleMinor} minor units, is frozen for fraud, and that payment is refused.
 * {@link #disabled()} never freezes.
 */
public record FraudPolicy(int maxPaymentsPerWindow, Duration window, long maxSingleMinor) {
    public FraudPolicy {
        Objects.requireNonNull(window, "window");
        if (maxPaymentsPerWindow < 1 || window.isNegative() || window.isZero() || maxSingleMinor < 1) {
            throw new IllegalArgumentException("fraud limits must be positive");
        }
    }

    /** A shield that never fires. */
    public static FraudPolicy disabled() {
        return new FraudPolicy(Integer.MAX_VALUE, Duration.ofSeconds(1), Long.MAX_VALUE);
    }

    /** Limits for a player economy that only a bot or a stolen account reaches: 600 payments a minute. */
    public static FraudPolicy playerDefaults() {
        return new FraudPolicy(600, Duration.ofMinutes(1), Long.MAX_VALUE);
    }
}
