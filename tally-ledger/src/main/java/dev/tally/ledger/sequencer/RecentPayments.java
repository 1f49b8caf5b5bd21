package dev.tally.ledger.sequencer;

import dev.tally.core.engine.Engine;
import dev.tally.core.fraud.Payment;
import dev.tally.core.ledger.LedgerEntry;
import dev.tally.core.store.LedgerStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the payments the fraud rules' windows need back from the ledger: those committed since a point in
 * time, in ledger order, whoever wrote them (this process, an earlier one, or another writer). The first
 * such entry is found by binary search over the sequence numbers, since commit times only grow, so the
 * cost is that of the window, not of the ledger.
 */
final class RecentPayments {
    private final LedgerStore store;
    private final Engine engine;

    private RecentPayments(LedgerStore store, Engine engine) {
        this.store = store;
        this.engine = engine;
    }

    /** The non-system payments committed at or after {@code since}, up to {@code headSeq}, in order. */
    static List<Payment> since(LedgerStore store, Engine engine, Instant since, long headSeq) {
        return new RecentPayments(store, engine).read(since, headSeq);
    }

    private List<Payment> read(Instant since, long headSeq) {
        List<Payment> payments = new ArrayList<>();
        long from = firstAtOrAfter(since, headSeq);
        if (from > headSeq) {
            return payments;
        }
        List<Payment> unknownFacts = new ArrayList<>();
        Set<UUID> accounts = new HashSet<>();
        store.streamEntries(from, headSeq, e -> {
            Payment.of(e, Payment.AccountFacts.UNKNOWN, Payment.AccountFacts.UNKNOWN)
                    .ifPresent(p -> {
                        unknownFacts.add(p);
                        accounts.add(p.sender());
                        accounts.add(p.receiver());
                    });
            return true;
        });
        // The accounts in one bulk read, not one query each: on a busy window that was most of the rebuild.
        Map<UUID, Payment.AccountFacts> facts = new HashMap<>();
        store.loadAccounts(accounts).forEach((id, a) -> facts.put(id, engine.factsOf(a)));
        for (Payment p : unknownFacts) {
            Payment.AccountFacts sender = facts.getOrDefault(p.sender(), Payment.AccountFacts.UNKNOWN);
            if (!sender.system()) {
                payments.add(new Payment(
                        p.transactionId(),
                        p.sender(),
                        p.receiver(),
                        p.currency(),
                        p.amountMinor(),
                        p.at(),
                        p.origin(),
                        p.userAgent(),
                        sender,
                        facts.getOrDefault(p.receiver(), Payment.AccountFacts.UNKNOWN)));
            }
        }
        return payments;
    }

    /** The lowest sequence number whose entry was committed at or after {@code since}; headSeq + 1 if none. */
    private long firstAtOrAfter(Instant since, long headSeq) {
        long lo = 1;
        long hi = headSeq + 1;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            Optional<LedgerEntry> e = store.findEntryBySeq(mid);
            if (e.isPresent() && e.get().createdAt().isBefore(since)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
