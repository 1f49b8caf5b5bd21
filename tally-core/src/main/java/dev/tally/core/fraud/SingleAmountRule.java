package dev.tally.core.fraud;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One payment above an absolute limit. Keeps no state. */
final class SingleAmountRule implements FraudRule {
    private final RuleSettings.SingleAmount settings;

    SingleAmountRule(RuleSettings.SingleAmount settings) {
        this.settings = settings;
    }

    @Override
    public RuleSettings settings() {
        return settings;
    }

    @Override
    public Optional<Finding> check(Payment p, Review review) {
        if (p.amountMinor() <= settings.maxMinor()) {
            return Optional.empty();
        }
        if (review.underReview(this, p.sender(), p.at())) {
            return Optional.empty();
        }
        return Optional.of(finding(
                p,
                p.sender(),
                List.of(p.transactionId()),
                "single payment of " + p.amountMinor() + " minor units exceeds " + settings.maxMinor()));
    }

    @Override
    public void record(Payment p) {}

    @Override
    public void sweep(Instant now) {}

    @Override
    public int size() {
        return 0;
    }
}
