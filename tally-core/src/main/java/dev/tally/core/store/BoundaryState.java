package dev.tally.core.store;

import dev.tally.core.engine.BalanceKey;
import dev.tally.core.engine.EntryEffects;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The state a replay of the entries up to a boundary arrives at: what reconciliation of the live ledger starts
 * from once the entries before the boundary are archived.
 *
 * @param balances every balance the entries touched (zero included)
 * @param treasuryTotals the tax collected, per currency and kind
 * @param supply minted and burned per currency (version 0: not a stored row)
 */
public record BoundaryState(
        Map<BalanceKey, Long> balances, Map<TreasuryKey, Long> treasuryTotals, Map<String, Supply> supply) {
    /** The state before the first entry. */
    public static final BoundaryState EMPTY = new BoundaryState(Map.of(), Map.of(), Map.of());

    public BoundaryState {
        balances = Map.copyOf(balances);
        treasuryTotals = Map.copyOf(treasuryTotals);
        supply = Map.copyOf(supply);
    }

    /** Feeds this state into {@code sink} as effects from zero, so a replay can continue from it. */
    public void replayInto(EntryEffects.Sink sink) {
        balances.forEach((k, v) -> sink.balance(k.accountId(), k.currency(), v));
        treasuryTotals.forEach((k, v) -> sink.treasuryTotal(k.currency(), k.kind(), v));
        supply.forEach((c, s) -> sink.supply(c, s.minted(), s.burned()));
    }

    /** Replays entries on top of a state. Not thread-safe. */
    public static final class Builder implements EntryEffects.Sink {
        private final UUID treasury;
        private final Map<BalanceKey, Long> balances = new TreeMap<>(BalanceKeyOrder.INSTANCE);
        private final Map<TreasuryKey, Long> totals = new java.util.HashMap<>();
        private final Map<String, long[]> supply = new TreeMap<>();

        /** Starts from {@code from}; {@code treasury} is the treasury's account id. */
        public Builder(BoundaryState from, UUID treasury) {
            this.treasury = treasury;
            from.replayInto(this);
        }

        /** Adds the effects of {@code e}. */
        public void add(LedgerEntry e) {
            EntryEffects.apply(e, treasury, this);
        }

        @Override
        public void balance(UUID account, String currency, long delta) {
            balances.merge(new BalanceKey(account, currency), delta, Math::addExact);
        }

        @Override
        public void treasuryTotal(String currency, TaxKind kind, long delta) {
            totals.merge(new TreasuryKey(currency, kind), delta, Math::addExact);
        }

        @Override
        public void supply(String currency, long minted, long burned) {
            long[] s = supply.computeIfAbsent(currency, c -> new long[2]);
            s[0] = Math.addExact(s[0], minted);
            s[1] = Math.addExact(s[1], burned);
        }

        public BoundaryState build() {
            Map<String, Supply> s = new TreeMap<>();
            supply.forEach((c, v) -> s.put(c, new Supply(v[0], v[1], 0)));
            return new BoundaryState(balances, totals, s);
        }
    }

    private enum BalanceKeyOrder implements java.util.Comparator<BalanceKey> {
        INSTANCE;

        @Override
        public int compare(BalanceKey a, BalanceKey b) {
            int c = a.accountId().compareTo(b.accountId());
            return c != 0 ? c : a.currency().compareTo(b.currency());
        }
    }
}
