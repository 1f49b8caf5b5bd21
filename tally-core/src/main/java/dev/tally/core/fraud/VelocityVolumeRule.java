package dev.tally.core.fraud;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** More than X of a currency sent by one account within a window; only currencies with a limit count. */
final class VelocityVolumeRule implements FraudRule {
    private final RuleSettings.VelocityVolume settings;
    /** Per sender and currency, its payments in the window with their running total (not summed per check). */
    private final Map<Key, TimeWindow> sent = new HashMap<>();

    VelocityVolumeRule(RuleSettings.VelocityVolume settings) {
        this.settings = settings;
    }

    @Override
    public RuleSettings settings() {
        return settings;
    }

    @Override
    public Optional<Finding> check(Payment p, Review review) {
        Long limit = settings.maxMinor().get(p.currency());
        if (limit == null) {
            return Optional.empty();
        }
        TimeWindow window = sent.get(new Key(p.sender(), p.currency()));
        long total = p.amountMinor();
        if (window != null) {
            window.dropBefore(TimeWindow.nanos(p.at().minus(settings.window())));
            total += window.total();
        }
        if (total <= limit) {
            return Optional.empty();
        }
        if (review.underReview(this, p.sender(), p.at())) {
            return Optional.empty();
        }
        return Optional.of(finding(
                p,
                p.sender(),
                List.of(p.transactionId()),
                "sent " + total + " minor units of " + p.currency() + " within " + settings.window() + " (limit "
                        + limit + ")"));
    }

    @Override
    public void record(Payment p) {
        if (settings.maxMinor().containsKey(p.currency())) {
            sent.computeIfAbsent(new Key(p.sender(), p.currency()), k -> new TimeWindow())
                    .add(TimeWindow.nanos(p.at()), p.amountMinor());
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

    private record Key(UUID account, String currency) {}
}
