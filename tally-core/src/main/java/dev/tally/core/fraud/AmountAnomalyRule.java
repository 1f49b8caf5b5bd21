package dev.tally.core.fraud;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A payment far above the sender's own history: more than k times the p95 of its last payments in that
 * currency, once it has enough of them. Each sender keeps at most {@code history_size} amounts.
 */
final class AmountAnomalyRule implements FraudRule {
    private final RuleSettings.AmountAnomaly settings;
    private final Map<Key, TimeWindow> history = new HashMap<>();

    AmountAnomalyRule(RuleSettings.AmountAnomaly settings) {
        this.settings = settings;
    }

    @Override
    public RuleSettings settings() {
        return settings;
    }

    @Override
    public Optional<Finding> check(Payment p, Review review) {
        if (p.amountMinor() < settings.minAmountMinor()) {
            return Optional.empty();
        }
        TimeWindow past = history.get(new Key(p.sender(), p.currency()));
        if (past == null
                || past.dropBefore(TimeWindow.nanos(p.at().minus(settings.historyWindow()))) < settings.minHistory()) {
            return Optional.empty();
        }
        long p95 = p95(past);
        if (p.amountMinor() <= settings.factor() * p95) {
            return Optional.empty();
        }
        if (review.underReview(this, p.sender(), p.at())) {
            return Optional.empty();
        }
        return Optional.of(finding(
                p,
                p.sender(),
                List.of(p.transactionId()),
                "payment of " + p.amountMinor() + " " + p.currency() + " is more than " + settings.factor()
                        + " x the sender's p95 of " + p95 + " over its last " + past.size() + " payments"));
    }

    /** The 95th percentile (nearest rank) of the amounts in the window. */
    static long p95(TimeWindow window) {
        long[] amounts = window.values();
        Arrays.sort(amounts);
        int rank = (int) Math.ceil(0.95 * amounts.length);
        return amounts[Math.max(0, rank - 1)];
    }

    @Override
    public void record(Payment p) {
        TimeWindow past = history.computeIfAbsent(new Key(p.sender(), p.currency()), k -> new TimeWindow());
        past.add(TimeWindow.nanos(p.at()), p.amountMinor());
        while (past.size() > settings.historySize()) {
            past.dropOldest();
        }
    }

    @Override
    public void sweep(Instant now) {
        TimeWindow.sweep(history, TimeWindow.nanos(now.minus(settings.historyWindow())));
    }

    @Override
    public int size() {
        return history.size();
    }

    private record Key(UUID account, String currency) {}
}
