package dev.tally.core.fraud;

import dev.tally.core.ledger.LedgerEntry;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Watches the payments each account sends and says when one looks like fraud, per a {@link FraudPolicy}.
 * It remembers committed payments in a sliding window per sender (memory bounded by the senders active
 * within one window); payments of the batch being decided are counted by the caller. Used only by the
 * sequencer's writer thread. The windows start empty after a restart: the shield is a tripwire, not a
 * record, and the freeze it causes is an ordinary, versioned account change.
 */
public final class FraudShield {
    private final FraudPolicy policy;
    private final Map<UUID, ArrayDeque<Instant>> recent = new HashMap<>();

    public FraudShield(FraudPolicy policy) {
        this.policy = policy;
    }

    public FraudPolicy policy() {
        return policy;
    }

    /**
     * Why a payment of {@code amountMinor} by {@code sender} at {@code now} is suspicious, if it is.
     *
     * @param pendingInBatch the sender's payments already accepted in the batch being decided
     */
    public Optional<String> assess(UUID sender, long amountMinor, int pendingInBatch, Instant now) {
        if (amountMinor > policy.maxSingleMinor()) {
            return Optional.of("fraud shield: single payment of " + amountMinor + " minor units exceeds "
                    + policy.maxSingleMinor());
        }
        ArrayDeque<Instant> times = recent.get(sender);
        int committed = times == null ? 0 : countSince(times, now.minus(policy.window()));
        if (committed + pendingInBatch + 1 > policy.maxPaymentsPerWindow()) {
            return Optional.of(
                    "fraud shield: more than " + policy.maxPaymentsPerWindow() + " payments within " + policy.window());
        }
        return Optional.empty();
    }

    /** Remembers a committed entry (only payments count). */
    public void committed(LedgerEntry entry) {
        if (!entry.type().isPayment() || entry.senderId().isEmpty()) {
            return;
        }
        ArrayDeque<Instant> times = recent.computeIfAbsent(entry.senderId().get(), id -> new ArrayDeque<>());
        times.addLast(entry.createdAt());
        countSince(times, entry.createdAt().minus(policy.window()));
        if (recent.size() > 100_000) {
            Instant cutoff = entry.createdAt().minus(policy.window());
            recent.values().removeIf(q -> countSince(q, cutoff) == 0);
        }
    }

    private static int countSince(ArrayDeque<Instant> times, Instant cutoff) {
        while (!times.isEmpty() && times.peekFirst().isBefore(cutoff)) {
            times.pollFirst();
        }
        return times.size();
    }
}
