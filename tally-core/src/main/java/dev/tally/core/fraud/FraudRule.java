package dev.tally.core.fraud;

import java.time.Instant;
import java.util.Optional;

/**
 * One rule of the shield with the windows it keeps. It is told every payment that takes effect, in ledger
 * order ({@link #record}), and asked about each payment being decided ({@link #check}). Its memory holds
 * only what its window still needs: {@link #sweep} drops the rest.
 */
interface FraudRule {
    RuleSettings settings();

    /**
     * What this rule finds suspicious about {@code payment}, given what it has recorded. A finding that
     * {@code review} says is already under review is left out (the shield would drop it) before its
     * figures and transfers are put together.
     */
    Optional<Finding> check(Payment payment, Review review);

    /** Takes in a payment that takes effect. */
    void record(Payment payment);

    /** Forgets everything no window open at {@code now} needs. */
    void sweep(Instant now);

    /** How many keys (accounts, origins) the rule holds: what bounded memory is measured by. */
    int size();

    /** Whether a flag of a rule on an account is still under review, so that a repeat opens nothing. */
    @FunctionalInterface
    interface Review {
        boolean underReview(FraudRule rule, java.util.UUID account, Instant at);
    }

    default Finding finding(Payment payment, java.util.UUID account, java.util.List<String> txIds, String figures) {
        return new Finding(settings().name(), settings().action(), account, txIds, figures);
    }
}
