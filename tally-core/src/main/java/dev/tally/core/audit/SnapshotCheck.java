package dev.tally.core.audit;

import dev.tally.core.engine.BalanceKey;
import dev.tally.core.engine.EntryEffects;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Money;
import dev.tally.core.store.BalanceSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Checks stored balance snapshots against a replay in chain order: each snapshot must equal its account's
 * balance just after the snapshot's entry ({@code BALANCE_SNAPSHOT_MISMATCH}), and must follow an entry
 * that exists. Use: {@link #replay} every entry by increasing seq, calling {@link #check} for each snapshot
 * once the replay has reached its seq and gone no further; then {@link #findings}. Not thread-safe.
 */
public final class SnapshotCheck implements EntryEffects.Sink {
    private final UUID treasury;
    private final Currencies currencies;
    private final Map<BalanceKey, Long> balances = new HashMap<>();
    private final List<Finding> findings = new ArrayList<>();
    private long replayedTo;
    private long checked;

    public SnapshotCheck(UUID treasury, Currencies currencies) {
        this.treasury = Objects.requireNonNull(treasury, "treasury");
        this.currencies = Objects.requireNonNull(currencies, "currencies");
    }

    /** Adds the effects of the next entry in chain order. */
    public void replay(LedgerEntry e) {
        EntryEffects.apply(e, treasury, this);
        replayedTo = e.seq();
    }

    /** The seq the replay has reached. */
    public long replayedTo() {
        return replayedTo;
    }

    /** Compares a snapshot of the entry the replay has just reached (or of one past the newest entry). */
    public void check(BalanceSnapshot s) {
        checked++;
        BalanceKey key = new BalanceKey(s.accountId(), s.currency());
        long expected = balances.getOrDefault(key, 0L);
        boolean beyond = s.seq() > replayedTo;
        // An opening snapshot says no entry so far touched the balance at all, not only that it is zero.
        boolean falseOpening = s.opening() && balances.containsKey(key);
        if (!beyond && !falseOpening && expected == s.amount()) {
            return;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("account", s.accountId().toString());
        d.put("currency", s.currency());
        d.put("seq", s.seq());
        d.put("stored", amount(s.amount(), s.currency()));
        String message;
        if (beyond) {
            message = "A balance snapshot of account " + s.accountId() + " in " + s.currency() + " follows entry #"
                    + s.seq() + ", which does not exist (the ledger ends at #" + replayedTo + ")";
        } else if (falseOpening && expected == s.amount()) {
            message = "A balance snapshot of account " + s.accountId() + " in " + s.currency()
                    + " says no entry up to #" + s.seq() + " touched that balance, but some did";
        } else {
            d.put("expected", amount(expected, s.currency()));
            message = "The balance snapshot of account " + s.accountId() + " in " + s.currency() + " after entry #"
                    + s.seq() + " is " + amount(s.amount(), s.currency()) + " but the entries give "
                    + amount(expected, s.currency());
        }
        findings.add(new Finding(
                FindingType.BALANCE_SNAPSHOT_MISMATCH, OptionalLong.of(s.seq()), Optional.empty(), message, d));
    }

    /** How many snapshots were checked. */
    public long checked() {
        return checked;
    }

    public List<Finding> findings() {
        return List.copyOf(findings);
    }

    @Override
    public void balance(UUID account, String currency, long delta) {
        balances.merge(new BalanceKey(account, currency), delta, Math::addExact);
    }

    @Override
    public void treasuryTotal(String currency, TaxKind kind, long delta) {}

    @Override
    public void supply(String currency, long minted, long burned) {}

    private String amount(long minor, String code) {
        return currencies.find(code).map(c -> Money.format(minor, c.scale())).orElse(Long.toString(minor));
    }
}
