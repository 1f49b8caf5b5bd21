package dev.tally.core.fraud;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A mule: an account that received at least X from players within a window and sends at least p% of it
 * on to players within the same window. Payments to or from system accounts (shops, the game) are
 * commerce and do not count.
 */
final class PassThroughRule implements FraudRule {
    private static final int MAX_LISTED = 20;
    private final RuleSettings.PassThrough settings;
    private final Map<Key, Flows> received = new HashMap<>();
    private final Map<Key, Flows> sent = new HashMap<>();

    PassThroughRule(RuleSettings.PassThrough settings) {
        this.settings = settings;
    }

    @Override
    public RuleSettings settings() {
        return settings;
    }

    private static boolean betweenPlayers(Payment p) {
        return !p.senderFacts().system() && !p.receiverFacts().system();
    }

    @Override
    public Optional<Finding> check(Payment p, Review review) {
        if (!betweenPlayers(p)) {
            return Optional.empty();
        }
        Key key = new Key(p.sender(), p.currency());
        long cutoff = TimeWindow.nanos(p.at().minus(settings.window()));
        long in = total(received.get(key), cutoff);
        if (in < settings.minReceivedMinor()) {
            return Optional.empty();
        }
        long out = total(sent.get(key), cutoff) + p.amountMinor();
        // out / in >= percent / 100, without rounding
        if (out * 100 < (long) settings.percent() * in) {
            return Optional.empty();
        }
        if (review.underReview(this, p.sender(), p.at())) {
            return Optional.empty();
        }
        List<String> txIds = new ArrayList<>();
        Flows ins = received.get(key);
        if (ins != null) {
            for (String txId : ins.transactionIds) {
                if (txIds.size() == MAX_LISTED) {
                    break;
                }
                txIds.add(txId);
            }
        }
        txIds.add(p.transactionId());
        return Optional.of(finding(
                p,
                p.sender(),
                txIds,
                "received " + in + " " + p.currency() + " from players and sends on " + out + " (" + (out * 100 / in)
                        + "%) within " + settings.window()));
    }

    private static long total(@Nullable Flows flows, long cutoff) {
        return flows == null ? 0 : flows.total(cutoff);
    }

    @Override
    public void record(Payment p) {
        if (!betweenPlayers(p)) {
            return;
        }
        long at = TimeWindow.nanos(p.at());
        received.computeIfAbsent(new Key(p.receiver(), p.currency()), k -> new Flows())
                .add(at, p.amountMinor(), p.transactionId());
        Key senderKey = new Key(p.sender(), p.currency());
        // Only an account that received something within the window can pass it through: others need no
        // outgoing window. Asked of the window, not of whether a sweep has dropped the key yet, so that the
        // decision does not depend on when sweeps ran (nor on a restart, after which they run at other times).
        Flows ins = received.get(senderKey);
        if (ins != null && ins.holdsAtOrAfter(TimeWindow.nanos(p.at().minus(settings.window())))) {
            sent.computeIfAbsent(senderKey, k -> new Flows()).add(at, p.amountMinor(), p.transactionId());
        }
    }

    @Override
    public void sweep(Instant now) {
        long cutoff = TimeWindow.nanos(now.minus(settings.window()));
        received.values().removeIf(flows -> flows.emptyAfter(cutoff));
        sent.values().removeIf(flows -> flows.emptyAfter(cutoff));
    }

    @Override
    public int size() {
        return received.size() + sent.size();
    }

    private record Key(UUID account, String currency) {}

    /**
     * One account's flows one way within the window, with their running total (summed once, not per check):
     * times and amounts in a {@link TimeWindow}, the transfers' ids alongside in the same order.
     */
    private static final class Flows {
        private final TimeWindow window = new TimeWindow();
        final ArrayDeque<String> transactionIds = new ArrayDeque<>();

        void add(long at, long amountMinor, String transactionId) {
            window.add(at, amountMinor);
            transactionIds.addLast(transactionId);
        }

        /** The total of the flows at or after {@code cutoff}, forgetting the older ones. */
        long total(long cutoff) {
            int before = window.size();
            for (int dropped = before - window.dropBefore(cutoff); dropped > 0; dropped--) {
                transactionIds.pollFirst();
            }
            return window.total();
        }

        /** Whether a flow at or after {@code cutoff} is held (without forgetting the older ones). */
        boolean holdsAtOrAfter(long cutoff) {
            return window.size() > 0 && window.newest() >= cutoff;
        }

        boolean emptyAfter(long cutoff) {
            total(cutoff);
            return window.size() == 0;
        }
    }
}
