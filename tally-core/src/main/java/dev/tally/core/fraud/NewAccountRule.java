package dev.tally.core.fraud;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Lower limits for young accounts: fewer payments per window, and a smaller single payment. */
final class NewAccountRule implements FraudRule {
    private final RuleSettings.NewAccount settings;
    private final Map<UUID, TimeWindow> sent = new HashMap<>();

    NewAccountRule(RuleSettings.NewAccount settings) {
        this.settings = settings;
    }

    @Override
    public RuleSettings settings() {
        return settings;
    }

    private boolean young(Payment p) {
        return p.senderFacts().openedAt().plus(settings.maxAge()).isAfter(p.at());
    }

    @Override
    public Optional<Finding> check(Payment p, Review review) {
        if (!young(p)) {
            return Optional.empty();
        }
        if (p.amountMinor() > settings.maxSingleMinor()) {
            if (review.underReview(this, p.sender(), p.at())) {
                return Optional.empty();
            }
            return Optional.of(finding(
                    p,
                    p.sender(),
                    List.of(p.transactionId()),
                    "account younger than " + settings.maxAge() + " sends " + p.amountMinor() + " minor units (limit "
                            + settings.maxSingleMinor() + ")"));
        }
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
                "account younger than " + settings.maxAge() + " sends more than " + settings.maxPayments()
                        + " payments within " + settings.window()));
    }

    @Override
    public void record(Payment p) {
        if (young(p)) {
            sent.computeIfAbsent(p.sender(), id -> new TimeWindow()).add(TimeWindow.nanos(p.at()), 0);
        }
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
