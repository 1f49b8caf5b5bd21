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
    public Optional<Finding> check(Payment p) {
        if (!betweenPlayers(p)) {
            return Optional.empty();
        }
        Key key = new Key(p.sender(), p.currency());
        Instant cutoff = p.at().minus(settings.window());
        long in = total(received.get(key), cutoff);
        if (in < settings.minReceivedMinor()) {
            return Optional.empty();
        }
        long out = total(sent.get(key), cutoff) + p.amountMinor();
        // out / in >= percent / 100, without rounding
        if (out * 100 < (long) settings.percent() * in) {
            return Optional.empty();
        }
        List<String> txIds = new ArrayList<>();
        Flows ins = received.get(key);
        if (ins != null) {
            ins.window.stream()
                    .limit(MAX_LISTED)
                    .forEach(s -> txIds.add(s.value().transactionId()));
        }
        txIds.add(p.transactionId());
        return Optional.of(finding(
                p,
                p.sender(),
                txIds,
                "received " + in + " " + p.currency() + " from players and sends on " + out + " (" + (out * 100 / in)
                        + "%) within " + settings.window()));
    }

    private static long total(@Nullable Flows flows, Instant cutoff) {
        return flows == null ? 0 : flows.total(cutoff);
    }

    @Override
    public void record(Payment p) {
        if (!betweenPlayers(p)) {
            return;
        }
        Flow flow = new Flow(p.transactionId(), p.amountMinor());
        received.computeIfAbsent(new Key(p.receiver(), p.currency()), k -> new Flows())
                .add(new Stamped<>(p.at(), flow));
        Key senderKey = new Key(p.sender(), p.currency());
        // Only an account that received something can pass it through: others need no outgoing window.
        if (received.containsKey(senderKey)) {
            sent.computeIfAbsent(senderKey, k -> new Flows()).add(new Stamped<>(p.at(), flow));
        }
    }

    @Override
    public void sweep(Instant now) {
        Instant cutoff = now.minus(settings.window());
        received.values().removeIf(flows -> flows.emptyAfter(cutoff));
        sent.values().removeIf(flows -> flows.emptyAfter(cutoff));
    }

    @Override
    public int size() {
        return received.size() + sent.size();
    }

    private record Key(UUID account, String currency) {}

    private record Flow(String transactionId, long amountMinor) {}

    /** One account's flows one way within the window, with their running total (summed once, not per check). */
    private static final class Flows {
        final ArrayDeque<Stamped<Flow>> window = new ArrayDeque<>();
        private long total;

        void add(Stamped<Flow> flow) {
            window.addLast(flow);
            total += flow.value().amountMinor();
        }

        /** The total of the flows at or after {@code cutoff}, forgetting the older ones. */
        long total(Instant cutoff) {
            while (!window.isEmpty() && window.peekFirst().at().isBefore(cutoff)) {
                total -= window.pollFirst().value().amountMinor();
            }
            return total;
        }

        boolean emptyAfter(Instant cutoff) {
            total(cutoff);
            return window.isEmpty();
        }
    }
}
