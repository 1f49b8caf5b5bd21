package dev.tally.ledger;

import dev.tally.core.engine.EntryEffects;
import dev.tally.core.engine.Rules;
import dev.tally.core.error.RejectedException;
import dev.tally.core.error.Rejection;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.ledger.TaxKind;
import dev.tally.core.money.Currency;
import dev.tally.core.money.Money;
import dev.tally.core.store.BalanceSnapshot;
import dev.tally.core.store.LedgerStore;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * Balances as of a past entry, exactly, without replaying the ledger: per currency, the account's newest
 * balance snapshot at or before the entry, plus the effects ({@link EntryEffects}, as the engine wrote them)
 * of that account's entries after the snapshot, read through the history indexes. The treasury and the
 * escrow gain from entries that do not name them, so theirs are replayed from the ledger's entries in order
 * (snapshotted every few dozen entries, so the range stays short). Pending totals are the account's pending
 * entries open at that point. Thread-safe.
 */
final class PastBalances {
    private final LedgerStore store;
    private final Rules rules;
    private final Set<UUID> systemAccounts;
    private final Function<String, Currency> currencies;
    private final Clock clock;

    PastBalances(LedgerStore store, Rules rules, Function<String, Currency> currencies, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.rules = rules;
        this.systemAccounts = Set.of(rules.treasuryId(), Rules.ESCROW_ID);
        this.currencies = currencies;
    }

    BalancesAsOf at(UUID account, AsOf point) {
        long head = store.loadHead().seq();
        long seq = switch (point) {
            case AsOf.Seq s -> {
                if (s.seq() > head) {
                    throw notReached("entry #" + s.seq() + " is not written yet: the newest is #" + head);
                }
                yield s.seq();
            }
            case AsOf.Time t -> seqAt(t.at(), head);
        };
        return at(account, seq);
    }

    private BalancesAsOf at(UUID account, long seq) {
        Map<String, long[]> sums = new TreeMap<>(); // [amount, replay after this seq]
        long from = seq;
        Map<String, BalanceSnapshot> snapshots = store.balanceSnapshots().latestAtOrBefore(account, seq);
        for (String currency : store.balancesOf(account).keySet()) {
            Optional<BalanceSnapshot> start = Optional.ofNullable(snapshots.get(currency));
            if (start.isPresent()) {
                sums.put(currency, new long[] {start.get().amount(), start.get().seq()});
                from = Math.min(from, start.get().seq());
            } else if (!untouchedThrough(account, currency, seq)) {
                // A balance older than the snapshots (written before they existed): its whole history.
                from = 0;
            }
        }
        Map<String, Long> startSeq = new HashMap<>();
        sums.forEach((c, v) -> startSeq.put(c, v[1]));
        EntryEffects.Sink sink = new EntryEffects.Sink() {
            @Override
            public void balance(UUID id, String currency, long delta) {
                // Guarded by the loop: only entries after this currency's snapshot reach here.
                if (id.equals(account)) {
                    sums.computeIfAbsent(currency, c -> new long[2])[0] += delta;
                }
            }

            @Override
            public void treasuryTotal(String currency, TaxKind kind, long delta) {}

            @Override
            public void supply(String currency, long minted, long burned) {}
        };
        for (LedgerEntry e : entriesAfter(account, from, seq)) {
            if (e.seq() > startSeq.getOrDefault(e.currency(), 0L)) {
                EntryEffects.apply(e, rules.treasuryId(), sink);
            }
        }
        Map<String, long[]> pending = new TreeMap<>();
        for (LedgerEntry p : store.openPendingAt(account, seq)) {
            long[] t = pending.computeIfAbsent(p.currency(), c -> new long[2]);
            t[p.senderId().equals(Optional.of(account)) ? 0 : 1] += p.amountGross();
        }
        return view(seq, sums, pending);
    }

    /** Whether the account's oldest snapshot in the currency after {@code seq} says nothing touched it until then. */
    private boolean untouchedThrough(UUID account, String currency, long seq) {
        return store.balanceSnapshots()
                .firstAfter(account, currency, seq)
                .map(BalanceSnapshot::opening)
                .orElse(false);
    }

    private List<LedgerEntry> entriesAfter(UUID account, long from, long seq) {
        if (!systemAccounts.contains(account)) {
            return store.accountEntries(account, from, seq);
        }
        List<LedgerEntry> all = new java.util.ArrayList<>();
        if (seq > from) {
            store.streamEntries(from + 1, seq, e -> all.add(e));
        }
        return all;
    }

    private BalancesAsOf view(long seq, Map<String, long[]> sums, Map<String, long[]> pending) {
        Map<String, Money> available = new TreeMap<>();
        Map<String, Money> out = new TreeMap<>();
        Map<String, Money> in = new TreeMap<>();
        java.util.TreeSet<String> codes = new java.util.TreeSet<>(sums.keySet());
        codes.addAll(pending.keySet());
        for (String code : codes) {
            Currency c = currencies.apply(code);
            long[] t = pending.getOrDefault(code, new long[2]);
            available.put(code, Money.ofMinor(c, sums.getOrDefault(code, new long[2])[0]));
            out.put(code, Money.ofMinor(c, t[0]));
            in.put(code, Money.ofMinor(c, t[1]));
        }
        return new BalancesAsOf(seq, available, out, in);
    }

    /**
     * The last entry written at or before {@code at}: created_at never decreases along the chain, so a binary
     * search over seq finds it in about log2(head) lookups by seq.
     */
    private long seqAt(Instant at, long head) {
        if (at.isAfter(clock.instant())) {
            throw notReached("the time " + at + " has not come yet");
        }
        if (head == 0 || !createdAt(head).isAfter(at)) {
            return head;
        }
        long lo = 0; // created at or before `at` (0: before the first entry)
        long hi = head; // created after `at`
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (createdAt(mid).isAfter(at)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return lo;
    }

    private Instant createdAt(long seq) {
        return store.findEntryBySeq(seq)
                .map(LedgerEntry::createdAt)
                .orElseThrow(() -> new IllegalStateException("entry #" + seq + " is missing from the chain"));
    }

    private static RejectedException notReached(String why) {
        return new RejectedException(Rejection.invalid("as_of", why));
    }
}
