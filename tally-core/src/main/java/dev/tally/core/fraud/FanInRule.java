package dev.tally.core.fraud;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A farm funnel: one player receives from many distinct weak senders (new, or barely active) within a
 * window. The finding is about the receiver; the action applies to the payment being decided.
 */
final class FanInRule implements FraudRule {
    private final RuleSettings.FanIn settings;
    /** Per sender, the times of its newest payments, at most {@code min_activity} of them. */
    private final Map<UUID, TimeWindow> activity = new HashMap<>();
    /** Per receiver, its weak senders in insertion (time) order, with their latest payment. */
    private final Map<UUID, LinkedHashMap<UUID, Stamped<String>>> weakSenders = new HashMap<>();

    private static final int MAX_LISTED = 20;

    FanInRule(RuleSettings.FanIn settings) {
        this.settings = settings;
    }

    @Override
    public RuleSettings settings() {
        return settings;
    }

    /** New, or fewer than {@code min_activity} payments within the activity window before this one. */
    private boolean weak(Payment p) {
        if (p.senderFacts().openedAt().plus(settings.newSenderAge()).isAfter(p.at())) {
            return true;
        }
        TimeWindow past = activity.get(p.sender());
        return past == null
                || past.dropBefore(TimeWindow.nanos(p.at().minus(settings.activityWindow()))) < settings.minActivity();
    }

    @Override
    public Optional<Finding> check(Payment p, Review review) {
        if (p.senderFacts().system() || p.receiverFacts().system() || !weak(p)) {
            return Optional.empty();
        }
        LinkedHashMap<UUID, Stamped<String>> senders = weakSenders.get(p.receiver());
        int distinct = 1;
        if (senders != null) {
            prune(senders, p.at().minus(settings.window()));
            distinct += senders.containsKey(p.sender()) ? senders.size() - 1 : senders.size();
        }
        if (distinct < settings.minSenders()) {
            return Optional.empty();
        }
        if (review.underReview(this, p.receiver(), p.at())) {
            return Optional.empty();
        }
        List<String> txIds = new ArrayList<>();
        if (senders != null) {
            // The oldest few in the window are enough for a reviewer; listing all would cost O(n) per payment.
            senders.values().stream().limit(MAX_LISTED).forEach(last -> txIds.add(last.value()));
        }
        txIds.add(p.transactionId());
        return Optional.of(finding(
                p,
                p.receiver(),
                txIds,
                "received from " + distinct + " new or barely active senders within " + settings.window()
                        + " (threshold " + settings.minSenders() + ")"));
    }

    private static void prune(Map<UUID, Stamped<String>> senders, Instant cutoff) {
        Iterator<Stamped<String>> it = senders.values().iterator();
        while (it.hasNext() && it.next().at().isBefore(cutoff)) {
            it.remove();
        }
    }

    @Override
    public void record(Payment p) {
        if (!p.senderFacts().system() && !p.receiverFacts().system() && weak(p)) {
            LinkedHashMap<UUID, Stamped<String>> senders =
                    weakSenders.computeIfAbsent(p.receiver(), r -> new LinkedHashMap<>());
            senders.remove(p.sender());
            senders.put(p.sender(), new Stamped<>(p.at(), p.transactionId()));
        }
        if (settings.minActivity() > 0) {
            TimeWindow past = activity.computeIfAbsent(p.sender(), s -> new TimeWindow());
            past.add(TimeWindow.nanos(p.at()), 0);
            while (past.size() > settings.minActivity()) {
                past.dropOldest();
            }
        }
    }

    @Override
    public void sweep(Instant now) {
        TimeWindow.sweep(activity, TimeWindow.nanos(now.minus(settings.activityWindow())));
        Instant cutoff = now.minus(settings.window());
        Iterator<LinkedHashMap<UUID, Stamped<String>>> it = weakSenders.values().iterator();
        while (it.hasNext()) {
            LinkedHashMap<UUID, Stamped<String>> senders = it.next();
            prune(senders, cutoff);
            if (senders.isEmpty()) {
                it.remove();
            }
        }
    }

    @Override
    public int size() {
        return activity.size() + weakSenders.size();
    }
}
