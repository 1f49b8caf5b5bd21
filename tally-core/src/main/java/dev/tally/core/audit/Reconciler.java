package dev.tally.core.audit;

import dev.tally.core.account.AccountLimit;
import dev.tally.core.account.AccountLimits;
import dev.tally.core.engine.BalanceKey;
import dev.tally.core.engine.EntryEffects;
import dev.tally.core.engine.Supply;
import dev.tally.core.engine.TreasuryKey;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currencies;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.core.money.RecordedScale;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Reconciliation: what a hash chain alone cannot see. It replays the entries from genesis with the same
 * {@link EntryEffects} the engine wrote them with, then compares the sums with the stored state: each
 * balance ({@code BALANCE_MISMATCH}), each treasury tax total ({@code TREASURY_MISMATCH}), and each
 * currency's supply ({@code SUPPLY_MISMATCH}: the stored minted and burned against the replay, and the sum
 * of all balances against minted minus burned).
 *
 * <p>Use: {@link #replay} every entry (in any order: sums commute, so ranges may be replayed on several
 * threads and {@link #merge}d), then {@link #storedBalance} every stored balance row, then {@link #finish}.
 * Memory grows with accounts and currencies, not entries. Not thread-safe.
 */
public final class Reconciler implements EntryEffects.Sink {
    private final UUID treasury;
    private final Currencies currencies;
    private final Map<BalanceKey, long[]> balances = new HashMap<>();
    private final Map<TreasuryKey, long[]> totals = new HashMap<>();
    private final Map<String, long[]> supply = new HashMap<>();
    private final List<Finding> unreplayable = new ArrayList<>();
    private Optional<Map<String, RecordedScale>> recordedScales = Optional.empty();
    private long entries;
    private long maxSeq;
    // Filled while comparing the stored balances.
    private final Set<BalanceKey> seen = new HashSet<>();
    private final Map<String, long[]> storedCirculating = new HashMap<>();
    private final List<Finding> balanceFindings = new ArrayList<>();
    private long balancesChecked;
    private Map<UUID, AccountLimits> limits = Map.of();

    /** A reconciler of a ledger whose treasury account is {@code treasury}. */
    public Reconciler(UUID treasury, Currencies currencies) {
        this.treasury = Objects.requireNonNull(treasury, "treasury");
        this.currencies = Objects.requireNonNull(currencies, "currencies");
    }

    /** Adds the effects of one entry. */
    public void replay(LedgerEntry e) {
        entries++;
        maxSeq = Math.max(maxSeq, e.seq());
        try {
            EntryEffects.apply(e, treasury, this);
        } catch (ArithmeticException overflow) {
            unreplayable.add(new Finding(
                    FindingType.INVALID_ENTRY,
                    OptionalLong.of(e.seq()),
                    Optional.of(e.transactionId()),
                    "Transaction #" + e.seq() + " cannot be replayed: its amounts overflow the sums",
                    Map.of("invalid_entry", Map.of("reason", "amounts overflow the replayed sums"))));
        }
    }

    /**
     * Gives the scales the store recorded for its currencies, so that {@link #finish} reports a configured
     * scale that differs from a recorded one, and a currency with entries but no recorded scale. Without
     * this call (an export carries no separate record) scales are not compared.
     */
    public void recordedScales(List<RecordedScale> recorded) {
        Map<String, RecordedScale> byCode = new TreeMap<>();
        recorded.forEach(r -> byCode.put(r.code(), r));
        recordedScales = Optional.of(byCode);
    }

    /** Notes a row that could not be read and so could not be replayed. */
    public void unreadable(StoredRow.Malformed row) {
        entries++;
        maxSeq = Math.max(maxSeq, row.seq());
        unreplayable.add(new ChainFindings(currencies).unreadable(row));
    }

    /** Adds findings of a check run beside the replay (the balance snapshots'), reported in seq order. */
    public void addFindings(List<Finding> findings) {
        unreplayable.addAll(findings);
    }

    /** Adds another reconciler's replay (of other entries) to this one. */
    public void merge(Reconciler other) {
        other.balances.forEach((k, v) -> add(balances, k, v[0], 0));
        other.totals.forEach((k, v) -> add(totals, k, v[0], 0));
        other.supply.forEach((k, v) -> add(supply, k, v[0], v[1]));
        unreplayable.addAll(other.unreplayable);
        entries += other.entries;
        maxSeq = Math.max(maxSeq, other.maxSeq);
    }

    @Override
    public void balance(UUID account, String currency, long delta) {
        add(balances, new BalanceKey(account, currency), delta, 0);
    }

    @Override
    public void treasuryTotal(String currency, TaxKind kind, long delta) {
        add(totals, new TreasuryKey(currency, kind), delta, 0);
    }

    @Override
    public void supply(String currency, long minted, long burned) {
        add(supply, currency, minted, burned);
    }

    private static <K> void add(Map<K, long[]> sums, K key, long a, long b) {
        long[] v = sums.computeIfAbsent(key, k -> new long[2]);
        v[0] = Math.addExact(v[0], a);
        v[1] = Math.addExact(v[1], b);
    }

    /**
     * The limits of the accounts that have any, to check stored balances against: a balance below zero is
     * only valid within its account's credit limit. Call before the stored balances.
     */
    public void accountLimits(Map<UUID, AccountLimits> byAccount) {
        this.limits = Map.copyOf(byAccount);
    }

    /** Compares one stored balance row with the replay, and a negative one with its account's credit limit. */
    public void storedBalance(UUID account, String currency, long amount) {
        BalanceKey key = new BalanceKey(account, currency);
        balancesChecked++;
        seen.add(key);
        long[] sum = storedCirculating.computeIfAbsent(currency, c -> new long[1]);
        sum[0] += amount;
        long expected = balances.getOrDefault(key, new long[2])[0];
        if (expected != amount) {
            balanceFindings.add(balanceMismatch(key, amount, expected, true));
        }
        if (amount < 0) {
            AccountLimit limit =
                    limits.getOrDefault(account, AccountLimits.NONE).of(currency);
            if (!limit.allowsBalance(amount)) {
                balanceFindings.add(belowCreditLimit(key, amount, limit.creditLimit()));
            }
        }
    }

    private Finding belowCreditLimit(BalanceKey key, long stored, long credit) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("account", key.accountId().toString());
        d.put("currency", key.currency());
        d.put("stored", amount(stored, key.currency()));
        d.put("credit_limit", amount(credit, key.currency()));
        return new Finding(
                FindingType.BALANCE_BELOW_CREDIT_LIMIT,
                OptionalLong.empty(),
                Optional.empty(),
                "The balance of account " + key.accountId() + " in " + key.currency() + " is "
                        + amount(stored, key.currency()) + ", below its credit limit of "
                        + amount(credit, key.currency()),
                d);
    }

    /**
     * Compares the rest of the stored state and makes the report.
     *
     * @param storedTotals the treasury's stored tax totals
     * @param storedSupply each currency's stored minted and burned
     */
    public ReconciliationReport finish(
            Map<TreasuryKey, Long> storedTotals,
            Map<String, Supply> storedSupply,
            int maxFindings,
            Instant startedAt,
            Duration elapsed) {
        List<Finding> found = new ArrayList<>(unreplayable);
        found.sort(Comparator.comparingLong(f -> f.seq().orElse(Long.MAX_VALUE)));
        balances.forEach((key, v) -> {
            if (!seen.contains(key) && v[0] != 0) {
                balanceFindings.add(balanceMismatch(key, 0, v[0], false));
            }
        });
        balanceFindings.sort(
                Comparator.comparing((Finding f) -> (String) f.details().get("account"))
                        .thenComparing(f -> (String) f.details().get("currency")));
        found.addAll(balanceFindings);
        found.addAll(treasuryFindings(storedTotals));
        found.addAll(supplyFindings(storedSupply));
        recordedScales.ifPresent(recorded -> found.addAll(scaleFindings(recorded)));
        return new ReconciliationReport(
                found.isEmpty() || found.stream().noneMatch(Finding::isError),
                entries,
                maxSeq,
                balancesChecked,
                storedTotals.size(),
                found.subList(0, Math.min(found.size(), maxFindings)),
                found.size(),
                startedAt,
                elapsed);
    }

    private List<Finding> treasuryFindings(Map<TreasuryKey, Long> stored) {
        List<Finding> found = new ArrayList<>();
        Set<TreasuryKey> keys =
                new TreeSet<>(Comparator.comparing(TreasuryKey::currency).thenComparing(TreasuryKey::kind));
        keys.addAll(stored.keySet());
        keys.addAll(totals.keySet());
        for (TreasuryKey k : keys) {
            long s = stored.getOrDefault(k, 0L);
            long expected = totals.getOrDefault(k, new long[2])[0];
            if (s != expected) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("currency", k.currency());
                d.put("tax_kind", k.kind().name());
                d.put("stored", amount(s, k.currency()));
                d.put("expected", amount(expected, k.currency()));
                d.put("difference", amount(s - expected, k.currency()));
                found.add(new Finding(
                        FindingType.TREASURY_MISMATCH,
                        OptionalLong.empty(),
                        Optional.empty(),
                        "The treasury's " + k.kind() + " total in " + k.currency() + " is " + amount(s, k.currency())
                                + " but its entries collected " + amount(expected, k.currency()),
                        d));
            }
        }
        return found;
    }

    private List<Finding> supplyFindings(Map<String, Supply> stored) {
        List<Finding> found = new ArrayList<>();
        Set<String> codes = new TreeSet<>(stored.keySet());
        codes.addAll(supply.keySet());
        codes.addAll(storedCirculating.keySet());
        for (String code : codes) {
            Supply s = stored.getOrDefault(code, Supply.NONE);
            long[] replayed = supply.getOrDefault(code, new long[2]);
            if (s.minted() != replayed[0] || s.burned() != replayed[1]) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("currency", code);
                d.put("stored_minted", amount(s.minted(), code));
                d.put("expected_minted", amount(replayed[0], code));
                d.put("stored_burned", amount(s.burned(), code));
                d.put("expected_burned", amount(replayed[1], code));
                found.add(new Finding(
                        FindingType.SUPPLY_MISMATCH,
                        OptionalLong.empty(),
                        Optional.empty(),
                        "The stored supply of " + code + " differs from what its entries minted and burned",
                        d));
            }
            long circulating = storedCirculating.getOrDefault(code, new long[1])[0];
            if (circulating != s.circulating()) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("currency", code);
                d.put("circulating", amount(circulating, code));
                d.put("minted_minus_burned", amount(s.circulating(), code));
                d.put("difference", amount(circulating - s.circulating(), code));
                found.add(new Finding(
                        FindingType.SUPPLY_MISMATCH,
                        OptionalLong.empty(),
                        Optional.empty(),
                        "The balances in " + code + " add up to " + amount(circulating, code)
                                + " but minted minus burned is " + amount(s.circulating(), code),
                        d));
            }
        }
        return found;
    }

    private List<Finding> scaleFindings(Map<String, RecordedScale> recorded) {
        List<Finding> found = new ArrayList<>();
        Set<String> codes = new TreeSet<>(recorded.keySet());
        balances.keySet().forEach(k -> codes.add(k.currency()));
        for (String code : codes) {
            RecordedScale r = recorded.get(code);
            Optional<Currency> configured = currencies.find(code);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("currency", code);
            if (r == null || r.scale().isEmpty()) {
                d.put("recorded_scale", "missing");
                configured.ifPresent(c -> d.put("configured_scale", c.scale()));
                found.add(new Finding(
                        FindingType.SCALE_MISMATCH,
                        OptionalLong.empty(),
                        Optional.empty(),
                        code + " has entries but no recorded scale",
                        d));
            } else if (configured.isPresent()
                    && configured.get().scale() != r.scale().getAsInt()) {
                d.put("recorded_scale", r.scale().getAsInt());
                d.put("configured_scale", configured.get().scale());
                d.put("first_seq", r.firstSeq());
                found.add(new Finding(
                        FindingType.SCALE_MISMATCH,
                        OptionalLong.empty(),
                        Optional.empty(),
                        "The entries in " + code + " were written with scale "
                                + r.scale().getAsInt() + " but the configured scale is "
                                + configured.get().scale(),
                        d));
            }
        }
        return found;
    }

    private Finding balanceMismatch(BalanceKey key, long stored, long expected, boolean rowExists) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("account", key.accountId().toString());
        d.put("currency", key.currency());
        d.put("stored", amount(stored, key.currency()));
        d.put("expected", amount(expected, key.currency()));
        d.put("difference", amount(stored - expected, key.currency()));
        if (!rowExists) {
            d.put("stored_row", "missing");
        }
        return new Finding(
                FindingType.BALANCE_MISMATCH,
                OptionalLong.empty(),
                Optional.empty(),
                "The balance of account " + key.accountId() + " in " + key.currency() + " is "
                        + amount(stored, key.currency()) + " but its entries add up to "
                        + amount(expected, key.currency()),
                d);
    }

    private String amount(long minor, String currency) {
        return Money.format(
                minor, currencies.find(currency).map(Currency::scale).orElse(0));
    }
}
