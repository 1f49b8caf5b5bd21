package dev.tally.core.fraud;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** More than N payments sent by one account within a window. */
final class VelocityCountRule implements FraudRule {
    private final RuleSettings.VelocityCount settings;
    private final Map<UUID, TimeWindow> sent = new HashMap<>();

    VelocityCountRule(RuleSettings.VelocityCount settings) {
        this.settings = settings;
    }

    @Override
    public RuleSettings settings() {
        return settings;
    }

    @Override
    public Optional<Finding> check(Payment p, Review review) {
        TimeWindow window = sent.get(p.sender());
        int count = window == null ? 0 : window.dropBefore(TimeWindow.nanos(p.at().minus(settings.window())));
        if (count + 1 <= settings.maxPayments()) {
            return Optional.empty();
        }
        if (review.underReview(this, p.sender(), p.at())) {
            return Optional.empty();
        }
        return Optional.of(finding(
                p,
                p.sender(),
                List.of(p.transactionId()),
                "more than " + settings.maxPayments() + " payments within " + settings.window() + " (" + (count + 1)
                        + ")"));
    }

    @Override
    public void record(Payment p) {
        sent.computeIfAbsent(p.sender(), id -> new TimeWindow()).add(TimeWindow.nanos(p.at()), 0);
    }

    @Override
    public void sweep(Instant now) {
        TimeWindow.sweep(sent, TimeWindow.nanos(now.minus(settings.window())));
    }

    @Override
    public int size() {
        return sent.size();
    }
}
