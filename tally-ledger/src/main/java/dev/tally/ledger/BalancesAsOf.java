package dev.tally.ledger;

import dev.tally.core.money.Money;
import java.util.Map;

/**
 * An account's balances just after entry {@code seq}, per currency it had touched by then: what was
 * available, what it had reserved to send (pending_out) and what it could receive (pending_in).
 */
public record BalancesAsOf(
        long seq, Map<String, Money> available, Map<String, Money> pendingOut, Map<String, Money> pendingIn) {
    public BalancesAsOf {
        available = Map.copyOf(available);
        pendingOut = Map.copyOf(pendingOut);
        pendingIn = Map.copyOf(pendingIn);
    }
}
